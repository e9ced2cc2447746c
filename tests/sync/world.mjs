// world.mjs - the world of the sync tests: a hub, commune nodes, and a
// fault-injecting proxy (tests/tools/faultproxy) between each node and the
// hub, on loopback; servers log to files. Shared by tests/sync/*.test.mjs.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, freePort } from '../api/harness.mjs';
import { makeHub, sql } from '../api/sync-helpers.mjs';

export const FP = process.env.FAULTPROXY || new URL('../../build/tests/tools/faultproxy', import.meta.url).pathname;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- files the test makes (valid PNG and PDF, as tests/api/files.test.mjs) ----
export function pdf(text = 'Giay to so hoa') {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'];
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offs.map((o) => String(o).padStart(10, '0') + ' 00000 n \n').join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// ---- the world: a hub, nodes, a proxy per node ----
// A server's log goes to a file: a pipe would fill while a spawnSync call
// blocks this process, and the server would stop on its next write.
export async function startServer(p) {
  if (!p.port) p.port = await freePort();
  p.base = `http://127.0.0.1:${p.port}`;
  const logfd = openSync(join(p.data, 'serve.log'), 'a');
  p.proc = spawn(BIN, ['serve', '--dir', p.data, '--listen', `127.0.0.1:${p.port}`], { stdio: ['ignore', 'ignore', logfd], env: { ...process.env, ...p.env } });
  closeSync(logfd);
  Object.defineProperty(p, 'log', { configurable: true, get: () => { try { return readFileSync(join(p.data, 'serve.log'), 'utf8').slice(-20000); } catch { return ''; } } });
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`${p.base}/healthz`, { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) return p;
    } catch { /* not up yet */ }
    if (p.proc.exitCode !== null) break;
    await sleep(25);
  }
  throw new Error(`server ${p.data} did not start: ${p.log}`);
}
export async function stopServer(p, sig = 'SIGTERM') {
  if (!p?.proc || p.proc.exitCode !== null || p.proc.signalCode) return;
  const done = new Promise((r) => p.proc.once('exit', r));
  p.proc.kill(sig);
  await done;
}
export async function proxy(targetPort) {
  const proc = spawn(FP, ['--target', `127.0.0.1:${targetPort}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const m = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => { buf += d; const x = buf.match(/listen (\S+) control (\S+)/); if (x) resolve(x); });
    proc.once('exit', () => reject(new Error('faultproxy exited')));
  });
  return { proc, listen: m[1], control: m[2] };
}
export function ctl(px, ...cmd) {
  const r = spawnSync(FP, ['ctl', px.control, ...cmd], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error(`faultproxy ${cmd.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}
export const cli = (dir, args) => spawnSync(BIN, [...args, '--dir', dir], { encoding: 'utf8', timeout: 120000, killSignal: 'SIGKILL' });

export async function world(name) {
  const root = mkdtempSync(join(tmpdir(), `motcua-${name}-`));
  const hub = makeHub(root, 'hub');
  await startServer(hub);
  hub.key = sql(hub, "select value from setting where key = 'public_key'");
  return { root, hub, nodes: [] };
}
export async function addNode(w, sub, agency) {
  const n = { dir: w.root, data: join(w.root, sub), env: {}, agency };
  motcua(['init', '--demo', '--agency', agency, '--name', `Xã ${sub}`, '--dir', n.data]);
  n.px = await proxy(w.hub.port);
  const r = cli(n.data, ['enrol', '--hub', `http://${n.px.listen}`]);
  assert.equal(r.status, 0, r.stderr);
  n.key = sql(n, "select value from setting where key = 'public_key'");
  assert.equal(cli(w.hub.data, ['hub', 'approve', n.key]).status, 0);
  w.nodes.push(n);
  return n;
}
export async function cleanup(w) {
  for (const n of w.nodes) { await stopServer(n, 'SIGKILL'); n.px.proc.kill('SIGTERM'); }
  await stopServer(w.hub);
  if (!process.env.SYNC_KEEP) rmSync(w.root, { recursive: true, force: true });
  else console.log(`# kept ${w.root}`);
}

// Uploads on a node kept quiet: its link is down while it is served (its
// sync thread cannot move anything), and it is stopped after.
export async function quietly(n, fn) {
  ctl(n.px, 'down');
  await startServer(n);
  try { return await fn(); } finally { await stopServer(n); ctl(n.px, 'pass'); ctl(n.px, 'up'); }
}

