// pull.test.mjs - what the province sends down (docs/sync.md §7.2) over real
// HTTP on loopback, as an attacker would try it and as the real nodes use
// it: POST /api/v1/sync/pull (a commune's key, signed both ways) and
// POST /api/v1/hub/publish/calendar (a hub administrator), on a provincial
// hub (init --hub) with commune keys made here (node:crypto Ed25519,
// enrolled through POST /api/v1/sync/enrol and approved by the hub's admin),
// and end to end with real demo nodes enrolled and synced by the CLI.
//
// Every refusal is checked for its status and JSON error.code and for
// leaving the hub as it was (sqlite3 on hub_outbox, hub_node, hub_event and
// the hub's own log); every answer on the pull route, refusals at the door
// included, must carry a Motcua-Signature verifying with the hub's key.
// client() checks every answer against the OpenAPI document served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, ROOT, startServer, stopServer, startNode, stopNode, login, client, loadContract, checkExchange } from './harness.mjs';
import { PUSH, PULL, ENROL, sha256, keypair, signText, signBody, enrolProof, checkHubSigned, expectError, sql, makeHub } from './sync-helpers.mjs';

const A_AGENCY = '000.51.45.H45'; // the keys made here
const O_AGENCY = '000.52.45.H45';
const P_AGENCY = '000.53.45.H45';
const R_AGENCY = '000.54.45.H45';
const U_AGENCY = '000.55.45.H45';
const M_AGENCY = '000.56.45.H45';
const X_AGENCY = '000.61.45.H45'; // the real nodes, end to end
const Y_AGENCY = '000.62.45.H45';
const PUBLISH = '/api/v1/hub/publish/calendar';
const MAX_PULL_BODY = 4096; // the route's limit
const MAX_UPLOAD = 16 << 20; // HTTP_MAX_UPLOAD
const HEADER = 'date,weekday,status,civil_servant_working_day,occasion,source\n';
const SHIPPED = readFileSync(join(ROOT, 'data/calendar/holidays-2024-2026.csv'), 'utf8');

let root;
let hub;
let hubKey;
let epoch;
let plain; // a demo node that is no hub
const keys = {};
const as = {}; // hub sessions by role

// A schedule that adds one day off (needs add=true: it is no whole year).
const oneDay = (day, what = 'Ngày thử') => `${HEADER}${day},${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(day + 'T00:00:00Z').getUTCDay()]},holiday,0,${what},test\n`;

// What a pull or a refused publication must leave as it was on the hub.
function hubState() {
  return sql(hub, `select (select count(*) || ':' || coalesce(max(cursor), 0) from hub_outbox) || '|' || (select count(*) from hub_event) || '|' ||
    (select count(*) from hub_dossier) || '|' || (select count(*) || ':' || max(seq) from event) || '|' ||
    coalesce((select group_concat(agency || ':' || chain || ':' || key || ':' || status || ':' || acked_seq || ':' || acked_hash, ',') from (select * from hub_node order by key)), '')`);
}

// The outbox rows a node of agency would be sent, oldest first, as items.
function outboxFor(agency, after = 0) {
  const t = execFileSync('sqlite3', ['-json', join(hub.data, 'motcua.db'),
    `select cursor, stream, kind, hash, body from hub_outbox where (agency = '${agency}' or agency = '*') and cursor > ${after} order by cursor`], { encoding: 'utf8' }).trim();
  return t ? JSON.parse(t) : [];
}

