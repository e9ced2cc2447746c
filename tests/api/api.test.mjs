// api.test.mjs - the HTTP API's normal paths and its safety rules (issue 4,
// "Done when"): every endpoint, API tokens, CSRF, idle session expiry, the
// login and look-up rate limits, and agency scoping.
//
// The main node runs with a pinned clock (Monday 2026-03-02 09:00, a working
// day), so codes, due times and "overdue" are the same on every run. With the
// clock pinned the rate-limit windows never roll over: the main node keeps
// its failed sign-ins below the lock-out threshold and its public look-ups
// well below 30; the rate limits themselves are tested on nodes of their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, BIN, PASSWORD, startNode, stopNode, login, bearer, client, newDossier, applicant, eventCount, motcua, errorCodes,
} from './harness.mjs';

const NOW = '2026-03-02 09:00';
const ENV = { MOTCUA_TEST_NOW: NOW };
const AGENCY = '000.31.45.H45';
const OTHER = '000.32.45.H45';
const CODE_RE = /^000\.31\.45\.H45-\d{6}-\d{4}$/;
const ISO7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/;

let node; // the main node
let loginNode; // for the sign-in back-off only
let lookupNode; // for the public look-up limit only
let admin; // quantri
let reception; // tiepnhan
let supervisor; // giamsat

before(async () => {
  node = await startNode({ env: ENV });
  loginNode = await startNode({ env: ENV });
  lookupNode = await startNode({ demo: false, env: ENV });
  admin = await login(node, 'quantri');
  reception = await login(node, 'tiepnhan');
  supervisor = await login(node, 'giamsat');
});

after(async () => {
  for (const n of [node, loginNode, lookupNode]) if (n) await stopNode(n);
});

// ---- helpers ----

// Asserts the status, showing the body when it is not the expected one.
function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

function expectError(res, status, what = '') {
  expectStatus(res, status, what);
  assert.ok(res.json && res.json.error, `${what}: error body is not {"error":…}: ${res.text.slice(0, 200)}`);
  assert.equal(typeof res.json.error.code, 'string', `${what}: error.code`);
  assert.ok(typeof res.json.error.message === 'string' && res.json.error.message.length > 0, `${what}: error.message`);
  return res.json.error;
}

const D = '/api/v1/dossiers';
const actPath = (code) => `${D}/${code}/actions`;

async function create(c, over = {}) {
  const r = await c.post(D, newDossier(over));
  const d = expectStatus(r, 201, 'POST /dossiers');
  assert.match(d.code, CODE_RE);
  return d;
}

async function act(c, code, body, status = 200) {
  const r = await c.post(actPath(code), body);
  return expectStatus(r, status, `action ${body.action} on ${code}`);
}

// Every item of a list query, following next_cursor; checks each page.
async function walk(c, query, limit = 50) {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 1000; pages++) {
    const qs = new URLSearchParams(query);
    qs.set('limit', String(limit));
    if (cursor) qs.set('cursor', cursor);
    const page = expectStatus(await c.get(`${D}?${qs}`), 200, `GET /dossiers?${qs}`);
    assert.ok(Array.isArray(page.items));
    assert.ok(page.items.length <= limit, 'page longer than limit');
    items.push(...page.items);
    if (page.next_cursor === null) return items;
    assert.equal(typeof page.next_cursor, 'string');
    assert.equal(page.items.length, limit, 'a page with a next cursor is full');
    cursor = page.next_cursor;
  }
  throw new Error('pagination does not end');
}

const codes = (items) => items.map((d) => d.code);

function sessionHash(c) {
  const token = c.cookie.split('=')[1];
  return createHash('sha256').update(token).digest('hex');
}

function sql(n, statement) {
  return execFileSync('sqlite3', [join(n.data, 'motcua.db'), statement], { encoding: 'utf8' });
}

