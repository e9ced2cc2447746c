// harness.mjs - shared by the API tests: a fresh demo node in a temporary
// directory, `motcua serve` on a free loopback port, and small HTTP helpers.
// Every answer client() and login() receive is checked against the OpenAPI
// document the node under test serves (validateExchange below, issue 16):
// a status the operation does not list, a wrong Content-Type, a missing
// required header or a body that breaks its schema fails the test that
// received it. Uses Node's fetch and node:test, ajv + ajv-formats from npm.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

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
      if (r.status === 200) {
        // The document every answer will be checked against, fetched now,
        // before any test can use up a rate limit.
        await loadContract(node).catch(() => { /* fetched again on first use */ });
        return node;
      }
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

// Restarts the server of node with its clock pinned at clock, runs fn, and
// restarts it at back (the suite's own clock); sessions must sign in again.
export async function atClock(node, clock, back, fn) {
  await stopServer(node);
  node.env = { MOTCUA_TEST_NOW: clock };
  await startServer(node);
  try { return await fn(); } finally {
    await stopServer(node);
    node.env = { MOTCUA_TEST_NOW: back };
    await startServer(node);
  }
}

export async function stopNode(node) {
  await stopServer(node);
  rmSync(node.dir, { recursive: true, force: true });
}

// A signed-in client: keeps the session cookie and the CSRF token. The
// sign-in goes through client(), so its answer is checked like any other.
export async function login(node, user, password = PASSWORD) {
  const r = await client(node).post('/api/v1/session', { login: user, password });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${r.text}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return client(node, { cookie, csrf: r.json.csrf_token, user: r.json.user });
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
    const res = { status: r.status, json, text, headers: r.headers };
    checkExchange(await loadContract(node), {
      method, path, requestBody: payload, requestContentType: headerOf(headers, 'content-type'), ...res,
    });
    return res;
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

// ---- The contract (issue 16) ----
//
// The OpenAPI document a node serves at /api/v1/openapi.json, fetched once
// per base URL, and checkExchange(contract, exchange), which throws when an
// answer breaks it:
// - the status is listed for the operation (exactly, or as a range like 4XX;
//   no `default` fallback);
// - the Content-Type is one the response documents (application/json for a
//   JSON answer), and a response documented without content has no body;
// - every header the response lists as required is present and matches its
//   schema (Retry-After on 429);
// - the body validates against the response's schema (ajv, JSON Schema
//   2020-12 with ajv-formats);
// - the request: when the document says the request is invalid (a body
//   that breaks the requestBody schema, a media type it does not list, a
//   body where the operation takes none, no body where one is required, a
//   path or query parameter that breaks its schema, a query parameter it
//   does not list) and the server answered 2xx, the server accepted what
//   the contract forbids.
//   Answered 4xx, that is a bad-input test doing its job.
// Requests to paths or methods the document does not list (static files,
// 404 and 405 tests) are not checked.

const contracts = new Map(); // base URL -> Promise of a contract
const compiledDocs = new Map(); // document text -> contract (nodes serving the same document share it)

// The contract of a node (or a base URL), fetched from it once.
export function loadContract(nodeOrBase) {
  const base = typeof nodeOrBase === 'string' ? nodeOrBase : nodeOrBase.base;
  let p = contracts.get(base);
  if (!p) {
    p = (async () => {
      const r = await fetch(base + '/api/v1/openapi.json', { headers: { Connection: 'close' } });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`GET ${base}/api/v1/openapi.json answered ${r.status}: ${text.slice(0, 300)}`);
      return contractOf(text);
    })();
    contracts.set(base, p);
    p.catch(() => contracts.delete(base)); // a failed fetch is tried again next time
  }
  return p;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A contract from a document (object or JSON text): the document, an ajv
// instance holding it as the schema 'doc', its path templates as regexps.
export function contractOf(docOrText) {
  const text = typeof docOrText === 'string' ? docOrText : JSON.stringify(docOrText);
  let c = compiledDocs.get(text);
  if (c) return c;
  const doc = JSON.parse(text);
  const warnings = [];
  // strict: false, as OpenAPI adds keywords of its own (example, discriminator, xml...).
  const ajv = new Ajv2020({
    strict: false, allErrors: true,
    logger: { log() {}, warn: (...m) => warnings.push(m.join(' ')), error: (...m) => warnings.push(m.join(' ')) },
  });
  addFormats(ajv);
  // The formats OpenAPI defines on top of JSON Schema's.
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('password', true);
  ajv.addSchema(doc, 'doc');
  const routes = Object.keys(doc.paths || {}).map((template) => ({
    template,
    params: (template.match(/\{[^}]*\}/g) || []).length,
    names: (template.match(/\{[^}]*\}/g) || []).map((x) => x.slice(1, -1)),
    re: new RegExp('^' + template.split(/\{[^}]*\}/).map(escapeRe).join('([^/]+)') + '$'),
  })).sort((a, b) => a.params - b.params); // /x/new before /x/{code}
  c = { doc, ajv, routes, warnings, validators: new Map() };
  compiledDocs.set(text, c);
  return c;
}