// A pull: the body JSON unless a string, signed by kp over the pull path.
async function pull(kp, body, { key = kp?.pub, sig, type = 'application/json', target = hub } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const h = {};
  if (type !== null) h['Content-Type'] = type;
  if (key !== null && key !== undefined) h['Motcua-Key'] = key;
  const s = sig === undefined ? signBody(kp, text, PULL) : sig;
  if (s !== null) h['Motcua-Signature'] = s;
  return client(target).req('POST', PULL, text, { headers: h });
}
// A POST without the harness's defaults (it adds a JSON Content-Type).
function rawPost(target, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(target.base + path, { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body), Connection: 'close' } }, (rs) => {
      let t = '';
      rs.setEncoding('utf8');
      rs.on('data', (d) => { t += d; });
      rs.on('end', () => {
        let json = null;
        try { json = JSON.parse(t); } catch { /* not JSON */ }
        resolve({ status: rs.statusCode, text: t, json, headers: new Headers(Object.entries(rs.headers).map(([k, v]) => [k, String(v)])) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
const assertSigned = (res, what) => checkHubSigned(hubKey, res, PULL, what);

async function publish(session, csv, query = '', type = 'text/csv') {
  return session.post(PUBLISH + query, csv, { headers: { 'Content-Type': type } });
}

async function enrolApproved(kp) {
  const r = await client(hub).post(ENROL, { v: 1, agency: kp.agency, name: `Xã ${kp.agency}`, key: kp.pub, proof: enrolProof(kp) });
  assert.equal(r.status, 201, `enrol ${kp.agency}: ${r.text}`);
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-api-pull-'));
  hub = makeHub(root, 'hub');
  await startServer(hub);
  hubKey = sql(hub, "select value from setting where key = 'public_key'");
  epoch = sql(hub, "select value from setting where key = 'hub_epoch'");
  for (const [r, l] of [['admin', 'quantri'], ['supervisor', 'giamsat'], ['reception', 'tiepnhan']]) as[r] = await login(hub, l);
  for (const [n, agency] of [['A', A_AGENCY], ['O', O_AGENCY], ['P', P_AGENCY], ['R', R_AGENCY], ['M', M_AGENCY]]) {
    keys[n] = keypair(agency);
    await enrolApproved(keys[n]);
  }
  keys.U = keypair(U_AGENCY); // never enrolled
  for (const n of ['A', 'O', 'R', 'M']) assert.equal((await as.admin.post(`/api/v1/hub/nodes/${keys[n].pub}/approve`)).status, 200, `approve ${n}`);
  assert.equal((await as.admin.post(`/api/v1/hub/nodes/${keys.R.pub}/revoke`)).status, 200, 'revoke R');
  plain = await startNode();
});

after(async () => {
  if (plain) await stopNode(plain);
  if (hub) await stopServer(hub);
  if (root) rmSync(root, { recursive: true, force: true });
});

// ---- pull: admission, from the head alone ----

test('pull admission: no key, unknown, pending and revoked keys are refused, signed, nothing changed', async () => {
  const ok = { v: 1, cursor: 0, max_bytes: 65536 };
  const cases = [
    { what: 'no Motcua-Key', kp: keys.A, key: null, status: 401, code: 'sync.unknown_key' },
    { what: 'empty Motcua-Key', kp: keys.A, key: '', status: 401, code: 'sync.unknown_key' },
    { what: 'upper-case key', kp: keys.A, key: keys.A.pub.toUpperCase(), status: 401, code: 'sync.unknown_key' },
    { what: 'key with SQL', kp: keys.A, key: "' or 1=1 --" + 'a'.repeat(53), status: 401, code: 'sync.unknown_key' },
    { what: 'unknown key', kp: keys.U, status: 401, code: 'sync.unknown_key' },
    { what: 'the hub\'s own key', kp: keys.U, key: hubKey, status: 401, code: 'sync.unknown_key' },
    { what: 'pending key', kp: keys.P, status: 403, code: 'sync.key_not_approved' },
    { what: 'revoked key', kp: keys.R, status: 403, code: 'sync.key_revoked' },
  ];
  for (const c of cases) {
    const s0 = hubState();
    const r = await pull(c.kp, ok, { key: c.key === undefined ? c.kp.pub : c.key });
    expectError(r, c.status, c.code, c.what);
    assertSigned(r, c.what);
    assert.equal(r.json.items, undefined, `${c.what}: no items`);
    assert.equal(hubState(), s0, `${c.what}: nothing changed on the hub`);
  }
  // Decided from the head: an unknown key's body over the limit is a 401.
  const r = await pull(keys.U, 'x'.repeat(MAX_PULL_BODY + 1), { sig: 'a'.repeat(128) });
  expectError(r, 401, 'sync.unknown_key', 'unknown key, body too large');
  assertSigned(r, 'unknown key, body too large');
});

test('pull signatures: anything but the node key over the pull path and this body is 400 sync.bad_signature', async () => {
  const A = keys.A;
  const body = JSON.stringify({ v: 1, cursor: 0, max_bytes: 65536 });
  const good = signBody(A, body, PULL);
  const flip = (s) => s.slice(0, 10) + (s[10] === '0' ? '1' : '0') + s.slice(11);
  const cases = [
    { what: 'no signature', sig: null },
    { what: 'empty signature', sig: '' },
    { what: 'one hex digit flipped', sig: flip(good) },
    { what: 'upper-case hex', sig: good.toUpperCase() },
    { what: '127 hex', sig: good.slice(1) },
    { what: '130 hex', sig: good + '00' },
    { what: 'not hex', sig: 'z'.repeat(128) },
    { what: 'signed by an unknown key', sig: signBody(keys.U, body, PULL) },
    { what: 'signed by O (approved, another node)', sig: signBody(keys.O, body, PULL) },
    { what: 'the push path\'s signature replayed on pull', sig: signBody(A, body, PUSH) },
    { what: 'the enrolment path', sig: signBody(A, body, ENROL) },
    { what: 'in the hub\'s domain', sig: signBody(A, body, PULL, 'motcua-hub-v1') },
    { what: 'in the enrolment domain', sig: signText(A, `motcua-enrol-v1\n${PULL}\n${sha256(body)}\n`) },
    { what: 'over another body', sig: signBody(A, body.replace('"cursor":0', '"cursor":1'), PULL) },
    { what: 'tampered body', sig: good, body: body.replace('"cursor":0', '"cursor":1') },
    { what: 'a space added after signing', sig: good, body: body + ' ' },
  ];
  for (const c of cases) {
    const s0 = hubState();
    const r = await pull(A, c.body ?? body, { sig: c.sig });
    expectError(r, 400, 'sync.bad_signature', c.what);
    assertSigned(r, c.what);
    assert.equal(hubState(), s0, `${c.what}: nothing changed on the hub`);
  }
  // The real thing for comparison: the same body, the good signature.
  const r = await pull(A, body, { sig: good });
  assert.equal(r.status, 200, r.text);
  assertSigned(r, 'good');
});

test('pull bodies: malformed, wrong types, extra keys, v ≠ 1, negative cursor, max_bytes 0 → 400; too large 413; not JSON 415', async () => {
  const A = keys.A;
  const ok = { v: 1, cursor: 0, max_bytes: 65536 };
  const cases = [
    { what: 'malformed JSON', body: '{"v":1,' },
    { what: 'empty body', body: '' },
    { what: 'an array', body: '[1,0,65536]' },
    { what: 'a number', body: '1' },
    { what: 'null', body: 'null' },
    { what: 'duplicate key', body: '{"v":1,"cursor":0,"cursor":5,"max_bytes":100}' },
    { what: 'unknown field', body: { ...ok, admin: true } },
    { what: 'an unknown field instead of max_bytes', body: { v: 1, cursor: 0, agency: '*' } },
    { what: 'cursors (the older design)', body: { v: 1, cursors: { calendar: 0 }, max_bytes: 100 } },
    { what: 'v missing', body: { cursor: 0, max_bytes: 100 } },
    { what: 'cursor missing', body: { v: 1, max_bytes: 100 } },
    { what: 'max_bytes missing', body: { v: 1, cursor: 0 } },
    { what: 'v "1"', body: { ...ok, v: '1' } },
    { what: 'v 2', body: { ...ok, v: 2 } },
    { what: 'v 0', body: { ...ok, v: 0 } },
    { what: 'v true', body: { ...ok, v: true } },
    { what: 'v 1.0', body: JSON.stringify(ok).replace('"v":1', '"v":1.0') },
    { what: 'cursor "0"', body: { ...ok, cursor: '0' } },
    { what: 'cursor null', body: { ...ok, cursor: null } },
    { what: 'cursor 1.5', body: { ...ok, cursor: 1.5 } },
    { what: 'cursor 1e2', body: JSON.stringify(ok).replace('"cursor":0', '"cursor":1e2') },
    { what: 'cursor -1', body: { ...ok, cursor: -1 } },
    { what: 'cursor -9223372036854775808', body: JSON.stringify(ok).replace('"cursor":0', '"cursor":-9223372036854775808') },
    { what: 'cursor over int64', body: JSON.stringify(ok).replace('"cursor":0', '"cursor":99999999999999999999') },
    { what: 'cursor an object', body: { ...ok, cursor: { gt: 0 } } },
    { what: 'max_bytes 0', body: { ...ok, max_bytes: 0 } },
    { what: 'max_bytes -1', body: { ...ok, max_bytes: -1 } },
    { what: 'max_bytes "big"', body: { ...ok, max_bytes: 'big' } },
    { what: 'max_bytes an array', body: { ...ok, max_bytes: [1] } },
    { what: 'a NUL before the JSON ends', body: '{"v":1,"cursor":0,"max_bytes":100}\u0000' },
    { what: 'trailing garbage', body: '{"v":1,"cursor":0,"max_bytes":100}x' },
  ];
  for (const c of cases) {
    const s0 = hubState();
    const r = await pull(A, c.body);
    expectError(r, 400, 'sync.bad_batch', c.what);
    assertSigned(r, c.what);
    assert.equal(hubState(), s0, `${c.what}: nothing changed on the hub`);
  }
  // Over the route's 4 KiB: 413, signed, the body never parsed.
  const s0 = hubState();
  const big = JSON.stringify({ ...ok, pad: 'x'.repeat(MAX_PULL_BODY) });
  const r = await pull(A, big);
  expectError(r, 413, 'request.too_large', 'body over 4 KiB');
  assertSigned(r, '413');
  // Exactly 4 KiB of valid JSON (whitespace) is read and answered.
  const exact = JSON.stringify(ok).padEnd(MAX_PULL_BODY, ' ');
  const r4 = await pull(A, exact);
  assert.equal(r4.status, 200, `4096 bytes: ${r4.text.slice(0, 200)}`);
  assertSigned(r4, '4096 bytes');
  const body = JSON.stringify(ok);
  const n = await rawPost(hub, PULL, { 'Motcua-Key': A.pub, 'Motcua-Signature': signBody(A, body, PULL) }, body);
  expectError(n, 415, 'request.media_type', 'no Content-Type');
  assertSigned(n, 'no Content-Type');
  checkExchange(await loadContract(hub), { method: 'POST', path: PULL, requestBody: body, requestContentType: null, ...n });
  for (const [what, type] of [['text/plain', 'text/plain'], ['form', 'application/x-www-form-urlencoded'], ['the batch type', 'application/vnd.motcua.batch+zstd']]) {
    const t = await pull(A, ok, { type });
    expectError(t, 415, 'request.media_type', what);
    assertSigned(t, what);
  }
  assert.equal(hubState(), s0, 'nothing changed on the hub');
});

test('on a commune node (no hub): pull and publish answer 404 sync.not_hub, unsigned, nothing written', async () => {
  const n0 = sql(plain, 'select count(*) from event');
  const r = await pull(keys.A, { v: 1, cursor: 0, max_bytes: 1000 }, { target: plain });
  expectError(r, 404, 'sync.not_hub', 'pull on a node');
  assert.equal(r.headers.get('motcua-signature'), null, 'a node signs nothing as a hub');
  const admin = await login(plain, 'quantri');
  expectError(await publish(admin, oneDay('2026-11-02'), '?add=true'), 404, 'sync.not_hub', 'publish on a node');
  expectError(await publish(admin, SHIPPED), 404, 'sync.not_hub', 'publish a whole schedule on a node');
  assert.equal(sql(plain, 'select count(*) from event'), n0, 'nothing written on the node');
  assert.equal(sql(plain, 'select count(*) from hub_outbox'), '0');
});

// ---- publish ----

test('publish: 401 anonymous, 403 for reception and supervisor, 403 for an admin without CSRF; nothing published', async () => {
  const csv = oneDay('2026-11-03');
  const s0 = hubState();
  expectError(await publish(client(hub), csv, '?add=true'), 401, 'auth.required', 'anonymous');
  expectError(await publish(client(hub, { cookie: 'motcua_session=' + 'f'.repeat(64) }), csv, '?add=true'), 401, null, 'a made-up cookie');
  expectError(await publish(as.reception, csv, '?add=true'), 403, 'auth.role', 'reception');
  expectError(await publish(as.supervisor, csv, '?add=true'), 403, 'auth.role', 'supervisor');
  expectError(await publish(client(hub, { cookie: as.admin.cookie }), csv, '?add=true'), 403, 'auth.csrf', 'admin without X-CSRF-Token');
  expectError(await publish(client(hub, { cookie: as.admin.cookie, csrf: as.reception.csrf }), csv, '?add=true'), 403, 'auth.csrf', 'admin with another session\'s token');
  // A node's key is no sign-in, even signed.
  const k = await client(hub).post(PUBLISH + '?add=true', csv, { headers: { 'Content-Type': 'text/csv', 'Motcua-Key': keys.A.pub, 'Motcua-Signature': signBody(keys.A, csv, PUBLISH) } });
  expectError(k, 401, 'auth.required', 'a node key');
  assert.equal(hubState(), s0, 'nothing changed on the hub');
});

test('publish refusals: bad schedules, bad to= and source=, bad media type, too large → 4xx, nothing published', async () => {
  const csv = oneDay('2026-11-04');
  const tooMany = Array.from({ length: 501 }, (_, i) => `9${String(i).padStart(3, '0')}.99.H45`).join(',');
  const cases = [
    { what: 'a partial year without add', body: csv, status: 400, code: 'calendar.import_incomplete' },
    { what: 'a partial year, add=false', body: csv, q: '?add=false', status: 400, code: 'calendar.import_incomplete' },
    { what: 'a header only', body: HEADER, q: '?add=true', status: 400 },
    { what: 'not a schedule', body: 'hello, world\n', q: '?add=true', status: 400 },
    { what: 'a bad date', body: `${HEADER}2026-02-30,Mon,holiday,0,X,test\n`, q: '?add=true', status: 400 },
    { what: 'an unknown status', body: `${HEADER}2026-11-05,Thu,party,0,X,test\n`, q: '?add=true', status: 400 },
    { what: 'an occasion with a control character', body: `${HEADER}2026-11-05,Thu,holiday,0,X\u0007,test\n`, q: '?add=true', status: 400 },
    { what: 'empty body', body: '', q: '?add=true', status: 400, code: 'request.bad_field' },
    { what: 'invalid UTF-8', body: Buffer.concat([Buffer.from(HEADER), Buffer.from([0x32, 0x30, 0xff, 0x0a])]), q: '?add=true', status: 400, code: 'request.bad_text' },
    { what: 'Latin-1 text', body: Buffer.from(`${HEADER}2026-11-05,Thu,holiday,0,Ng\xe0y,test\n`, 'latin1'), q: '?add=true', status: 400, code: 'request.bad_text' },
    { what: 'a raw NUL', body: Buffer.from(`${HEADER}2026-11-05\u0000,Thu,holiday,0,X,test\n`), q: '?add=true', status: 400, code: 'request.bad_text' },
    { what: 'binary', body: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 1, 2, 3, 0xff, 0xfe]), q: '?add=true', status: 400 },
    { what: 'add=maybe', body: csv, q: '?add=maybe', status: 400 },
    { what: 'to= a lower-case code', body: csv, q: `?add=true&to=${A_AGENCY.toLowerCase()}`, status: 400, code: 'request.bad_field' },
    { what: 'to= SQL', body: csv, q: `?add=true&to=${encodeURIComponent("' or 1=1 --")}`, status: 400, code: 'request.bad_field' },
    { what: 'to= SQL after a good code', body: csv, q: `?add=true&to=${A_AGENCY},${encodeURIComponent("*') or ('1'='1")}`, status: 400, code: 'request.bad_field' },
    { what: 'to=*', body: csv, q: '?add=true&to=*', status: 400, code: 'request.bad_field' },
    { what: 'to= a LIKE wildcard', body: csv, q: '?add=true&to=%25', status: 400, code: 'request.bad_field' },
    { what: 'to= 2 characters', body: csv, q: '?add=true&to=H4', status: 400, code: 'request.bad_field' },
    { what: 'to= 41 characters', body: csv, q: `?add=true&to=${'0'.repeat(41)}`, status: 400, code: 'request.bad_field' },
    { what: 'to= a space', body: csv, q: `?add=true&to=${encodeURIComponent(A_AGENCY + ' ')}`, status: 400, code: 'request.bad_field' },
    { what: 'to= a path', body: csv, q: `?add=true&to=${encodeURIComponent('../' + A_AGENCY)}`, status: 400, code: 'request.bad_field' },
    { what: 'to= 501 communes', body: csv, q: `?add=true&to=${tooMany}`, status: 400, code: 'request.bad_field' },
    { what: 'to= 12000 bytes', body: csv, q: `?add=true&to=${'0.'.repeat(6000)}`, status: 400, code: 'request.bad_field' },
    { what: 'to= invalid UTF-8', body: csv, q: '?add=true&to=%FF', status: 400 },
    { what: 'source 201 bytes', body: csv, q: `?add=true&source=${'s'.repeat(201)}`, status: 400, code: 'request.bad_field' },
    { what: 'source 201 bytes of Vietnamese', body: csv, q: `?add=true&source=${encodeURIComponent('ệ'.repeat(67))}`, status: 400, code: 'request.bad_field' },
    { what: 'source invalid UTF-8', body: csv, q: '?add=true&source=%FF%FE', status: 400 },
    { what: 'as application/json', body: csv, q: '?add=true', type: 'application/json', status: 415, code: 'request.media_type' },
    { what: 'as text/csvx', body: csv, q: '?add=true', type: 'text/csvx', status: 415, code: 'request.media_type' },
    { what: 'as application/octet-stream', body: csv, q: '?add=true', type: 'application/octet-stream', status: 415, code: 'request.media_type' },
  ];
  for (const c of cases) {
    const s0 = hubState();
    const r = await publish(as.admin, c.body, c.q ?? '', c.type ?? 'text/csv');
    expectError(r, c.status, c.code, c.what);
    assert.equal(hubState(), s0, `${c.what}: nothing published`);
  }
  const s0 = hubState();
  const huge = Buffer.alloc(MAX_UPLOAD + 1, 0x61);
  expectError(await publish(as.admin, huge, '?add=true'), 413, 'request.too_large', '16 MiB + 1');
  assert.equal(hubState(), s0, 'too large: nothing published');
});

// The hub's log's last event.
const lastEvent = () => JSON.parse(execFileSync('sqlite3', ['-json', join(hub.data, 'motcua.db'), 'select seq, actor, kind, dossier, payload from event order by seq desc limit 1'], { encoding: 'utf8' }))[0];
const outboxRows = (after) => JSON.parse(execFileSync('sqlite3', ['-json', join(hub.data, 'motcua.db'), `select cursor, agency, stream, kind, hash, body, actor from hub_outbox where cursor > ${after} order by cursor`], { encoding: 'utf8' }).trim() || '[]');
const outboxMax = () => Number(sql(hub, 'select coalesce(max(cursor), 0) from hub_outbox'));
const eventMax = () => Number(sql(hub, 'select max(seq) from event'));

// Publishes and checks the answer, the outbox rows and the one event.
async function publishOk(csv, { query = '', to = ['*'], add = false, source = 'upload', type = 'text/csv' } = {}) {
  const o0 = outboxMax();
  const e0 = eventMax();
  const r = await publish(as.admin, csv, query, type);
  assert.equal(r.status, 201, `publish ${query}: ${r.text.slice(0, 300)}`);
  checkExchange(await loadContract(hub), { method: 'POST', path: PUBLISH + query, requestBody: csv, requestContentType: type, ...r });
  const p = r.json;
  const body = JSON.stringify({ add, csv, source, version: p.version }); // keys already sorted
  assert.deepEqual(p, { stream: 'calendar', hash: sha256(body), version: sha256(csv).slice(0, 16), source, to, cursors: p.cursors });
  assert.equal(p.cursors.length, to.length);
  const rows = outboxRows(o0);
  assert.deepEqual(rows, to.map((agency, i) => ({ cursor: p.cursors[i], agency, stream: 'calendar', kind: 'calendar.imported', hash: p.hash, body, actor: 'quantri' })), 'exactly the rows published');
  const ev = lastEvent();
  assert.equal(ev.seq, e0 + 1, 'one event in the hub\'s own log');
  assert.equal(ev.kind, 'hub.published');
  assert.equal(ev.actor, 'quantri');
  assert.equal(ev.dossier, null);
  const pl = JSON.parse(ev.payload);
  assert.deepEqual({ ...pl, years: undefined }, { ...p, years: undefined });
  assert.ok(Array.isArray(pl.years) && pl.years.length > 0, 'the event names the years');
  return p;
}

test('publish: 201 Publication in the contract; the outbox gains exactly its rows, the log one hub.published', async () => {
  // A whole schedule to every commune.
  const all = await publishOk(SHIPPED, { query: '?source=' + encodeURIComponent('Công văn 123/BNV') , source: 'Công văn 123/BNV' });
  assert.deepEqual(JSON.parse(lastEvent().payload).years, [2024, 2025, 2026]);
  // An added day to two communes, as text/plain, empty entries ignored.
  const two = await publishOk(oneDay('2026-11-06'), { query: `?add=true&to=${A_AGENCY},,${O_AGENCY},`, to: [A_AGENCY, O_AGENCY], add: true, type: 'text/plain' });
  assert.ok(two.cursors[0] > all.cursors[0] && two.cursors[1] > two.cursors[0], 'cursors increase');
  // add=1 is true too; a source of exactly 200 bytes is taken.
  await publishOk(oneDay('2026-11-09'), { query: `?add=1&to=${M_AGENCY}&source=${'s'.repeat(200)}`, to: [M_AGENCY], add: true, source: 's'.repeat(200) });
  // 500 communes: the most at once.
  const many = Array.from({ length: 500 }, (_, i) => `9${String(i).padStart(3, '0')}.99.H45`);
  await publishOk(oneDay('2026-11-10'), { query: `?add=true&to=${many.join(',')}`, to: many, add: true });
});

// ---- pull: what a node is sent ----

test('pull: exactly the items for this node or all, in cursor order, hashes of their bodies; again from high: none; nothing changes', async () => {
  const pAll = await publishOk(oneDay('2026-11-11', 'Cho tất cả'), { query: '?add=true', add: true });
  const pA = await publishOk(oneDay('2026-11-12', 'Cho xã A'), { query: `?add=true&to=${A_AGENCY}`, to: [A_AGENCY], add: true });
  const pO = await publishOk(oneDay('2026-11-13', 'Cho xã O'), { query: `?add=true&to=${O_AGENCY}`, to: [O_AGENCY], add: true });
  const s0 = hubState();
  const want = outboxFor(A_AGENCY);
  const cursors = want.map((i) => i.cursor);
  assert.ok(cursors.includes(pAll.cursors[0]) && cursors.includes(pA.cursors[0]), 'the items for all and for A');
  assert.ok(!cursors.includes(pO.cursors[0]), 'not O\'s item');
  assert.ok(want.length < 50, 'one answer holds them all');

  const r = await pull(keys.A, { v: 1, cursor: 0, max_bytes: 1 << 20 });
  assert.equal(r.status, 200, r.text);
  assertSigned(r, 'pull from 0');
  assert.deepEqual(r.json.items.map((i) => i.cursor), cursors, 'the items for A and *, oldest first');
  assert.deepEqual(r.json.items, want, 'the items for A and *, as the outbox holds them');
  for (const it of r.json.items) assert.equal(it.hash, sha256(it.body), `item ${it.cursor}: hash = SHA-256 of the body`);
  for (let i = 1; i < r.json.items.length; i++) assert.ok(r.json.items[i].cursor > r.json.items[i - 1].cursor, 'in cursor order');
  assert.ok(!r.json.items.some((i) => i.hash === pO.hash), 'no item of O\'s');
  assert.equal(r.json.high, pA.cursors[0], 'high: the newest cursor for A');
  assert.equal(r.json.more, false);
  assert.equal(r.json.head.epoch, epoch);
  assert.equal(r.json.head.chain, 1);
  assert.equal(r.json.head.acked_seq, 0);
  assert.equal(r.json.head.hub_seq, Number(sql(hub, 'select count(*) from event')));
  const b = JSON.parse(r.json.items.find((i) => i.cursor === pA.cursors[0]).body);
  assert.deepEqual(b, { add: true, csv: oneDay('2026-11-12', 'Cho xã A'), source: 'upload', version: pA.version });

  // From high: nothing; from the middle: the rest; far ahead: nothing.
  const again = await pull(keys.A, { v: 1, cursor: r.json.high, max_bytes: 1 << 20 });
  assert.equal(again.status, 200, again.text);
  assertSigned(again, 'pull from high');
  assert.deepEqual(again.json.items, []);
  assert.equal(again.json.more, false);
  assert.equal(again.json.high, r.json.high);
  const mid = await pull(keys.A, { v: 1, cursor: want[0].cursor, max_bytes: 1 << 20 });
  assert.deepEqual(mid.json.items, want.slice(1));
  const far = await pull(keys.A, { v: 1, cursor: Number.MAX_SAFE_INTEGER, max_bytes: 1 << 20 });
  assert.equal(far.status, 200, far.text);
  assert.deepEqual(far.json.items, []);
  assert.equal(far.json.high, r.json.high, 'high is the hub\'s, whatever the cursor asked');

  // O is sent its own and all's, never A's.
  const o = await pull(keys.O, { v: 1, cursor: 0, max_bytes: 1 << 20 });
  assert.equal(o.status, 200, o.text);
  assert.deepEqual(o.json.items, outboxFor(O_AGENCY));
  assert.ok(o.json.items.some((i) => i.hash === pO.hash) && !o.json.items.some((i) => i.hash === pA.hash));
  assert.equal(o.json.high, pO.cursors[0]);

  // max_bytes 1: one item an answer, more until the last.
  const got = [];
  let cur = 0;
  for (let i = 0; i < 100; i++) {
    const x = await pull(keys.A, { v: 1, cursor: cur, max_bytes: 1 });
    assert.equal(x.status, 200, x.text);
    assertSigned(x, `small pull ${i}`);
    assert.equal(x.json.items.length, 1, `one item an answer (${i})`);
    got.push(...x.json.items);
    cur = x.json.items[0].cursor;
    assert.equal(x.json.more, cur < x.json.high, `more until the last (${i})`);
    if (!x.json.more) break;
  }
  assert.deepEqual(got, want, 'one by one, the same items');
  // A budget of two items' bytes (UTF-8): two items an answer, the rest
  // more; one byte less: one item.
  const bytes = Buffer.byteLength(want[0].body) + Buffer.byteLength(want[1].body);
  const two = await pull(keys.A, { v: 1, cursor: 0, max_bytes: bytes });
  assert.deepEqual(two.json.items, want.slice(0, 2));
  assert.equal(two.json.more, want.length > 2);
  const one = await pull(keys.A, { v: 1, cursor: 0, max_bytes: bytes - 1 });
  assert.deepEqual(one.json.items, want.slice(0, 1));
  assert.equal(one.json.more, true);
  assert.equal(hubState(), s0, 'pulls change nothing on the hub');
});

test('pull: at most 50 items an answer, more=true, the rest in the next', async () => {
  for (let i = 0; i < 51; i++) await publish(as.admin, oneDay('2026-11-16'), `?add=true&to=${M_AGENCY}&source=m${i}`).then((r) => assert.equal(r.status, 201, r.text));
  const want = outboxFor(M_AGENCY);
  assert.ok(want.length > 51);
  const s0 = hubState();
  const got = [];
  let cur = 0;
  let pages = 0;
  for (let more = true; more && pages < 10; pages++) {
    const x = await pull(keys.M, { v: 1, cursor: cur, max_bytes: 1 << 30 });
    assert.equal(x.status, 200, x.text);
    assertSigned(x, `page ${pages}`);
    assert.ok(x.json.items.length <= 50, `page ${pages}: at most 50 items`);
    if (pages === 0) assert.equal(x.json.items.length, 50, 'the first page is full');
    more = x.json.more;
    assert.equal(more, got.length + x.json.items.length < want.length, `page ${pages}: more while items remain`);
    got.push(...x.json.items);
    if (x.json.items.length) cur = x.json.items.at(-1).cursor;
  }
  assert.deepEqual(got, want);
  assert.equal(hubState(), s0);
});

// ---- end to end: real nodes ----

// The CLI without blocking the event loop: the hub's stderr is a pipe this
// process drains; a synchronous child would let it fill and stop the hub.
const motcuaAsync = async (args) => (await promisify(execFile)(BIN, args, { encoding: 'utf8' })).stdout;

test('end to end: a node applies a schedule published to it once; a second sync applies nothing; a node not addressed does not get it', async () => {
  const nodes = {};
  for (const [n, agency] of [['X', X_AGENCY], ['Y', Y_AGENCY]]) {
    const d = { data: join(root, `node${n}`) };
    motcua(['init', '--demo', '--agency', agency, '--name', `Xã ${n}`, '--dir', d.data]);
    assert.match(await motcuaAsync(['enrol', '--hub', hub.base, '--dir', d.data]), /pending/);
    motcua(['hub', 'approve', sql(d, "select value from setting where key = 'public_key'"), '--dir', hub.data]);
    nodes[n] = d;
  }
  const days = (d) => motcua(['calendar', 'days-off', '2026', '--dir', d.data]).split('\n');
  assert.ok(!days(nodes.X).includes('2026-12-24'), 'not a day off before');
  const csv = oneDay('2026-12-24', 'Nghỉ thử');
  const p = await publishOk(csv, { query: `?add=true&to=${X_AGENCY}&source=e2e`, to: [X_AGENCY], add: true, source: 'e2e' });
  // The same schedule twice: one more outbox row, the same hash.
  const p2 = await publishOk(csv, { query: `?add=true&to=${X_AGENCY}&source=e2e`, to: [X_AGENCY], add: true, source: 'e2e' });
  assert.equal(p2.hash, p.hash);
  const pAll = await publishOk(oneDay('2026-12-28', 'Nghỉ chung'), { query: '?add=true&source=e2e-all', add: true, source: 'e2e-all' });

  const out1 = await motcuaAsync(['sync', 'now', '--dir', nodes.X.data]);
  assert.match(out1, /items from the province applied/, out1);
  assert.ok(days(nodes.X).includes('2026-12-24'), 'X: 2026-12-24 is a day off');
  const hashes = [...new Set(outboxFor(X_AGENCY).map((i) => i.hash))];
  const items1 = sql(nodes.X, 'select hash || \'|\' || cursor || \'|\' || stream || \'|\' || seq from sync_item order by cursor');
  assert.equal(items1.split('\n').length, hashes.length, 'one sync_item a distinct hash');
  assert.equal(sql(nodes.X, `select cursor from sync_item where hash = '${p.hash}'`), String(p.cursors[0]), 'applied at its first cursor');
  const applied = (d) => sql(d, `select count(*) from event where kind = 'calendar.imported' and json_extract(payload, '$.published.hash') = '${p.hash}'`);
  assert.equal(applied(nodes.X), '1', 'one calendar.imported event for it in X\'s log');
  assert.equal(sql(nodes.X, `select actor || '|' || json_extract(payload, '$.source') || '|' || json_extract(payload, '$.published.cursor') from event where json_extract(payload, '$.published.hash') = '${p.hash}'`), `hub|e2e|${p.cursors[0]}`);
  // Pulled first, then pushed: the hub already holds X's event.
  assert.equal(sql(hub, `select count(*) from hub_event where agency = '${X_AGENCY}' and kind = 'calendar.imported' and json_extract(payload, '$.published.hash') = '${p.hash}'`), '1', 'the hub knows it arrived');
  const ev1 = sql(nodes.X, 'select count(*) || \'|\' || max(seq) from event where kind like \'calendar.%\' or kind like \'sync.item%\'');

  const out2 = await motcuaAsync(['sync', 'now', '--dir', nodes.X.data]);
  assert.doesNotMatch(out2, /items from the province applied/, out2);
  assert.equal(sql(nodes.X, 'select hash || \'|\' || cursor || \'|\' || stream || \'|\' || seq from sync_item order by cursor'), items1, 'sync_item unchanged');
  assert.equal(sql(nodes.X, 'select count(*) || \'|\' || max(seq) from event where kind like \'calendar.%\' or kind like \'sync.item%\''), ev1, 'no calendar event more');
  assert.equal(applied(nodes.X), '1');

  await motcuaAsync(['sync', 'now', '--dir', nodes.Y.data]);
  assert.ok(!days(nodes.Y).includes('2026-12-24'), 'Y was not addressed');
  assert.equal(sql(nodes.Y, `select count(*) from sync_item where hash = '${p.hash}'`), '0');
  assert.equal(applied(nodes.Y), '0');
  // Both got what was published to all.
  assert.ok(days(nodes.Y).includes('2026-12-28'), 'Y applied the schedule for all');
  assert.ok(days(nodes.X).includes('2026-12-28'), 'X applied the schedule for all');
  assert.equal(applied(nodes.Y), '0');
  assert.equal(sql(nodes.Y, `select count(*) from sync_item where hash = '${pAll.hash}'`), '1');
});