// One request from a chosen loopback source address (127.0.0.0/8 is all
// loopback), so that per-address limits can be told from per-login ones.
function fromAddress(n, localAddress, method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = {};
    let payload;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request({ host: '127.0.0.1', port: n.port, method, path, headers, localAddress, agent: false }, (res) => {
      const bufs = [];
      res.on('data', (d) => bufs.push(d));
      res.on('end', () => {
        const text = Buffer.concat(bufs).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const signIn = (n, addr, login_, password) => fromAddress(n, addr, 'POST', '/api/v1/session', { login: login_, password });

// The route table, as the binary prints it (`motcua routes-markdown`).
function routeTable() {
  const rows = motcua(['routes-markdown']).split('\n').filter((l) => /^\| [A-Z]+ \| `/.test(l));
  const routes = rows.map((l) => {
    const [, method, pattern, who, body, rate] = l.split('|').map((c) => c.trim());
    return { method, pattern: pattern.replace(/`/g, ''), who, body, rate };
  });
  assert.ok(routes.length >= 20, `only ${routes.length} routes in the table`);
  return routes;
}

// ---- health, sessions, me ----

test('GET /healthz answers 200 {"status":"ok"} without signing in', async () => {
  const r = await fetch(node.base + '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { status: 'ok' });
});

test('POST /api/v1/session sets a strict HttpOnly cookie and returns the user and a CSRF token', async () => {
  const r = await fetch(node.base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'lanhdao', password: PASSWORD }),
  });
  assert.equal(r.status, 200);
  const body = await r.json();
  const sc = r.headers.get('set-cookie');
  assert.match(sc, /^motcua_session=[0-9a-f]{64};/);
  assert.match(sc, /HttpOnly/i);
  assert.match(sc, /SameSite=Strict/i);
  assert.match(sc, /Path=\//);
  assert.doesNotMatch(sc, /Secure/, 'not Secure over plain HTTP');
  assert.match(body.csrf_token, /^[0-9a-f]{64}$/);
  assert.equal(body.user.login, 'lanhdao');
  assert.equal(body.user.role, 'leader');
  assert.equal(body.user.agency, AGENCY);
  assert.equal(sc.split(';')[0].split('=')[1] === body.csrf_token, false, 'the CSRF token is not the session token');
});

test('a new session is seen by every server thread (many requests in a row)', async () => {
  const c = await login(node, 'lanhdao');
  for (let i = 0; i < 20; i++) expectStatus(await c.get('/api/v1/me'), 200, `request ${i}`);
});

test('GET /api/v1/me by cookie: user, role, allowed actions and the CSRF token', async () => {
  const me = expectStatus(await admin.get('/api/v1/me'), 200);
  assert.equal(me.login, 'quantri');
  assert.equal(me.role, 'admin');
  assert.equal(me.agency, AGENCY);
  assert.ok(Array.isArray(me.actions) && me.actions.includes('approve'));
  assert.equal(me.csrf_token, admin.csrf);
  const sup = expectStatus(await supervisor.get('/api/v1/me'), 200);
  assert.equal(sup.role, 'supervisor');
  assert.deepEqual(sup.actions, []);
});

test('DELETE /api/v1/session signs out: the cookie no longer works', async () => {
  const c = await login(node, 'chuyenvien');
  expectStatus(await c.get('/api/v1/me'), 200);
  const r = await c.del('/api/v1/session');
  expectStatus(r, 200, 'DELETE /session');
  assert.match(r.headers.get('set-cookie') || '', /motcua_session=;.*Max-Age=0/);
  expectError(await c.get('/api/v1/me'), 401, 'after sign-out');
});

test('without a cookie or a token the API answers 401', async () => {
  const anon = client(node);
  expectError(await anon.get('/api/v1/me'), 401);
  expectError(await anon.get(D), 401);
  expectError(await anon.post(D, newDossier()), 401);
});

// ---- procedures ----

test('GET /api/v1/procedures: q ignores case and diacritics', async () => {
  const hits = async (q) => {
    const j = expectStatus(await admin.get('/api/v1/procedures?q=' + encodeURIComponent(q)), 200, q);
    return j.items.map((p) => p.code).sort();
  };
  const a = await hits('khai sinh');
  assert.ok(a.length > 0, 'some procedure mentions khai sinh');
  assert.deepEqual(await hits('KHAI SINH'), a);
  assert.deepEqual(await hits('khái sinh'), a);
  assert.deepEqual(await hits('Khai Sinh'), a);
  const all = expectStatus(await admin.get('/api/v1/procedures'), 200);
  assert.ok(all.total > a.length, 'q narrows the list');
});

// Every procedure, page by page.
async function allProcedures(c, query = '') {
  const out = [];
  for (let off = 0; ; off += 200) {
    const j = expectStatus(await c.get(`/api/v1/procedures?limit=200&offset=${off}${query}`), 200);
    out.push(...j.items);
    if (off + 200 >= j.total) return out;
  }
}

test('GET /api/v1/procedures is paged: 100 by default, limit 1–500, offset; the pages make the whole list', async () => {
  const first = expectStatus(await admin.get('/api/v1/procedures'), 200);
  assert.equal(first.limit, 100);
  assert.equal(first.offset, 0);
  assert.equal(first.items.length, Math.min(100, first.total));
  assert.ok(first.total > 100, 'the demo catalog is larger than one page');
  const all = await allProcedures(admin);
  assert.equal(all.length, first.total);
  assert.equal(new Set(all.map((p) => p.code)).size, all.length, 'no procedure twice');
  assert.deepEqual(all.slice(0, 100).map((p) => p.code), first.items.map((p) => p.code));
  // fields: every field of the matches, whatever the page.
  assert.deepEqual([...first.fields].sort(), [...new Set(all.map((p) => p.field).filter(Boolean))].sort());
  const one = expectStatus(await admin.get('/api/v1/procedures?limit=1&offset=' + (first.total - 1)), 200);
  assert.equal(one.items.length, 1);
  assert.equal(one.items[0].code, all[all.length - 1].code);
  const past = expectStatus(await admin.get('/api/v1/procedures?offset=' + first.total), 200);
  assert.equal(past.items.length, 0);
  for (const bad of ['limit=0', 'limit=501', 'limit=x', 'offset=-1', 'limit=1e2', 'offset=', 'limit=+5']) {
    const e = expectError(await admin.get('/api/v1/procedures?' + bad), 400, bad);
    assert.match(e.message, /limit|offset/, bad);
  }
});

test('GET /api/v1/procedures?field= keeps that field only', async () => {
  const field = 'Hộ tịch';
  const j = expectStatus(await admin.get('/api/v1/procedures?field=' + encodeURIComponent(field)), 200);
  assert.ok(j.items.length > 0);
  for (const p of j.items) assert.equal(p.field, field);
  const both = expectStatus(await admin.get(`/api/v1/procedures?field=${encodeURIComponent(field)}&q=${encodeURIComponent('khai sinh')}`), 200);
  assert.ok(both.items.length > 0 && both.items.length <= j.items.length);
  for (const p of both.items) assert.equal(p.field, field);
});

test('GET /api/v1/procedures/{code}: one procedure; unknown → 404', async () => {
  const p = expectStatus(await admin.get('/api/v1/procedures/1.000253'), 200);
  assert.equal(p.code, '1.000253');
  assert.ok(p.name && Array.isArray(p.channels));
  expectError(await admin.get('/api/v1/procedures/9.999999'), 404);
});

// ---- dossiers ----

test('POST /api/v1/dossiers → 201: code, status received, due time in +07:00', async () => {
  const d = await create(reception, { summary: 'Tạo mới' });
  assert.match(d.code, /^000\.31\.45\.H45-260302-\d{4}$/, 'code carries the reception date');
  assert.equal(d.status, 'received');
  assert.equal(d.agency, AGENCY);
  assert.match(d.due_at, ISO7);
  assert.match(d.received_at, ISO7);
  assert.equal(d.received_at, '2026-03-02T09:00:00+07:00');
  // 1.000253 takes 7 calendar days: 17:00 on 2026-03-09, a Monday.
  assert.equal(d.due_at, '2026-03-09T17:00:00+07:00');
  assert.equal(d.applicant.name, applicant().name);
  for (const k of ['submitted_at', 'received_at', 'due_at', 'due_legal', 'paused_at', 'apology_at', 'finished_at', 'returned_at']) {
    assert.ok(d[k] === null || ISO7.test(d[k]), `${k} = ${d[k]}`);
  }
  // Codes are unique and serial.
  const d2 = await create(reception);
  assert.notEqual(d2.code, d.code);
  assert.ok(d2.code > d.code);
});

test('errors: a stable code; the message in Vietnamese by default, in English when asked', async () => {
  const body = { ...newDossier(), colour: 'blue' };
  const cases = [
    [undefined, 'vi'], ['vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7', 'vi'], ['en', 'en'], ['en-US,en;q=0.9', 'en'],
    ['fr-FR, en;q=0.5', 'en'], ['en;q=0.5, vi;q=0.8', 'vi'], ['*', 'vi'], ['en;q=0', 'vi'], ['vi;q=0.4, EN-gb;q=0.6', 'en'],
  ];
  for (const [al, lang] of cases) {
    const e = expectError(await reception.post(D, body, al ? { headers: { 'Accept-Language': al } } : {}), 400, String(al));
    assert.equal(e.code, 'request.unknown_field', String(al));
    assert.match(e.message, /colour/, String(al));
    if (lang === 'vi') assert.match(e.message, /không được chấp nhận/, `${al}: Vietnamese`);
    else assert.match(e.message, /^unknown field/, `${al}: English`);
  }
  // Errors raised below HTTP (the life-cycle rules) come in both languages too.
  const d = await create(reception);
  const vi = expectError(await reception.post(actPath(d.code), { action: 'return' }), 409);
  const en = expectError(await reception.post(actPath(d.code), { action: 'return' }, { headers: { 'Accept-Language': 'en' } }), 409);
  assert.equal(vi.code, en.code);
  assert.notEqual(vi.message, en.message);
  assert.match(vi.message, /[àáảãạăâđèéêìíòóôơùúưỳýạ-ỹ]/i, 'the Vietnamese message has diacritics');
  assert.doesNotMatch(en.message, /[ăâđêôơư]/i, 'the English message is English');
});

test('the OpenAPI document lists every error code in the Error schema', async () => {
  const doc = expectStatus(await reception.get('/api/v1/openapi.json'), 200);
  const en = doc.components.schemas.Error.properties.error.properties.code.enum;
  assert.deepEqual([...en].sort(), [...errorCodes().keys()].sort());
  assert.ok(en.includes('dossier.wrong_state') && en.includes('auth.required'));
});

test('POST /api/v1/dossiers refuses unknown fields naming them (400)', async () => {
  const before = eventCount(node);
  const e = expectError(await reception.post(D, { ...newDossier(), colour: 'blue' }), 400);
  assert.match(e.message, /colour/);
  const e2 = expectError(await reception.post(D, newDossier({ applicant: { ...applicant(), age: 3 } })), 400);
  assert.match(e2.message, /age/);
  assert.equal(eventCount(node), before);
});

test('GET /api/v1/dossiers/{code}: the dossier with its history; unknown → 404', async () => {
  const d = await create(reception);
  await act(admin, d.code, { action: 'assign', to: 'chuyenvien', comment: 'giao' });
  const g = expectStatus(await supervisor.get(`${D}/${d.code}`), 200);
  assert.equal(g.code, d.code);
  assert.equal(g.status, 'processing');
  assert.equal(g.assignee, 'chuyenvien');
  assert.deepEqual(g.history.map((h) => h.action), ['receive', 'assign']);
  assert.equal(g.history[1].from, 'received');
  assert.equal(g.history[1].to, 'processing');
  assert.equal(g.history[1].actor, 'quantri');
  assert.equal(g.history[1].comment, 'giao');
  for (const h of g.history) assert.match(h.at, ISO7);
  expectError(await admin.get(`${D}/${AGENCY}-260302-9999`), 404);
});

test('a dossier through its whole life: assign → supplement → resume → approval → approve → return', async () => {
  const d = await create(reception, { applicant: { ...applicant('Trọn Đời'), phone: '0911000001' } });
  let x = await act(reception, d.code, { action: 'assign', to: 'chuyenvien' });
  assert.equal(x.status, 'processing');
  const spec = await login(node, 'chuyenvien');
  x = await act(spec, d.code, { action: 'request_supplement', comment: 'Thiếu bản sao' });
  assert.equal(x.status, 'supplement');
  assert.equal(x.status_code, 5);
  assert.equal(x.resume_status, 'processing');
  x = await act(reception, d.code, { action: 'supplement_received', comment: 'Đã bổ sung' });
  assert.equal(x.status, 'processing');
  x = await act(spec, d.code, { action: 'submit_approval', comment: 'Trình ký' });
  assert.equal(x.status, 'awaiting_approval');
  const leader = await login(node, 'lanhdao');
  x = await act(leader, d.code, { action: 'approve' });
  assert.equal(x.status, 'result_ready');
  assert.equal(x.status_code, 9);
  assert.match(x.finished_at, ISO7);
  assert.ok(['early', 'on_time', 'late'].includes(x.timeliness), `timeliness ${x.timeliness}`);
  x = await act(reception, d.code, { action: 'return', comment: 'Nhận trực tiếp' });
  assert.equal(x.status, 'returned');
  assert.equal(x.status_code, 10);
  assert.deepEqual(x.history.map((h) => h.action),
    ['receive', 'assign', 'request_supplement', 'supplement_received', 'submit_approval', 'approve', 'return']);
  // A closed dossier takes no more steps.
  const e = expectError(await admin.post(actPath(d.code), { action: 'withdraw' }), 409);
  assert.equal(e.code, 'dossier.wrong_state');
  assert.match(e.message, /Đã trả kết quả/);
});

test('apology sets a new due time, once; the legal due time stays', async () => {
  const d = await create(reception);
  await act(admin, d.code, { action: 'assign', to: 'chuyenvien' });
  const x = await act(admin, d.code, { action: 'apology', comment: 'Cần xác minh', new_due: '2026-03-16T17:00+07:00' });
  assert.equal(x.status, 'processing');
  assert.equal(x.due_at, '2026-03-16T17:00:00+07:00');
  assert.equal(x.due_legal, d.due_legal);
  assert.match(x.apology_at, ISO7);
  expectError(await admin.post(actPath(d.code), { action: 'apology', comment: 'lần hai', new_due: '2026-03-20T17:00' }), 409, 'second apology');
  expectError(await admin.post(actPath(d.code), { action: 'apology', comment: 'x' }), 400, 'apology without new_due');
  // After the appointment too: the letter is still owed, and marked late
  // (issue 10 item 4; tests/api/records2.test.mjs has the rest).
  const late = await create(admin, { received_at: '2026-02-03T08:00+07:00' });
  await act(admin, late.code, { action: 'assign', to: 'chuyenvien' });
  const y = await act(admin, late.code, { action: 'apology', comment: 'Trễ', new_due: '2026-03-20T17:00' });
  assert.equal(y.apology.after_due, true);
});

test('refuse and withdraw close a dossier', async () => {
  const a = await create(reception);
  expectError(await reception.post(actPath(a.code), { action: 'refuse' }), 400, 'refuse needs a reason');
  let x = await act(reception, a.code, { action: 'refuse', comment: 'Không thuộc thẩm quyền' });
  assert.equal(x.status, 'refused');
  assert.equal(x.status_code, 3);
  assert.equal(x.note, 'Không thuộc thẩm quyền');
  const b = await create(reception);
  x = await act(reception, b.code, { action: 'withdraw', comment: 'Công dân rút' });
  assert.equal(x.status, 'withdrawn');
  assert.equal(x.status_code, 7);
  assert.match(x.finished_at, ISO7);
});

test('transfer: the dossier leaves the list, stays readable by code, and takes no more actions (409)', async () => {
  const d = await create(reception, { applicant: { ...applicant('Chuyển Đi Xa'), phone: '0911000002' } });
  let listed = await walk(admin, { q: d.code });
  assert.deepEqual(codes(listed), [d.code], 'listed before the transfer');
  const before = eventCount(node);
  const x = await act(reception, d.code, { action: 'transfer', to_agency: OTHER, comment: 'Không phụ thuộc địa giới' });
  assert.equal(x.agency, OTHER);
  assert.equal(eventCount(node), before + 1);
  listed = await walk(admin, { q: d.code });
  assert.deepEqual(codes(listed), [], 'gone from this node\'s list');
  const g = expectStatus(await admin.get(`${D}/${d.code}`), 200, 'readable by code');
  assert.equal(g.agency, OTHER);
  assert.equal(g.history.at(-1).action, 'transfer');
  assert.equal(g.history.at(-1).to_agency, OTHER);
  const after1 = eventCount(node);
  for (const body of [
    { action: 'assign', to: 'chuyenvien' },
    { action: 'withdraw' },
    { action: 'refuse', comment: 'x' },
    { action: 'transfer', to_agency: '000.33.45.H45' },
  ]) {
    expectError(await admin.post(actPath(d.code), body), 409, `${body.action} after transfer`);
  }
  assert.equal(eventCount(node), after1, 'nothing recorded');
});

test('transfer without an agency, to an unknown one or to the own one → 400', async () => {
  const d = await create(reception);
  expectError(await admin.post(actPath(d.code), { action: 'transfer' }), 400, 'transfer needs to_agency');
  expectError(await admin.post(actPath(d.code), { action: 'transfer', to_agency: '999.99.99.H99' }), 400);
  expectError(await admin.post(actPath(d.code), { action: 'transfer', to_agency: AGENCY }), 400);
});

test('the dossier list is scoped to the node\'s agency (demo transfers included)', async () => {
  const all = await walk(admin, {}, 500);
  assert.ok(all.length > 100);
  for (const d of all) assert.equal(d.agency, AGENCY, `${d.code} of ${d.agency} in the list`);
  // The demo transferred some dossiers away; the audit log names them.
  const moved = new Set();
  let after = 0;
  for (;;) {
    const page = expectStatus(await admin.get(`/api/v1/audit?after_seq=${after}&limit=1000`), 200);
    for (const ev of page.events) if (ev.kind === 'dossier.transfer') moved.add(ev.dossier);
    if (page.next_after_seq === null) break;
    after = page.next_after_seq;
  }
  assert.ok(moved.size > 0, 'the demo has transferred dossiers');
  const listed = new Set(codes(all));
  for (const c of moved) assert.ok(!listed.has(c), `transferred ${c} is listed`);
});

test('GET /api/v1/dossiers: cursor pages with limit=7 return every dossier exactly once', async () => {
  const whole = await walk(admin, {}, 500);
  const paged = await walk(admin, {}, 7);
  const seen = new Set();
  for (const c of codes(paged)) {
    assert.ok(!seen.has(c), `${c} appears twice`);
    seen.add(c);
  }
  assert.equal(paged.length, whole.length);
  assert.deepEqual(codes(paged), codes(whole), 'same order as one long page');
  // Newest first.
  for (let i = 1; i < paged.length; i++) {
    assert.ok(Date.parse(paged[i - 1].submitted_at) >= Date.parse(paged[i].submitted_at), 'ordered by submission, newest first');
  }
});

test('GET /api/v1/dossiers?status= keeps that status', async () => {
  const d = await create(reception);
  for (const status of ['received', 'processing', 'result_ready']) {
    const items = await walk(admin, { status });
    assert.ok(items.length > 0, `some dossier is ${status}`);
    for (const x of items) assert.equal(x.status, status);
    if (status === 'received') assert.ok(codes(items).includes(d.code));
  }
});

test('GET /api/v1/dossiers?q= searches name, code, CCCD and summary ignoring diacritics', async () => {
  const d = await create(reception, {
    applicant: { name: 'Khúc Thừa Dụ', id_number: '025088123456', phone: '0911000003' },
    summary: 'Xin xác nhận tình trạng hôn nhân',
  });
  for (const q of ['khuc thua du', 'KHÚC THỪA DỤ', 'Khuc Thua', '025088123456', d.code, 'tinh trang hon nhan']) {
    const items = await walk(admin, { q });
    assert.ok(codes(items).includes(d.code), `q=${q} finds it`);
    assert.ok(items.length < 20, `q=${q} is selective (${items.length} hits)`);
  }
  assert.deepEqual(await walk(admin, { q: 'khuc thua du zzz' }), []);
});

test('GET /api/v1/dossiers?overdue=true: open dossiers past their due time', async () => {
  // Back-dated by the admin: received a month ago, due 7 days later.
  const old = await create(admin, { received_at: '2026-02-02T08:00+07:00' });
  assert.match(old.code, /-260202-/);
  assert.equal(old.overdue, true);
  const fresh = await create(reception);
  const items = await walk(admin, { overdue: 'true' });
  assert.ok(codes(items).includes(old.code));
  assert.ok(!codes(items).includes(fresh.code));
  const nowMs = Date.parse('2026-03-02T09:00:00+07:00');
  for (const x of items) {
    assert.equal(x.overdue, true, `${x.code} listed as overdue`);
    assert.ok(Date.parse(x.due_at) < nowMs);
  }
});

test('GET /api/v1/dossiers?due_before= keeps dossiers due before that time', async () => {
  const limit = '2026-03-05';
  const limitMs = Date.parse('2026-03-05T00:00:00+07:00');
  const items = await walk(admin, { due_before: limit });
  assert.ok(items.length > 0);
  for (const x of items) {
    assert.ok(x.due_at, `${x.code} has a due time`);
    assert.ok(Date.parse(x.due_at) < limitMs, `${x.code} due ${x.due_at}`);
  }
  const d = await create(reception); // due 2026-03-09
  assert.ok(!codes(items).includes(d.code));
  const later = await walk(admin, { due_before: '2026-03-10T00:00+07:00' });
  assert.ok(codes(later).includes(d.code));
});

test('GET /api/v1/dossiers?assignee= keeps that officer\'s dossiers', async () => {
  const d = await create(reception);
  await act(admin, d.code, { action: 'assign', to: 'lanhdao' });
  const items = await walk(admin, { assignee: 'lanhdao' });
  assert.ok(codes(items).includes(d.code));
  for (const x of items) assert.equal(x.assignee, 'lanhdao');
  const spec = await walk(admin, { assignee: 'chuyenvien' });
  assert.ok(spec.length > 0);
  for (const x of spec) assert.equal(x.assignee, 'chuyenvien');
  assert.ok(!codes(spec).includes(d.code));
});

test('GET /api/v1/dossiers?field= keeps dossiers of that field\'s procedures', async () => {
  const field = 'Hộ tịch';
  const procs = expectStatus(await admin.get('/api/v1/procedures?field=' + encodeURIComponent(field)), 200).items;
  const inField = new Set(procs.map((p) => p.code));
  // One the commune receives (its own list, with a time: docs/overlay.md).
  const open = new Set(expectStatus(await reception.get('/api/v1/reception/procedures?limit=500'), 200).items.map((p) => p.code));
  const withDirect = procs.find((p) => open.has(p.code) && (p.channels || []).some((c) => c.channel === 'direct'));
  assert.ok(withDirect, 'a Hộ tịch procedure taken directly');
  const d = await create(reception, { procedure: withDirect.code });
  const items = await walk(admin, { field });
  assert.ok(codes(items).includes(d.code));
  for (const x of items) assert.ok(inField.has(x.procedure), `${x.code}: ${x.procedure} is not in ${field}`);
  const other = await create(reception); // 1.000253, another field
  assert.ok(!inField.has(other.procedure));
  assert.ok(!codes(items).includes(other.code));
});

test('GET /api/v1/dossiers?channel= keeps that channel', async () => {
  const d = await create(reception, { channel: 'postal' });
  assert.equal(d.channel, 'postal');
  const items = await walk(admin, { channel: 'postal' });
  assert.ok(codes(items).includes(d.code));
  for (const x of items) assert.equal(x.channel, 'postal');
  const direct = await walk(admin, { channel: 'direct' });
  assert.ok(direct.length > 0);
  for (const x of direct) assert.equal(x.channel, 'direct');
});

test('GET /api/v1/dossiers?received_from=&received_to= keeps that period', async () => {
  const d = await create(reception);
  const today = await walk(admin, { received_from: '2026-03-02', received_to: '2026-03-02' });
  assert.ok(codes(today).includes(d.code));
  for (const x of today) assert.ok(x.received_at && x.received_at.startsWith('2026-03-02T'), `${x.code} received ${x.received_at}`);
  const feb = await walk(admin, { received_from: '2026-02-01', received_to: '2026-02-28' });
  assert.ok(feb.length > 0);
  for (const x of feb) assert.ok(x.received_at && x.received_at.startsWith('2026-02-'), `${x.code} received ${x.received_at}`);
  assert.ok(!codes(feb).includes(d.code));
});

test('GET /api/v1/dossiers?sort=due: soonest due first, across pages, the same set as the default order', async () => {
  for (const query of [{ overdue: 'true' }, { status: 'open' }, {}]) {
    const byDue = await walk(admin, { ...query, sort: 'due' }, 7);
    const byRecv = (await walk(admin, query, 50)).filter((d) => d.due_at !== null);
    assert.ok(byDue.length > 7, `${JSON.stringify(query)}: more than a page (${byDue.length})`);
    assert.deepEqual(codes(byDue).sort(), codes(byRecv).sort(), `${JSON.stringify(query)}: the same dossiers`);
    for (let i = 1; i < byDue.length; i++) {
      const a = byDue[i - 1], b = byDue[i];
      assert.ok(Date.parse(a.due_at) < Date.parse(b.due_at) || (a.due_at === b.due_at && a.code < b.code), `order at ${i}: ${a.code} ${a.due_at} / ${b.code} ${b.due_at}`);
    }
  }
  const first = expectStatus(await admin.get(`${D}?sort=due&limit=2`), 200);
  assert.match(first.next_cursor, /^d/);
  expectError(await admin.get(`${D}?sort=received&cursor=${encodeURIComponent(first.next_cursor)}`), 400, 'a due cursor in the received order');
  const recv = expectStatus(await admin.get(`${D}?limit=2`), 200);
  expectError(await admin.get(`${D}?sort=due&cursor=${encodeURIComponent(recv.next_cursor)}`), 400, 'a received cursor in the due order');
  expectError(await admin.get(`${D}?sort=sideways`), 400);
});

test('GET /api/v1/dossiers: each filter returns exactly the matching dossiers of the whole list', async () => {
  const all = await walk(admin, {}, 500);
  const procs = await allProcedures(admin);
  const fieldOf = new Map(procs.map((p) => [p.code, p.field]));
  const day = (iso) => iso.slice(0, 10); // local date: times carry +07:00
  const nowMs = Date.parse('2026-03-02T09:00:00+07:00');
  const cases = [
    [{ status: 'processing' }, (d) => d.status === 'processing'],
    [{ status: 'awaiting_approval' }, (d) => d.status === 'awaiting_approval'],
    [{ status: 'submitted' }, (d) => d.status === 'submitted'],
    [{ overdue: 'true' }, (d) => d.overdue === true],
    [{ channel: 'online' }, (d) => d.channel === 'online'],
    [{ assignee: 'chuyenvien' }, (d) => d.assignee === 'chuyenvien'],
    [{ field: 'Hộ tịch' }, (d) => fieldOf.get(d.procedure) === 'Hộ tịch'],
    [{ received_from: '2026-02-10', received_to: '2026-02-20' }, (d) => d.received_at !== null && day(d.received_at) >= '2026-02-10' && day(d.received_at) <= '2026-02-20'],
    [{ due_before: '2026-03-02T09:00' }, (d) => d.due_at !== null && Date.parse(d.due_at) < nowMs],
    [{ status: 'processing', assignee: 'chuyenvien', overdue: 'true' }, (d) => d.status === 'processing' && d.assignee === 'chuyenvien' && d.overdue === true],
  ];
  for (const [query, pred] of cases) {
    const want = codes(all.filter(pred));
    const got = codes(await walk(admin, query, 7));
    assert.ok(want.length > 0, `${JSON.stringify(query)} matches some dossier`);
    assert.deepEqual(got, want, `filter ${JSON.stringify(query)}`);
  }
});

// ---- calendar ----

test('GET /api/v1/calendar/days-off?year=2026', async () => {
  const j = expectStatus(await reception.get('/api/v1/calendar/days-off?year=2026'), 200);
  assert.equal(j.year, 2026);
  assert.ok(j.days_off.includes('2026-02-16'), 'Tết 2026');
  assert.ok(j.days_off.includes('2026-01-01'));
  assert.ok(!j.days_off.includes('2026-01-10'), '2026-01-10 is a make-up working Saturday');
  assert.deepEqual([...j.days_off].sort(), j.days_off, 'sorted');
});

test('GET /api/v1/calendar/due: one working day from 07:00 ends at 17:00 the same day', async () => {
  const j = expectStatus(await reception.get('/api/v1/calendar/due?at=2026-03-02T07:00&time=1&unit=working_days'), 200);
  assert.equal(j.due, '2026-03-02T17:00:00+07:00');
  assert.equal(j.at, '2026-03-02T07:00:00+07:00');
});

test('GET /api/v1/calendar/due follows office hours, lunch, cut-off, days off and make-up days', async () => {
  const cases = [
    ['at=2026-03-02T17:30&time=1&unit=working_hours', '2026-03-03T08:00:00+07:00'], // after hours → next morning
    ['at=2026-03-02T11:00&time=1&unit=working_hours', '2026-03-02T14:00:00+07:00'], // across lunch
    ['at=2026-03-02T14:00&unit=same_day', '2026-03-02T17:00:00+07:00'], // before the 15:00 cut-off
    ['at=2026-03-02T15:30&unit=same_day', '2026-03-03T17:00:00+07:00'], // after it
    ['at=2026-03-02T09:00&time=7&unit=calendar_days', '2026-03-09T17:00:00+07:00'],
    ['at=2026-02-10T10:00&time=5&unit=calendar_days', '2026-02-23T17:00:00+07:00'], // lands in Tết → next working day
    ['at=2026-02-13T13:00&time=1&unit=working_days', '2026-02-23T11:30:00+07:00'], // across Tết
    ['at=2026-01-09T17:00&time=1&unit=working_hours', '2026-01-10T08:00:00+07:00'], // make-up Saturday
    ['at=2026-03-06T10:00&time=2&unit=working_days', '2026-03-10T10:00:00+07:00'], // over a weekend
  ];
  for (const [q, due] of cases) {
    const j = expectStatus(await reception.get('/api/v1/calendar/due?' + q), 200, q);
    assert.equal(j.due, due, q);
  }
});

test('POST /api/v1/dossiers takes the catalog\'s own component names, however long', async () => {
  let longest = null;
  for (const code of ['1.000894', '1.001193']) {
    const p = expectStatus(await reception.get('/api/v1/procedures/' + code), 200);
    const comps = (p.components || []).filter((c) => c.originals > 0 || c.copies > 0);
    assert.ok(comps.length > 0, code + ' has documents');
    const body = comps.map((c) => ({ name: c.name, originals: c.originals, copies: c.copies }));
    const d = await create(reception, { procedure: code, components: body });
    assert.deepEqual(d.components.map((c) => c.name), body.map((c) => c.name));
    for (const c of body) if (!longest || c.name.length > longest.length) longest = c.name;
  }
  assert.ok(Buffer.byteLength(longest) > 300, 'a name longer than the old 300-byte limit was sent');
});

// ---- idempotency keys (a retry over a flaky link must not double a write) ----

const key = (tag) => `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

test('Idempotency-Key: a retried reception gives the same dossier and writes nothing more', async () => {
  const k = key('recv');
  const body = newDossier({ summary: 'thử lại khi mạng chập chờn' });
  const ev0 = eventCount(node);
  const a = await reception.post(D, body, { headers: { 'Idempotency-Key': k } });
  const d = expectStatus(a, 201, 'first');
  assert.equal(a.headers.get('idempotent-replayed'), null, 'the first answer is not a replay');
  assert.equal(eventCount(node), ev0 + 1);
  const b = await reception.post(D, body, { headers: { 'Idempotency-Key': k } });
  const again = expectStatus(b, 201, 'retry');
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.code, d.code, 'the same dossier');
  assert.equal(again.due_at, d.due_at);
  assert.equal(eventCount(node), ev0 + 1, 'no second event');
  assert.equal((await walk(admin, { q: 'thu lai khi mang chap chon' })).length, 1, 'one dossier with that summary');
  // Without a key, or with another, a second dossier is made (keys are opt-in).
  const c = expectStatus(await reception.post(D, body, { headers: { 'Idempotency-Key': key('recv') } }), 201);
  assert.notEqual(c.code, d.code);
  // The same key is another officer's own: admin's use of it makes a dossier.
  const x = expectStatus(await admin.post(D, body, { headers: { 'Idempotency-Key': k } }), 201);
  assert.notEqual(x.code, d.code);
});

test('Idempotency-Key: a retried action is done once; the key cannot be reused for another request', async () => {
  const d = await create(reception);
  const k = key('act');
  const ev0 = eventCount(node);
  const a = await admin.post(actPath(d.code), { action: 'assign', to: 'chuyenvien' }, { headers: { 'Idempotency-Key': k } });
  assert.equal(expectStatus(a, 200).status, 'processing');
  const b = await admin.post(actPath(d.code), { action: 'assign', to: 'chuyenvien' }, { headers: { 'Idempotency-Key': k } });
  assert.equal(expectStatus(b, 200, 'retry').status, 'processing');
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(eventCount(node), ev0 + 1, 'assigned once');
  // Without the key the same action is refused by the state machine.
  expectError(await admin.post(actPath(d.code), { action: 'assign', to: 'chuyenvien' }), 409);
  // The key names one request: another action, dossier or a reception is a conflict.
  expectError(await admin.post(actPath(d.code), { action: 'submit_approval' }, { headers: { 'Idempotency-Key': k } }), 409, 'other action');
  const other = await create(reception);
  expectError(await admin.post(actPath(other.code), { action: 'assign', to: 'chuyenvien' }, { headers: { 'Idempotency-Key': k } }), 409, 'other dossier');
  expectError(await admin.post(D, newDossier(), { headers: { 'Idempotency-Key': k } }), 409, 'a reception');
  assert.equal(eventCount(node), ev0 + 2, 'only the assignment and the other reception were written');
});

test('Idempotency-Key: concurrent duplicates make one dossier', async () => {
  const k = key('race');
  const body = newDossier({ summary: 'gửi trùng đồng thời' });
  const rs = await Promise.all(Array.from({ length: 8 }, () => reception.post(D, body, { headers: { 'Idempotency-Key': k } })));
  const codesSeen = new Set(rs.map((r) => expectStatus(r, 201).code));
  assert.equal(codesSeen.size, 1, 'one code: ' + [...codesSeen]);
  assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 7);
});

test('Idempotency-Key: a malformed key is refused and nothing is written', async () => {
  const ev0 = eventCount(node);
  for (const k of ['short', 'x'.repeat(65), 'has space in it', 'khoa.co.dau.cham', "k'; DROP TABLE dossier;--", '../../etc/passwd']) {
    expectError(await reception.post(D, newDossier(), { headers: { 'Idempotency-Key': k } }), 400, JSON.stringify(k));
  }
  const d = await create(reception);
  expectError(await admin.post(actPath(d.code), { action: 'assign', to: 'chuyenvien' }, { headers: { 'Idempotency-Key': 'bad key!' } }), 400);
  assert.equal(eventCount(node), ev0 + 1, 'only the one good reception');
});

// ---- users ----

test('users: list, add, change role, reset password, disable — never a password hash', async () => {
  const texts = [];
  const list = await admin.get('/api/v1/users');
  texts.push(list.text);
  const users = expectStatus(list, 200).items;
  assert.deepEqual(users.map((u) => u.login).sort(), ['chuyenvien', 'giamsat', 'lanhdao', 'quantri', 'tiepnhan']);

  const add = await admin.post('/api/v1/users', { login: 'thuky', name: 'Đào Thư Ký', role: 'reception', password: 'mat-khau-thu-ky' });
  texts.push(add.text);
  const u = expectStatus(add, 201, 'POST /users');
  assert.equal(u.login, 'thuky');
  assert.equal(u.role, 'reception');
  assert.equal(u.disabled, false);
  expectError(await admin.post('/api/v1/users', { login: 'thuky', name: 'Lặp', role: 'reception', password: 'mat-khau-khac' }), 409, 'duplicate login');

  const tk = await login(node, 'thuky', 'mat-khau-thu-ky');
  assert.equal(expectStatus(await tk.get('/api/v1/me'), 200).role, 'reception');

  const role = await admin.patch('/api/v1/users/thuky', { role: 'specialist' });
  texts.push(role.text);
  assert.equal(expectStatus(role, 200).role, 'specialist');
  assert.equal(expectStatus(await tk.get('/api/v1/me'), 200).role, 'specialist', 'the role applies at once');

  const pw = await admin.patch('/api/v1/users/thuky', { password: 'mat-khau-moi-1' });
  texts.push(pw.text);
  expectStatus(pw, 200, 'password reset');
  expectError(await tk.get('/api/v1/me'), 401, 'a reset ends the sessions');
  expectError(await client(node).post('/api/v1/session', { login: 'thuky', password: 'mat-khau-thu-ky' }), 401, 'old password');
  const tk2 = await login(node, 'thuky', 'mat-khau-moi-1');

  const dis = await admin.patch('/api/v1/users/thuky', { disabled: true });
  texts.push(dis.text);
  assert.equal(expectStatus(dis, 200).disabled, true);
  expectError(await tk2.get('/api/v1/me'), 401, 'a disabled account\'s session ends');
  expectError(await client(node).post('/api/v1/session', { login: 'thuky', password: 'mat-khau-moi-1' }), 401, 'a disabled account cannot sign in');

  const list2 = await admin.get('/api/v1/users');
  texts.push(list2.text);
  const again = expectStatus(list2, 200).items.find((x) => x.login === 'thuky');
  assert.equal(again.disabled, true);
  assert.equal(again.role, 'specialist');

  expectError(await admin.patch('/api/v1/users/nobody', { disabled: true }), 404);
  expectError(await admin.patch('/api/v1/users/quantri', { disabled: true }), 400, 'cannot disable oneself');
  expectError(await admin.patch('/api/v1/users/quantri', { role: 'reception' }), 400, 'cannot demote oneself');
  assert.equal(expectStatus(await admin.get('/api/v1/me'), 200).role, 'admin', 'still an administrator');
  assert.equal(expectStatus(await admin.patch('/api/v1/users/quantri', { role: 'admin', name: 'Lê Thị Hoa' }), 200).role, 'admin', 'naming one\'s own role again is fine');

  for (const t of texts) {
    assert.doesNotMatch(t, /argon2/i, 'a password hash in a response');
    assert.doesNotMatch(t, /pw_hash|password/i, 'a password field in a response');
  }
  // The audit log does not carry them either.
  const audit = await admin.get('/api/v1/audit?after_seq=0&limit=1000');
  assert.doesNotMatch(audit.text, /argon2/i);
  assert.doesNotMatch(audit.text, /mat-khau/);
});

// ---- audit ----

test('GET /api/v1/audit: supervisor and admin 200, everyone else 403', async () => {
  expectStatus(await supervisor.get('/api/v1/audit?limit=5'), 200);
  expectStatus(await admin.get('/api/v1/audit?limit=5'), 200);
  for (const who of ['tiepnhan', 'chuyenvien', 'lanhdao']) {
    const c = who === 'tiepnhan' ? reception : await login(node, who);
    expectError(await c.get('/api/v1/audit?limit=5'), 403, who);
  }
});

test('GET /api/v1/audit pages with after_seq/limit and the hashes chain', async () => {
  const p1 = expectStatus(await supervisor.get('/api/v1/audit?after_seq=0&limit=10'), 200);
  assert.equal(p1.events.length, 10);
  assert.deepEqual(p1.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(p1.next_after_seq, 10);
  const p2 = expectStatus(await supervisor.get('/api/v1/audit?after_seq=10&limit=10'), 200);
  assert.equal(p2.events[0].seq, 11);
  assert.equal(p2.events[0].prev_hash, p1.events[9].hash, 'the chain crosses pages');

  const all = [];
  let after = 0;
  for (;;) {
    const p = expectStatus(await supervisor.get(`/api/v1/audit?after_seq=${after}&limit=97`), 200);
    all.push(...p.events);
    if (p.next_after_seq === null) break;
    assert.equal(p.events.length, 97);
    after = p.next_after_seq;
  }
  assert.equal(all.length, eventCount(node), 'every event, once');
  assert.match(all[0].prev_hash, /^0{64}$/);
  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    assert.equal(e.seq, i + 1);
    assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.match(e.at, ISO7);
    if (i > 0) assert.equal(e.prev_hash, all[i - 1].hash, `event ${e.seq} does not chain to ${e.seq - 1}`);
  }
  const last = all.at(-1).seq;
  const tail = expectStatus(await supervisor.get(`/api/v1/audit?after_seq=${last}&limit=10`), 200);
  assert.deepEqual(tail.events, []);
  assert.equal(tail.next_after_seq, null);
});

// ---- public look-up and rating ----

test('public look-up by code and the last 4 phone digits shows nothing personal', async () => {
  const person = { name: 'Lò Văn Bí Mật', id_number: '025199887766', phone: '0977123987', address: 'Xóm Ẩn Danh Riêng' };
  const d = await create(reception, { applicant: person, summary: 'Tóm tắt riêng tư' });
  await act(admin, d.code, { action: 'assign', to: 'chuyenvien', comment: 'Ghi chú nội bộ' });
  const pub = client(node);
  const r = await pub.get(`/api/v1/public/lookup?code=${d.code}&phone=3987`);
  const j = expectStatus(r, 200, 'lookup');
  assert.equal(j.code, d.code);
  assert.equal(j.status, 'processing');
  assert.ok(j.procedure_name);
  assert.equal(j.received_at, d.received_at);
  assert.equal(j.due_at, d.due_at);
  assert.deepEqual(j.steps.map((s) => s.action), ['receive', 'assign']);
  for (const s of j.steps) assert.match(s.at, ISO7);
  const me = expectStatus(await admin.get('/api/v1/settings'), 200);
  assert.equal(j.agency, d.agency);
  assert.equal(j.agency_name, me.agency_name, 'the office handling it');
  for (const secret of [person.name, person.id_number, person.phone, person.address, 'Bí Mật', 'Ẩn Danh', '0977123', 'Tóm tắt riêng tư', 'Ghi chú nội bộ', 'applicant', 'chuyenvien', 'tiepnhan', 'quantri']) {
    assert.ok(!r.text.includes(secret), `the look-up shows ${secret}: ${r.text}`);
  }
});

test('public look-up: a wrong phone answers exactly like an unknown code', async () => {
  const d = await create(reception, { applicant: { ...applicant(), phone: '0911222333' } });
  const pub = client(node);
  const wrong = await pub.get(`/api/v1/public/lookup?code=${d.code}&phone=2334`);
  const unknown = await pub.get(`/api/v1/public/lookup?code=${AGENCY}-260302-9999&phone=2333`);
  expectError(wrong, 404);
  assert.equal(wrong.status, unknown.status);
  assert.equal(wrong.text, unknown.text, 'byte-identical bodies');
  assert.equal(wrong.headers.get('content-type'), unknown.headers.get('content-type'));
});

test('public rating: one answer (404) before the result, with a wrong phone and the second time; 201 once after', async () => {
  const d = await create(reception, { applicant: { ...applicant(), phone: '0911444555' } });
  const pub = client(node);
  const rate = (level, phone = '4555', code = d.code) => pub.post('/api/v1/public/ratings', { code, phone, level, comment: 'Tốt' });
  const before = eventCount(node);
  // Right digits, wrong digits and an unknown code answer alike: no oracle
  // for a citizen's phone.
  const early = await rate(3);
  expectError(early, 404, 'rating before the result');
  const wrong = await rate(3, '4556');
  expectError(wrong, 404, 'wrong phone');
  const unknown = await rate(3, '4555', d.code.replace(/\d{4}$/, '9999'));
  expectError(unknown, 404, 'unknown code');
  assert.equal(early.text, wrong.text, 'not ready and wrong phone: byte-identical bodies');
  assert.equal(early.text, unknown.text, 'not ready and unknown code: byte-identical bodies');
  assert.equal(eventCount(node), before);
  await act(admin, d.code, { action: 'assign', to: 'chuyenvien' });
  await act(admin, d.code, { action: 'submit_approval' });
  await act(admin, d.code, { action: 'approve' });
  expectStatus(await rate(3), 201, 'first rating');
  const n = eventCount(node);
  const again = await rate(2);
  expectError(again, 404, 'second rating');
  assert.equal(again.text, early.text, 'rated already: the same answer');
  assert.equal(eventCount(node), n);
  const look = expectStatus(await pub.get(`/api/v1/public/lookup?code=${d.code}&phone=4555`), 200);
  assert.equal(look.rated, true);
  assert.equal(look.can_rate, false);
});

// ---- other read endpoints ----

test('GET /api/v1/agencies, /dashboard and /settings answer', async () => {
  const ag = expectStatus(await reception.get('/api/v1/agencies'), 200).items;
  assert.ok(ag.some((a) => a.code === AGENCY && a.self === true));
  assert.ok(ag.some((a) => a.code === OTHER && a.self === false));
  const dash = expectStatus(await reception.get('/api/v1/dashboard'), 200);
  assert.equal(typeof dash.counts.processing, 'number');
  const st = expectStatus(await reception.get('/api/v1/settings'), 200);
  assert.equal(st.agency, AGENCY);
});

// ---- OpenAPI ----

test('the route table is sorted by path then method, without duplicates', () => {
  const routes = routeTable();
  for (let i = 1; i < routes.length; i++) {
    const a = routes[i - 1], b = routes[i];
    const order = a.pattern < b.pattern || (a.pattern === b.pattern && a.method < b.method);
    assert.ok(order, `${a.method} ${a.pattern} must come before ${b.method} ${b.pattern}`);
  }
  for (const r of routes) {
    assert.match(r.who, /^(anyone|any officer|[a-z, ]+)$/, `${r.method} ${r.pattern} says who may call it`);
    assert.match(r.body, /^(none|\d+ (KiB|MiB))$/, `${r.method} ${r.pattern} has a body limit`);
    assert.match(r.rate, /^(session|public|signin)$/, `${r.method} ${r.pattern} has a rate class`);
    if (r.method === 'GET' || r.method === 'DELETE') assert.equal(r.body, 'none', `${r.method} ${r.pattern} takes no body`);
    if (r.who === 'anyone' && r.body !== 'none') assert.match(r.body, /^\d+ KiB$/, `anonymous ${r.method} ${r.pattern}: a few KB at most`);
  }
});

test('405 names the methods the route table has for the path (Allow)', async () => {
  const routes = routeTable();
  for (const path of ['/api/v1/session', '/api/v1/dossiers', '/api/v1/users/tiepnhan', '/api/v1/settings']) {
    const r = await client(node).req('PUT', path, {});
    expectError(r, 405, `PUT ${path}`);
    const pattern = routes.find((x) => new RegExp('^' + x.pattern.replace(/\{[a-z]+\}/g, '[^/]+') + '$').test(path)).pattern;
    const want = routes.filter((x) => x.pattern === pattern).flatMap((x) => (x.method === 'GET' ? ['GET', 'HEAD'] : [x.method]));
    assert.deepEqual(r.headers.get('allow').split(', ').sort(), want.sort(), `Allow of ${path}`);
  }
});

test('GET /api/v1/openapi.json documents every route of the route table', async () => {
  const r = await client(node).get('/api/v1/openapi.json');
  const doc = expectStatus(r, 200);
  assert.match(doc.openapi, /^3\./);
  const missing = [];
  for (const { method, pattern } of routeTable()) {
    if (!doc.paths[pattern] || !doc.paths[pattern][method.toLowerCase()]) missing.push(`${method} ${pattern}`);
  }
  assert.deepEqual(missing, [], 'routes missing from openapi.json');
});

test('GET /api/v1/staff: every officer reads names and roles, nothing more', async () => {
  const users = expectStatus(await admin.get('/api/v1/users'), 200).items;
  for (const c of [reception, supervisor, admin]) {
    const r = await c.get('/api/v1/staff');
    const staff = expectStatus(r, 200).items;
    assert.deepEqual(staff.map((u) => u.login).sort(), users.map((u) => u.login).sort(), 'the same accounts as /users');
    for (const u of staff) {
      assert.deepEqual(Object.keys(u).sort(), ['disabled', 'login', 'name', 'role', 'role_label', 'unit']);
      const full = users.find((x) => x.login === u.login);
      assert.equal(u.name, full.name);
      assert.equal(u.role, full.role);
      assert.equal(u.disabled, full.disabled);
      assert.equal(u.unit, full.unit);
    }
    assert.doesNotMatch(r.text, /argon2|pw_hash|password|created_at/i);
  }
  assert.equal(expectStatus(await reception.get('/api/v1/staff'), 200).items.find((u) => u.login === 'chuyenvien').role_label, 'Chuyên viên');
  expectError(await client(node).get('/api/v1/staff'), 401, 'signed-out');
  expectError(await reception.get('/api/v1/users'), 403, 'the full account list stays with the admin');
});

test('a second server on a port in use refuses to start (and the first keeps serving)', async () => {
  const r = spawnSync(BIN, ['serve', '--dir', node.data, '--listen', `127.0.0.1:${node.port}`], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.signal, null, 'it exited by itself rather than serving');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  for (let i = 0; i < 20; i++) expectStatus(await client(node).get('/healthz'), 200);
});

test('openapi.json lists every endpoint the issue names', async () => {
  const doc = expectStatus(await client(node).get('/api/v1/openapi.json'), 200);
  const named = [
    'GET /healthz', 'POST /api/v1/session', 'DELETE /api/v1/session', 'GET /api/v1/me',
    'GET /api/v1/procedures', 'GET /api/v1/procedures/{code}',
    'POST /api/v1/dossiers', 'GET /api/v1/dossiers', 'GET /api/v1/dossiers/{code}',
    'POST /api/v1/dossiers/{code}/actions',
    'GET /api/v1/calendar/days-off', 'GET /api/v1/calendar/due',
    'GET /api/v1/users', 'POST /api/v1/users', 'PATCH /api/v1/users/{login}', 'GET /api/v1/staff',
    'GET /api/v1/audit', 'GET /api/v1/public/lookup', 'POST /api/v1/public/ratings',
    'GET /api/v1/openapi.json',
  ];
  for (const e of named) {
    const [m, p] = e.split(' ');
    assert.ok(doc.paths[p] && doc.paths[p][m.toLowerCase()], `${e} is not in openapi.json`);
  }
});

// ---- API tokens ----

test('motcua token create prints the token alone; Bearer works without CSRF; revoke → 401', async () => {
  const out = spawnSync(BIN, ['token', 'create', 'tiepnhan', '--dir', node.data], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^[0-9a-f]{64}\n$/, 'stdout is the token alone');
  const token = out.stdout.trim();
  const id = (out.stderr.match(/\b([0-9a-f]{16})\b/) || [])[1];
  assert.ok(id, `token id on stderr: ${out.stderr}`);

  const api = bearer(node, token);
  const me = expectStatus(await api.get('/api/v1/me'), 200);
  assert.equal(me.login, 'tiepnhan');
  assert.equal(me.csrf_token, undefined, 'no CSRF token for a bearer');
  const d = await create(api); // a POST without X-CSRF-Token
  await act(api, d.code, { action: 'assign', to: 'chuyenvien' });

  const rv = spawnSync(BIN, ['token', 'revoke', id, '--dir', node.data], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(rv.status, 0, rv.stderr);
  expectError(await api.get('/api/v1/me'), 401, 'revoked token');
  const n = eventCount(node);
  expectError(await api.post(D, newDossier()), 401, 'revoked token');
  assert.equal(eventCount(node), n);
  expectError(await bearer(node, 'f'.repeat(64)).get('/api/v1/me'), 401, 'unknown token');
});

// ---- CSRF ----

test('CSRF: cookie-authenticated POST/PATCH/DELETE without the token → 403, nothing changed', async () => {
  const d = await create(reception);
  const before = eventCount(node);
  const noToken = client(node, { cookie: admin.cookie });
  const cases = [
    () => noToken.post(D, newDossier()),
    () => noToken.post(actPath(d.code), { action: 'withdraw' }),
    () => noToken.patch('/api/v1/users/tiepnhan', { disabled: true }),
    () => noToken.post('/api/v1/users', { login: 'csrf1', name: 'X', role: 'reception', password: 'abcdefgh1' }),
    () => noToken.patch('/api/v1/settings', { cutoff: '14:00' }),
    () => noToken.del('/api/v1/session'),
  ];
  for (const run of cases) {
    const e = expectError(await run(), 403, 'no CSRF token');
    assert.equal(e.code, 'auth.csrf');
  }
  assert.equal(eventCount(node), before, 'no event recorded');
  expectStatus(await noToken.get('/api/v1/me'), 200, 'the session survives (GET needs no token)');
  assert.equal(expectStatus(await admin.get(`${D}/${d.code}`), 200).status, 'received');
  const users = expectStatus(await admin.get('/api/v1/users'), 200).items;
  assert.equal(users.find((u) => u.login === 'tiepnhan').disabled, false);
  assert.ok(!users.some((u) => u.login === 'csrf1'));
  assert.equal(expectStatus(await admin.get('/api/v1/settings'), 200).cutoff, '15:00');
});

test('CSRF: a wrong token (made up, or another session\'s) → 403, nothing changed', async () => {
  const d = await create(reception);
  const before = eventCount(node);
  for (const bad of ['f'.repeat(64), reception.csrf, admin.csrf.slice(0, 63) + (admin.csrf.endsWith('0') ? '1' : '0'), admin.csrf.toUpperCase(), '']) {
    const c = client(node, { cookie: admin.cookie });
    const h = { headers: { 'X-CSRF-Token': bad } };
    expectError(await c.post(D, newDossier(), h), 403, `token ${bad}`);
    expectError(await c.post(actPath(d.code), { action: 'withdraw' }, h), 403, `token ${bad}`);
    expectError(await c.patch('/api/v1/users/tiepnhan', { name: 'Đổi Tên' }, h), 403, `token ${bad}`);
    expectError(await c.req('DELETE', '/api/v1/session', undefined, h), 403, `token ${bad}`);
  }
  assert.equal(eventCount(node), before);
  expectStatus(await admin.get('/api/v1/me'), 200);
  assert.equal(expectStatus(await admin.get(`${D}/${d.code}`), 200).status, 'received');
});

// ---- idle expiry ----

test('a session idle for more than 8 hours → 401 with a message', async () => {
  const c = await login(node, 'giamsat');
  expectStatus(await c.get('/api/v1/me'), 200);
  const hash = sessionHash(c);
  assert.equal(sql(node, `SELECT count(*) FROM session WHERE token_hash = '${hash}'`).trim(), '1');
  sql(node, `UPDATE session SET seen_at = seen_at - 9*3600 WHERE token_hash = '${hash}'`);
  const e = expectError(await c.get('/api/v1/me'), 401, 'expired session');
  assert.match(e.code, /^auth\./);
  expectError(await c.get(D), 401, 'still expired');
  // Other sessions are untouched.
  expectStatus(await supervisor.get('/api/v1/me'), 200);
});

test('a session idle for 7 hours still works', async () => {
  const c = await login(node, 'giamsat');
  sql(node, `UPDATE session SET seen_at = seen_at - 7*3600 WHERE token_hash = '${sessionHash(c)}'`);
  expectStatus(await c.get('/api/v1/me'), 200);
});

test('activity keeps a session alive: the idle clock restarts at each request', async () => {
  const c = await login(node, 'giamsat');
  const hash = sessionHash(c);
  sql(node, `UPDATE session SET seen_at = seen_at - 7*3600 WHERE token_hash = '${hash}'`);
  expectStatus(await c.get('/api/v1/me'), 200, 'after 7 idle hours');
  // 2 more idle hours: 9 since sign-in, but only 2 since the last request.
  sql(node, `UPDATE session SET seen_at = seen_at - 2*3600 WHERE token_hash = '${hash}'`);
  expectStatus(await c.get('/api/v1/me'), 200, '2 hours after the last request');
});

test('the session cookie does not end an active session: it is renewed whenever the idle clock is', async () => {
  // The server keeps a session 8 hours after its last use, but the cookie it
  // sets at sign-in carries Max-Age=28800: a browser drops it 8 hours after
  // sign-in however busy the officer is (office hours span 10 hours). Either
  // the cookie has no fixed lifetime, or a touched session sends it anew.
  const r = await fetch(node.base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'giamsat', password: PASSWORD }),
  });
  assert.equal(r.status, 200);
  const sc = r.headers.get('set-cookie');
  const cookie = sc.split(';')[0];
  if (!/max-age|expires/i.test(sc)) return; // a browser-session cookie: nothing to renew
  const c = client(node, { cookie });
  sql(node, `UPDATE session SET seen_at = seen_at - 7*3600 WHERE token_hash = '${sessionHash(c)}'`);
  const me = await c.get('/api/v1/me'); // moves the idle clock to now
  expectStatus(me, 200, 'after 7 idle hours');
  const renewed = me.headers.get('set-cookie') || '';
  assert.ok(renewed.startsWith(cookie + ';'),
    `sign-in set "${sc}"; after the server extended the session to now + 8 h the response renews no cookie (Set-Cookie: "${renewed}")`);
  const age = /max-age=(\d+)/i.exec(renewed);
  assert.ok(!age || Number(age[1]) >= 8 * 3600 - 60, `renewed Max-Age ${age && age[1]}`);
});

test('session and API tokens are stored only as hashes', async () => {
  const c = await login(node, 'giamsat');
  const token = c.cookie.split('=')[1];
  const out = spawnSync(BIN, ['token', 'create', 'giamsat', '--dir', node.data], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(out.status, 0, out.stderr);
  const api = out.stdout.trim();
  const dump = sql(node, 'SELECT * FROM session; SELECT * FROM api_token;');
  assert.ok(dump.includes(sessionHash(c)), 'the session row holds the SHA-256');
  assert.ok(!dump.includes(token), 'the session token is stored in clear');
  assert.ok(!dump.includes(api), 'the API token is stored in clear');
  assert.ok(dump.includes(createHash('sha256').update(api).digest('hex')));
});

test('an API token stops working when its account is disabled', async () => {
  expectStatus(await admin.post('/api/v1/users', { login: 'tichhop', name: 'Tích Hợp', role: 'supervisor', password: 'mat-khau-tich-hop' }), 201, 'add');
  const out = spawnSync(BIN, ['token', 'create', 'tichhop', '--dir', node.data], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(out.status, 0, out.stderr);
  const api = bearer(node, out.stdout.trim());
  expectStatus(await api.get('/api/v1/me'), 200);
  // Signing out a bearer does not revoke the token.
  expectStatus(await api.del('/api/v1/session'), 200, 'DELETE /session by bearer');
  expectStatus(await api.get('/api/v1/me'), 200, 'the token still works');
  expectStatus(await admin.patch('/api/v1/users/tichhop', { disabled: true }), 200, 'disable');
  expectError(await api.get('/api/v1/me'), 401, 'token of a disabled account');
});

// ---- rate limits (nodes of their own) ----

test('sign-in failures back off: 429 with Retry-After', async () => {
  const c = client(loginNode);
  const statuses = [];
  let limited = null;
  for (let i = 0; i < 12 && !limited; i++) {
    const r = await c.post('/api/v1/session', { login: 'quantri', password: 'wrong-password' });
    statuses.push(r.status);
    if (r.status === 429) limited = r;
    else expectError(r, 401, `wrong password #${i + 1}`);
  }
  assert.ok(limited, `never 429: ${statuses}`);
  assert.ok(statuses.length >= 3, `limited already at try ${statuses.length}`);
  const e = expectError(limited, 429);
  assert.equal(e.code, 'rate.limited');
  const ra = limited.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/, 'Retry-After in seconds');
  assert.ok(Number(ra) >= 1);
  // While locked out, even the right password waits.
  const right = await c.post('/api/v1/session', { login: 'quantri', password: PASSWORD });
  expectError(right, 429, 'right password during the lock-out');
  assert.match(right.headers.get('retry-after') || '', /^\d+$/);
  // The server is fine otherwise.
  assert.equal((await fetch(loginNode.base + '/healthz')).status, 200);
});