// The value at a path of keys in the document.
function at(doc, keys) {
  let v = doc;
  for (const k of keys) { if (v == null || typeof v !== 'object') return undefined; v = v[k]; }
  return v;
}

// A JSON pointer as a URI fragment ajv resolves ('{' and '}' encoded).
const fragment = (keys) => '#' + keys.map((k) => '/' + encodeURIComponent(String(k).replace(/~/g, '~0').replace(/\//g, '~1'))).join('');

// Follows local $refs; returns the object and the keys that reach it.
export function deref(doc, keys) {
  let node = at(doc, keys);
  for (let i = 0; node && typeof node.$ref === 'string' && i < 32; i++) {
    if (!node.$ref.startsWith('#/')) throw new Error(`contract: only local $ref are followed (${node.$ref})`);
    keys = node.$ref.slice(2).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
    node = at(doc, keys);
  }
  return { node, keys };
}

// The ajv validator of the schema at keys (compiled once).
export function schemaValidator(c, keys) {
  const f = fragment(keys);
  let v = c.validators.get(f);
  if (!v) {
    v = c.ajv.compile({ $ref: 'doc' + f });
    c.validators.set(f, v);
  }
  return v;
}

function ajvErrors(v) {
  return (v.errors || []).slice(0, 12).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`).join('; ');
}

function headerOf(h, name) {
  if (!h) return null;
  if (typeof h.get === 'function') return h.get(name);
  const k = Object.keys(h).find((x) => x.toLowerCase() === name.toLowerCase());
  if (k === undefined) return null;
  return Array.isArray(h[k]) ? h[k].join(', ') : String(h[k]);
}

const mediaType = (ct) => (ct || '').split(';')[0].trim().toLowerCase();
const isJson = (mt) => mt === 'application/json' || /\+json$/.test(mt);

// The documented media type a Content-Type falls under (exact, type/*, */*).
function pickMedia(content, ct) {
  const keys = Object.keys(content || {});
  const mt = mediaType(ct);
  return keys.find((k) => k.toLowerCase() === mt) || keys.find((k) => k.toLowerCase() === mt.split('/')[0] + '/*')
    || keys.find((k) => k === '*/*');
}

// The operation of a request: { template, method, op, keys } or null when
// the document has no such path or no such method on it.
export function operationOf(c, method, path) {
  const pathname = path.split(/[?#]/)[0];
  const m = method.toLowerCase();
  for (const r of c.routes) {
    if (!r.re.test(pathname)) continue;
    const op = c.doc.paths[r.template][m];
    if (!op || typeof op !== 'object') return null;
    const values = pathname.match(r.re).slice(1);
    const pathParams = Object.fromEntries(r.names.map((n, i) => [n, values[i]]));
    return { template: r.template, method: m, op, keys: ['paths', r.template, m], pathParams };
  }
  return null;
}

// A header's or parameter's text as its schema's type, for validation.
function textValue(schema, v) {
  const t = schema && (Array.isArray(schema.type) ? schema.type[0] : schema.type);
  if ((t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  if (t === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

// What the document says is wrong with a request's path and query
// parameters: a value that breaks its schema, a required one missing, a
// query parameter it does not list.
function paramProblems(c, found, path) {
  const out = [];
  const url = new URL(path, 'http://x');
  const list = [];
  const seen = new Set();
  for (const base of [[...found.keys, 'parameters'], ['paths', found.template, 'parameters']]) {
    (at(c.doc, base) || []).forEach((_, i) => {
      const p = deref(c.doc, [...base, i]);
      const id = `${p.node.in} ${p.node.name}`;
      if (!seen.has(id)) { seen.add(id); list.push(p); } // the operation's own win over the path item's
    });
  }
  const check = (p, raw, where) => {
    if (!p.node.schema) return;
    const v = schemaValidator(c, [...p.keys, 'schema']);
    if (!v(textValue(p.node.schema, raw))) out.push(`${where} '${raw}' breaks its schema: ${ajvErrors(v)}`);
  };
  for (const p of list) {
    if (p.node.in === 'path') {
      const raw = found.pathParams[p.node.name];
      let text = raw;
      try { text = decodeURIComponent(raw); } catch { /* kept as sent */ }
      if (raw !== undefined) check(p, text, `path parameter ${p.node.name}`);
    } else if (p.node.in === 'query') {
      const values = url.searchParams.getAll(p.node.name);
      if (values.length === 0 && p.node.required) out.push(`required query parameter ${p.node.name} is missing`);
      const multi = [].concat(p.node.schema?.type || []).includes('array');
      if (!multi) for (const raw of values) check(p, raw, `query parameter ${p.node.name}`);
    }
  }
  const known = new Set(list.filter((p) => p.node.in === 'query').map((p) => p.node.name));
  for (const name of new Set(url.searchParams.keys())) if (!known.has(name)) out.push(`query parameter '${name}' is not documented`);
  return out;
}

// What is wrong with one exchange, as a list of sentences (empty: nothing).
// ex: { method, path, status, headers (Headers or a plain object), text,
// requestBody (string, Uint8Array or undefined), requestContentType }.
export function exchangeProblems(c, ex) {
  const found = operationOf(c, ex.method, ex.path);
  if (!found) return [];
  const { op } = found;
  const problems = [];
  const status = ex.status;
  const ok = status >= 200 && status < 300;
  const text = ex.text ?? (ex.json !== undefined ? JSON.stringify(ex.json) : '');

  // The request.
  let reqBody = ex.requestBody;
  if (reqBody instanceof Uint8Array) reqBody = new TextDecoder().decode(reqBody);
  if (ok) {
    const rb = op.requestBody ? deref(c.doc, [...found.keys, 'requestBody']) : null;
    let invalid = null;
    if (reqBody !== undefined && reqBody !== null && reqBody !== '') {
      if (!rb) invalid = 'the operation takes no body';
      else {
        const mt = pickMedia(rb.node.content, ex.requestContentType);
        if (!mt) invalid = `request Content-Type '${mediaType(ex.requestContentType)}' is not one of ${Object.keys(rb.node.content || {}).join(', ')}`;
        else if (isJson(mediaType(mt)) && rb.node.content[mt].schema) {
          let data;
          try { data = JSON.parse(reqBody); } catch { invalid = 'the request body is not JSON'; }
          if (!invalid) {
            const v = schemaValidator(c, [...rb.keys, 'content', mt, 'schema']);
            if (!v(data)) invalid = `the request body breaks its schema: ${ajvErrors(v)}`;
          }
        }
      }
    } else if (rb && rb.node.required) {
      invalid = 'the request has no body and the operation requires one';
    }
    if (invalid) problems.push(`the server accepted (${status}) a request the contract forbids: ${invalid}`);
    for (const p of paramProblems(c, found, ex.path)) problems.push(`the server accepted (${status}) a request the contract forbids: ${p}`);
  }

  // The answer.
  const responses = op.responses || {};
  let key = String(status);
  if (!(key in responses)) key = `${String(status)[0]}XX`;
  if (!(key in responses)) {
    problems.push(`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
    return problems;
  }
  const resp = deref(c.doc, [...found.keys, 'responses', key]);
  for (const name of Object.keys(resp.node.headers || {})) {
    const h = deref(c.doc, [...resp.keys, 'headers', name]);
    const v = headerOf(ex.headers, name);
    if (v === null || v === undefined) {
      if (h.node.required) problems.push(`required header ${name} is missing`);
      continue;
    }
    if (h.node.schema) {
      const val = schemaValidator(c, [...h.keys, 'schema']);
      if (!val(textValue(h.node.schema, v))) problems.push(`header ${name}: '${v}' breaks its schema: ${ajvErrors(val)}`);
    }
  }
  if (ex.method.toUpperCase() === 'HEAD' || status === 304) return problems;
  const content = resp.node.content || {};
  const ct = headerOf(ex.headers, 'content-type');
  if (Object.keys(content).length === 0) {
    if (text.length > 0) problems.push(`status ${status} is documented without a body, the answer has ${text.length} bytes of '${mediaType(ct)}'`);
    return problems;
  }
  const mt = pickMedia(content, ct);
  if (!mt) {
    problems.push(`Content-Type '${ct}' is not one of ${Object.keys(content).join(', ')}`);
    return problems;
  }
  if (isJson(mediaType(mt)) && content[mt].schema) {
    let data;
    try { data = JSON.parse(text); } catch {
      problems.push(`the body is not JSON: ${text.slice(0, 120)}`);
      return problems;
    }
    const v = schemaValidator(c, [...resp.keys, 'content', mt, 'schema']);
    if (!v(data)) problems.push(`the body breaks its schema (${fragment([...resp.keys, 'content', mt, 'schema'])}): ${ajvErrors(v)}`);
  }
  return problems;
}

// Throws an Error naming method, path, status and every problem.
export function checkExchange(c, ex) {
  const problems = exchangeProblems(c, ex);
  if (problems.length === 0) return;
  const found = operationOf(c, ex.method, ex.path);
  const err = new Error(`contract: ${ex.method} ${ex.path} -> ${ex.status} (${found.op.operationId || found.template}): ${problems.join(' | ')}`);
  err.problems = problems;
  throw err;
}
