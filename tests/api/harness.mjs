// harness.mjs - shared by the API tests: a fresh demo node in a temporary
// directory, `motcua serve` on a free loopback port, and small HTTP helpers.
// Uses only Node's standard library (fetch, node:test).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const ROOT = process.env.MOTCUA_ROOT || new URL('../..', import.meta.url).pathname;
export const BIN = process.env.MOTCUA || join(ROOT, 'motcua');
export const PASSWORD = 'motcua-demo';

export function motcua(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', ...opts });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// A demo node (init --demo) and its server. env may pin MOTCUA_TEST_NOW.
export async function startNode({ demo = true, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-api-'));
  const data = join(dir, 'node');
  motcua(['init', '--dir', data, ...(demo ? ['--demo'] : [])], { env: { ...process.env, ...env } });
  const node = { dir, data, env, proc: null, port: 0, base: '' };
  await startServer(node);
  return node;
}

export async function startServer(node) {
  node.port = await freePort();
  node.base = `http://127.0.0.1:${node.port}`;
  node.log = '';
  node.proc = spawn(BIN, ['serve', '--dir', node.data, '--listen', `127.0.0.1:${node.port}`, ...(node.serveArgs || [])], {
    env: { ...process.env, ...node.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  node.proc.stderr.on('data', (d) => { node.log += d.toString(); if (node.log.length > 1e6) node.log = node.log.slice(-1e5); });
  for (let i = 0; i < 200; i++) {
    try {
      // Connection: close, so no idle kept-alive socket delays a later
      // stopServer (the server waits up to 5 s for open connections).
      const r = await fetch(node.base + '/healthz', { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) return node;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not start: ' + node.log);
}

export async function stopServer(node, signal = 'SIGTERM') {
  if (!node.proc || node.proc.exitCode !== null) return;
  const done = new Promise((r) => node.proc.once('exit', r));
  node.proc.kill(signal);
  await done;
}

export async function stopNode(node) {
  await stopServer(node);
  rmSync(node.dir, { recursive: true, force: true });
}

// A signed-in client: keeps the session cookie and the CSRF token.
export async function login(node, user, password = PASSWORD) {
  const r = await fetch(node.base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: user, password }),
  });
  const body = await r.json();
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${JSON.stringify(body)}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return client(node, { cookie, csrf: body.csrf_token, user: body.user });
}

export function bearer(node, token) {
  return client(node, { auth: 'Bearer ' + token });
}

// The stable error codes and the status each is answered with, as the
// binary under test lists them (docs/api.md, "Errors").
let codes = null;
export function errorCodes() {
  if (!codes) {
    codes = new Map();
    for (const m of motcua(['errors-markdown']).matchAll(/^\| `([a-z0-9_.]+)` \| (\d{3}) \|/gm)) codes.set(m[1], Number(m[2]));
  }
  return codes;
}

// Every error answer must carry a listed code, with that code's status.
function checkError(method, path, status, json) {
  if (status < 400 || !json || !json.error) return;
  const want = errorCodes().get(json.error.code);
  if (want === undefined) throw new Error(`${method} ${path}: error code '${json.error.code}' is not in the code table`);
  if (want !== status) throw new Error(`${method} ${path}: error code '${json.error.code}' answered ${status}, the table says ${want}`);
}

export function client(node, { cookie, csrf, auth, user } = {}) {
  async function req(method, path, body, extra = {}) {
    const headers = { ...(extra.headers || {}) };
    if (cookie) headers.Cookie = cookie;
    if (auth) headers.Authorization = auth;
    if (csrf && method !== 'GET' && !('X-CSRF-Token' in headers)) headers['X-CSRF-Token'] = csrf;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!('Content-Type' in headers)) headers['Content-Type'] = 'application/json';
    }
    const r = await fetch(node.base + path, { method, headers, body: payload });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    checkError(method, path, r.status, json);
    return { status: r.status, json, text, headers: r.headers };
  }
  return {
    user, cookie, csrf,
    get: (p, extra) => req('GET', p, undefined, extra),
    post: (p, b, extra) => req('POST', p, b, extra),
    patch: (p, b, extra) => req('PATCH', p, b, extra),
    del: (p, extra) => req('DELETE', p, undefined, extra),
    req,
  };
}

export const applicant = (name = 'Nguyễn Văn Thử') => ({
  name, id_number: '025090001234', phone: '0912345678',
});

// A dossier body for POST /api/v1/dossiers.
export const newDossier = (over = {}) => ({
  procedure: '1.000253', channel: 'direct', applicant: applicant(), summary: 'Hồ sơ thử', ...over,
});

// Number of events in the node's log, read with the sqlite3 CLI.
export function eventCount(node) {
  return Number(execFileSync('sqlite3', [join(node.data, 'motcua.db'), 'select count(*) from event'], { encoding: 'utf8' }).trim());
}