test('sign-in failures lock (login, address): wrong passwords from elsewhere never lock an officer out', async () => {
  // The officer has signed in from their desk (127.0.0.1) before.
  expectStatus(await signIn(loginNode, '127.0.0.1', 'lanhdao', PASSWORD), 200, 'the officer at their desk');
  // Someone else types wrong passwords for that login from another address.
  for (let i = 1; i <= 5; i++) {
    expectError(await signIn(loginNode, '127.0.0.2', 'lanhdao', 'wrong-password'), 401, `failure ${i} from 127.0.0.2`);
  }
  // That pair is locked, even with the right password ...
  const r = await signIn(loginNode, '127.0.0.2', 'lanhdao', PASSWORD);
  expectError(r, 429, 'right password from the locked (login, address)');
  assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  // ... but the officer still signs in at their desk, and from a fresh address.
  expectStatus(await signIn(loginNode, '127.0.0.1', 'lanhdao', PASSWORD), 200, 'the officer is not locked out');
  expectStatus(await signIn(loginNode, '127.0.0.7', 'lanhdao', PASSWORD), 200, 'a fresh address is not locked either');
  // One failure from each of five more addresses locks none of them.
  for (let i = 2; i <= 6; i++) {
    expectError(await signIn(loginNode, `127.0.1.${i}`, 'lanhdao', 'wrong-password'), 401, `failure from 127.0.1.${i}`);
  }
  expectStatus(await signIn(loginNode, '127.0.0.1', 'lanhdao', PASSWORD), 200, 'still not locked out');
});

test('sign-in failures are limited per address: one address spraying many logins is stopped', async () => {
  // 20 failures over many logins from one address are free (a shared office
  // PC mistypes); the 21st try is refused, whatever the login.
  for (let i = 1; i <= 20; i++) {
    expectError(await signIn(loginNode, '127.0.0.9', `khongco${i}`, 'wrong-password'), 401, `failure ${i}`);
  }
  const r = await signIn(loginNode, '127.0.0.9', 'giamsat', PASSWORD);
  expectError(r, 429, 'right password from a spraying address');
  assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  expectStatus(await signIn(loginNode, '127.0.0.10', 'giamsat', PASSWORD), 200, 'the same login from another address');
});

test('public look-up: more than 30 requests a minute from one address → 429 with Retry-After', async () => {
  const c = client(lookupNode);
  for (let i = 0; i < 30; i++) {
    const r = await c.get(`/api/v1/public/lookup?code=${AGENCY}-260302-${String(i + 1).padStart(4, '0')}&phone=1234`);
    expectError(r, 404, `look-up #${i + 1}`);
  }
  const r = await c.get(`/api/v1/public/lookup?code=${AGENCY}-260302-0031&phone=1234`);
  const e = expectError(r, 429, 'look-up #31');
  assert.equal(e.code, 'rate.limited');
  const ra = r.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/);
  assert.ok(Number(ra) >= 1 && Number(ra) <= 61, `Retry-After ${ra}`);
  assert.equal((await fetch(lookupNode.base + '/healthz')).status, 200);
  // The limit is per address: another one still gets answers.
  const other = await fromAddress(lookupNode, '127.0.0.20', 'GET', `/api/v1/public/lookup?code=${AGENCY}-260302-0001&phone=1234`);
  expectError(other, 404, 'look-up from another address');
});
