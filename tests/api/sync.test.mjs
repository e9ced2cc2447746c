// sync.test.mjs - the sync routes over real HTTP on loopback (docs/sync.md
// §3-§5 and §9), as an attacker would try them: a provincial hub (init
// --hub), a demo commune node enrolled and approved through the CLI, and
// commune keys made here (node:crypto Ed25519) that enrol through
// POST /api/v1/sync/enrol with their proof and push batches built here
// byte for byte as the node's log encodes them (sync/evenc.c), compressed
// with the zstd CLI and signed as docs/sync.md §4 says.
//
// Every refusal is checked for its status and JSON error.code and for
// leaving the hub as it was (hub_event, hub_node, hub_dossier and the hub's
// own log, read with sqlite3); every answer on the push route must carry a
// Motcua-Signature that verifies with the hub's key, admission refusals
// (no key, unknown, pending, revoked, too large) included. client() checks
// every answer against the OpenAPI document the server serves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, startServer, stopServer, login, client, loadContract, checkExchange } from './harness.mjs';
import { HUB_AGENCY, PUSH, ENROL, sha256, keypair, keyOfSodium, signText, verifyText, signBody, enrolProof, checkHubSigned, expectError, sql, makeHub as makeHubIn } from './sync-helpers.mjs';

const NODE_AGENCY = '000.31.45.H45'; // the demo node enrolled by the CLI
const A_AGENCY = '000.32.45.H45'; // keys made here
const P_AGENCY = '000.33.45.H45';
const R_AGENCY = '000.34.45.H45';
const B_AGENCY = '000.35.45.H45';
const BATCH_TYPE = 'application/vnd.motcua.batch+zstd';
const ZERO = '0'.repeat(64);
const MAX_BODY = 4 << 20; // APP_SYNC_MAX_BODY
const MAX_PLAIN = 8 << 20; // APP_SYNC_MAX_PLAIN

let root;
let hub; // the provincial hub
let hub2; // a second hub, for the enrolment table (its own rate window)
let node; // a demo commune node (not a hub)
let hubKey; // the hub's public key, hex
let epoch;
const keys = {}; // name -> { pub, priv, agency }
const as = {}; // hub sessions by role
const on = {}; // node sessions by role

// ---- encoding ----

// Canonical JSON: keys sorted, compact (jansson JSON_COMPACT | JSON_SORT_KEYS;
// the strings here hold no control characters, where the two would differ).
function canonical(v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  return JSON.stringify(v);
}
// One event line exactly as evenc_line writes it (the bytes the log hashes).
function eventLine(e) {
  const s = JSON.stringify;
  return `[${e.seq},${s(e.at)},${s(e.actor)},${s(e.kind)},${e.dossier == null ? 'null' : s(e.dossier)},${e.payload},${s(e.prev_hash)}]`;
}

// A commune's log made here: events with seqs 1.. chained by their hashes.
function makeLog(specs, prev = ZERO, seq0 = 1) {
  const out = [];
  specs.forEach((sp, i) => {
    const e = {
      seq: seq0 + i, at: `2026-03-02T09:${String(i % 60).padStart(2, '0')}:00+07:00`, actor: 'tiepnhan',
      kind: sp.kind, dossier: sp.dossier ?? null, payload: typeof sp.payload === 'string' ? sp.payload : canonical(sp.payload ?? {}), prev_hash: prev,
    };
    e.line = eventLine(e);
    e.hash = sha256(e.line);
    prev = e.hash;
    out.push(e);
  });
  return out;
}
const dossierPayload = (agency, code, status, name = 'Nguyễn Văn Thử') => ({
  dossier: { agency, code, status, procedure: '1.000253', applicant: { name }, received_at: '2026-03-02T09:00:00+07:00', due_at: '2026-03-09T09:00:00+07:00' },
});

// The uncompressed batch: the header line, then the event lines.
function batchText(kp, events, over = {}) {
  const h = {
    agency: kp.agency, base_hash: ZERO, base_seq: 0, chain: 1, count: events.length, epoch,
    first: events[0].seq, key: kp.pub, last: events[events.length - 1].seq, sent_at: '2026-03-02T10:00:00+07:00', v: 1, ...over,
  };
  return canonical(h) + '\n' + events.map((e) => e.line + '\n').join('');
}

// zstd -3 of a file, so that the frame declares its content size (from a
// pipe the CLI writes a frame without it, which the hub refuses).
function zstd(text, { sized = true } = {}) {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  if (!sized) return execFileSync('zstd', ['-3', '-q', '-c'], { input: buf, maxBuffer: 64 << 20 });
  const f = join(root, `plain-${crypto.randomBytes(6).toString('hex')}`);
  writeFileSync(f, buf);
  try { return execFileSync('zstd', ['-3', '-q', '-c', f], { maxBuffer: 64 << 20 }); } finally { rmSync(f, { force: true }); }
}

// ---- the servers ----

const makeHub = (name) => makeHubIn(root, name);

// What a refusal must leave as it was: every hub table a push or an
// enrolment writes, and the hub's own log. The CLI-enrolled demo node's
// rows are left out: its own sync thread pushes when it likes.
function hubState(h = hub) {
  const q = (t) => `(select count(*) from ${t} where agency <> '${NODE_AGENCY}')`;
  return sql(h, `select ${q('hub_event')} || '|' || ${q('hub_dossier')} || '|' || (select count(*) from event) || '|' ||
    coalesce((select group_concat(agency || ':' || chain || ':' || key || ':' || status || ':' || acked_seq || ':' || acked_hash || ':' || last_batch || ':' || rejected, ',')
              from (select * from hub_node where agency <> '${NODE_AGENCY}' order by key)), '')`);
}


// The hub's signature on an answer to a node: over the body as received.
const assertHubSigned = (res, path = PUSH, what = '') => checkHubSigned(hubKey, res, path, what);

// A push: the batch compressed and signed unless the caller says otherwise.
async function push(kp, plain, { key = kp?.pub, sig, body, type = BATCH_TYPE, target = hub, path = PUSH, headers = {} } = {}) {
  const h = { ...headers };
  if (type !== null) h['Content-Type'] = type;
  if (key !== null && key !== undefined) h['Motcua-Key'] = key;
  const s = sig === undefined ? (plain !== undefined && kp ? signBody(kp, plain) : undefined) : sig;
  if (s !== null && s !== undefined) h['Motcua-Signature'] = s;
  const b = body !== undefined ? body : zstd(plain);
  return client(target).req('POST', path, b, { headers: h });
}

// The events of kp's chain the hub holds, "seq|hash" per line.
const hubChain = (agency, h = hub) => sql(h, `select seq || '|' || hash from hub_event where agency = '${agency}' and chain = 1 order by seq`);
const chainOf = (events) => events.map((e) => `${e.seq}|${e.hash}`).join('\n');

// Enrolment is in the public rate class (30 a minute per address): a
// restart of hub2 gives the enrolment tables a fresh allowance.
async function freshWindow(h) {
  await stopServer(h);
  await startServer(h);
}

async function enrol(kp, target = hub, body) {
  return client(target).post(ENROL, body ?? { v: 1, agency: kp.agency, name: `Xã ${kp.agency}`, key: kp.pub, proof: enrolProof(kp) });
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-api-sync-'));
  hub = makeHub('hub');
  hub2 = makeHub('hub2');
  await startServer(hub);
  await startServer(hub2);
  hubKey = sql(hub, "select value from setting where key = 'public_key'");
  epoch = sql(hub, "select value from setting where key = 'hub_epoch'");
  for (const r of ['admin', 'supervisor', 'reception']) as[r] = await login(hub, { admin: 'quantri', supervisor: 'giamsat', reception: 'tiepnhan' }[r]);

  // The demo node: enrolled by the CLI, approved by the CLI on the hub.
  node = { dir: root, data: join(root, 'node'), env: {} };
  motcua(['init', '--demo', '--agency', NODE_AGENCY, '--name', 'Xã Thử', '--dir', node.data]);
  assert.match(motcua(['enrol', '--hub', hub.base, '--dir', node.data]), /pending/);
  motcua(['hub', 'approve', sql(node, "select value from setting where key = 'public_key'"), '--dir', hub.data]);
  await startServer(node);
  for (const [r, l] of [['reception', 'tiepnhan'], ['specialist', 'chuyenvien'], ['leader', 'lanhdao'], ['admin', 'quantri'], ['supervisor', 'giamsat']]) on[r] = await login(node, l);

  // Keys made here: A and B approved, P pending, R approved then revoked.
  for (const [n, agency] of [['A', A_AGENCY], ['B', B_AGENCY], ['P', P_AGENCY], ['R', R_AGENCY]]) {
    keys[n] = keypair(agency);
    const r = await enrol(keys[n]);
    assert.equal(r.status, 201, `enrol ${n}: ${r.text}`);
  }
  keys.U = keypair('000.36.45.H45'); // never enrolled
  for (const n of ['A', 'B', 'R']) assert.equal((await as.admin.post(`/api/v1/hub/nodes/${keys[n].pub}/approve`)).status, 200, `approve ${n}`);
  assert.equal((await as.admin.post(`/api/v1/hub/nodes/${keys.R.pub}/revoke`)).status, 200, 'revoke R');
});

after(async () => {
  for (const n of [node, hub, hub2]) if (n) await stopServer(n);
  if (root) rmSync(root, { recursive: true, force: true });
});

// ---- the JS encoder is the node's ----

test('the batch encoder here hashes the demo node\'s own events to the hashes its log holds', () => {
  const rows = JSON.parse(execFileSync('sqlite3', ['-json', join(node.data, 'motcua.db'), 'select seq, at, actor, kind, dossier, payload, prev_hash, hash from event order by seq limit 200'], { encoding: 'utf8' }));
  assert.ok(rows.length > 5, 'the demo node has events');
  for (const r of rows) assert.equal(sha256(eventLine(r)), r.hash, `event ${r.seq} (${r.kind})`);
  // The node's key file is libsodium's seed || public key: the public half
  // is the key the hub knows.
  const k = keyOfSodium(readFileSync(join(node.data, 'node.key'), 'utf8').trim());
  assert.equal(k.pub, sql(node, "select value from setting where key = 'public_key'"));
  assert.equal(k.pub, sql(hub, `select key from hub_node where agency = '${NODE_AGENCY}'`));
});

// ---- push: admission, from the head alone ----

test('push admission: no key, malformed, unknown, pending and revoked keys are refused, signed, nothing stored', async () => {
  const ev = makeLog([{ kind: 'node.note', payload: { n: 1 } }]);
  const cases = [
    { what: 'no Motcua-Key', kp: keys.A, key: null, status: 401, code: 'sync.unknown_key' },
    { what: 'empty Motcua-Key', kp: keys.A, key: '', status: 401, code: 'sync.unknown_key' },
    { what: 'upper-case key', kp: keys.A, key: keys.A.pub.toUpperCase(), status: 401, code: 'sync.unknown_key' },
    { what: 'key of 63 hex', kp: keys.A, key: keys.A.pub.slice(1), status: 401, code: 'sync.unknown_key' },
    { what: 'key with SQL', kp: keys.A, key: "' or 1=1 --" + 'a'.repeat(53), status: 401, code: 'sync.unknown_key' },
    { what: 'unknown key', kp: keys.U, status: 401, code: 'sync.unknown_key' },
    { what: 'the hub\'s own key', kp: keys.U, key: hubKey, status: 401, code: 'sync.unknown_key' },
    { what: 'pending key', kp: keys.P, status: 403, code: 'sync.key_not_approved' },
    { what: 'revoked key', kp: keys.R, status: 403, code: 'sync.key_revoked' },
    // Another's approved key with a signature of ours: the signature fails.
    { what: 'A\'s key signed by U', kp: keys.U, key: keys.A.pub, hdr: keys.A, status: 400, code: 'sync.bad_signature' },
  ];
  for (const c of cases) {
    const before0 = hubState();
    const plain = batchText(c.hdr || c.kp, ev);
    const r = await push(c.kp, plain, { key: c.key === undefined ? c.kp.pub : c.key });
    expectError(r, c.status, c.code, c.what);
    assertHubSigned(r, PUSH, c.what);
    assert.equal(hubState(), before0, `${c.what}: nothing changed on the hub`);
  }
  // An unknown key's body is never read: decided from the head, so a body
  // over the limit is still a 401, not a 413.
  const big = Buffer.alloc(MAX_BODY + 1, 0x61);
  const r = await push(keys.U, undefined, { body: big, sig: 'a'.repeat(128) });
  expectError(r, 401, 'sync.unknown_key', 'unknown key, huge body');
  assertHubSigned(r, PUSH, 'unknown key, huge body');
});

test('push over APP_SYNC_MAX_BODY: 413 request.too_large, signed (Content-Length and chunked)', async () => {
  const before0 = hubState();
  const r = await push(keys.A, undefined, { body: Buffer.alloc(MAX_BODY + 1, 0x28), sig: 'a'.repeat(128) });
  expectError(r, 413, 'request.too_large', 'Content-Length 4 MiB + 1');
  assertHubSigned(r, PUSH, '413');
  // Chunked: no Content-Length, the limit is found while reading.
  const res = await new Promise((resolve, reject) => {
    const req = http.request(hub.base + PUSH, { method: 'POST', headers: { 'Content-Type': BATCH_TYPE, 'Motcua-Key': keys.A.pub, 'Motcua-Signature': 'a'.repeat(128), 'Transfer-Encoding': 'chunked' } }, (rs) => {
      let t = '';
      rs.setEncoding('utf8');
      rs.on('data', (d) => { t += d; });
      rs.on('end', () => resolve({ status: rs.statusCode, text: t, headers: new Headers(Object.entries(rs.headers).map(([k, v]) => [k, String(v)])) }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(256 << 10, 0x28);
    for (let i = 0; i < 17; i++) req.write(chunk); // 4.25 MiB
    req.end();
  });
  res.json = JSON.parse(res.text);
  expectError(res, 413, 'request.too_large', 'chunked 4.25 MiB');
  assertHubSigned(res, PUSH, 'chunked 413');
  checkExchange(await loadContract(hub), { method: 'POST', path: PUSH, ...res });
  assert.equal(hubState(), before0, 'nothing changed on the hub');
});

// ---- push: the body ----

test('push bodies that are not one sized zstd frame of a canonical batch: 400 sync.bad_batch, nothing stored', async () => {
  const A = keys.A;
  const ev = makeLog([{ kind: 'node.note', payload: { n: 1 } }, { kind: 'node.note', payload: { n: 2 } }]);
  const plain = batchText(A, ev);
  const z = zstd(plain);
  const bomb = Buffer.alloc(MAX_PLAIN + 1, 0x0a);
  const cases = [
    { what: 'empty body', body: Buffer.alloc(0), sig: signBody(A, '') },
    { what: 'JSON, not zstd', body: Buffer.from('{"v":1}'), sig: signBody(A, '{"v":1}') },
    { what: 'the batch uncompressed', body: Buffer.from(plain), sig: signBody(A, plain) },
    { what: 'random bytes', body: crypto.randomBytes(512), sig: signBody(A, plain) },
    { what: 'zstd magic and junk', body: Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), crypto.randomBytes(64)]), sig: signBody(A, plain) },
    { what: 'truncated frame', body: z.subarray(0, z.length - 3), sig: signBody(A, plain) },
    { what: 'frame cut in half', body: z.subarray(0, z.length >> 1), sig: signBody(A, plain) },
    { what: 'trailing bytes', body: Buffer.concat([z, Buffer.from('x')]), sig: signBody(A, plain) },
    { what: 'two frames', body: Buffer.concat([z, z]), sig: signBody(A, plain) },
    { what: 'frame without content size', body: zstd(plain, { sized: false }), sig: signBody(A, plain) },
    { what: 'bomb: 8 MiB + 1 inflated', body: zstd(bomb), sig: signBody(A, bomb) },
    { what: 'header not canonical (a space)', plain: plain.replace('"agency":', '"agency": ') },
    { what: 'header with an extra key', plain: plain.replace('"v":1}', '"v":1,"w":2}') },
    { what: 'header v 2', plain: plain.replace('"v":1}', '"v":2}') },
    { what: 'count says 3', plain: plain.replace('"count":2', '"count":3').replace('"last":2', '"last":3') },
    { what: 'count 0', plain: batchText(A, ev, { count: 0, last: 0 }) },
    { what: 'last beyond count', plain: batchText(A, ev, { last: 5 }) },
    { what: 'first 0', plain: batchText(A, makeLog([{ kind: 'node.note' }], ZERO, 0)) },
    { what: 'first negative', plain: batchText(A, makeLog([{ kind: 'node.note' }], ZERO, -4)) },
    { what: 'epoch not hex', plain: batchText(A, ev, { epoch: 'x'.repeat(32) }) },
    { what: 'no final newline', plain: plain.slice(0, -1) },
    { what: 'a NUL byte', plain: plain.replace('"n":2', '"n":"\u0000"') },
    { what: 'an event line not canonical (space)', plain: plain.replace(`[1,"`, `[1, "`) },
    { what: 'payload not JSON', plain: batchText(A, makeLog([{ kind: 'node.note', payload: '{"n":' }])) },
    { what: 'seqs repeat', plain: batchText(A, [ev[0], { ...ev[0] }]) },
    { what: 'line is an object', plain: plain.split('\n')[0] + '\n{"seq":1}\n{"seq":2}\n' },
  ];
  for (const c of cases) {
    const before0 = hubState();
    const r = c.plain !== undefined ? await push(A, c.plain) : await push(A, undefined, { body: c.body, sig: c.sig });
    expectError(r, 400, 'sync.bad_batch', c.what);
    assertHubSigned(r, PUSH, c.what);
    assert.equal(hubState(), before0, `${c.what}: nothing changed on the hub`);
  }
  // Not the batch's media type: 415, still signed.
  const r = await push(A, plain, { type: 'application/json' });
  expectError(r, 415, 'request.media_type', 'Content-Type application/json');
  assertHubSigned(r, PUSH, '415');
});

test('push signatures: anything but the node key over this path and this uncompressed body is 400 sync.bad_signature', async () => {
  const A = keys.A;
  const ev = makeLog([{ kind: 'node.note', payload: { n: 1 } }]);
  const plain = batchText(A, ev);
  const good = signBody(A, plain);
  const flip = (s) => s.slice(0, 10) + (s[10] === '0' ? '1' : '0') + s.slice(11);
  const cases = [
    { what: 'no signature', sig: null },
    { what: 'empty signature', sig: '' },
    { what: 'one hex digit flipped', sig: flip(good) },
    { what: 'upper-case hex', sig: good.toUpperCase() },
    { what: '127 hex', sig: good.slice(1) },
    { what: '130 hex', sig: good + '00' },
    { what: 'signed by another key', sig: signBody(keys.U, plain) },
    { what: 'signed by B (approved, another node)', sig: signBody(keys.B, plain) },
    { what: 'over the compressed body', sig: signText(A, `motcua-sync-v1\n${PUSH}\n${sha256(zstd(plain))}\n`) },
    { what: 'for the pull path', sig: signBody(A, plain, '/api/v1/sync/pull') },
    { what: 'in the hub\'s domain', sig: signBody(A, plain, PUSH, 'motcua-hub-v1') },
    { what: 'in the enrolment domain', sig: signText(A, `motcua-enrol-v1\n${PUSH}\n${sha256(plain)}\n`) },
    { what: 'over another body', sig: signBody(A, plain.replace('"n":1', '"n":2')) },
    // A body changed after signing (the payload of event 1).
    { what: 'tampered body', sig: good, plain: plain.replace('"n":1', '"n":7') },
  ];
  for (const c of cases) {
    const before0 = hubState();
    const r = await push(A, c.plain ?? plain, { sig: c.sig });
    expectError(r, 400, 'sync.bad_signature', c.what);
    assertHubSigned(r, PUSH, c.what);
    assert.equal(hubState(), before0, `${c.what}: nothing changed on the hub`);
  }
});

// ---- push: the chain ----

// A's log, built once and pushed in parts by the tests below (in order).
let logA;
let codeB;

test('a valid batch is applied: 200, verdicts for the events not applied, the hub holds exactly its hashes', async () => {
  const A = keys.A;
  const B = keys.B;
  // B owns a dossier first, so A's "received" of the same code is refused.
  codeB = `${B_AGENCY}-260302-0001`;
  const logB = makeLog([{ kind: 'dossier.received', dossier: codeB, payload: dossierPayload(B_AGENCY, codeB, 'received') }]);
  const rb = await push(B, batchText(B, logB));
  assert.equal(rb.status, 200, rb.text);
  assert.equal(rb.json.status, 'applied');
  assert.deepEqual(rb.json.verdicts, []);
  assertHubSigned(rb, PUSH, 'B');

  const codeA = `${A_AGENCY}-260302-0001`;
  logA = makeLog([
    { kind: 'node.enrolled', payload: { agency: A_AGENCY } },
    { kind: 'dossier.received', dossier: codeA, payload: dossierPayload(A_AGENCY, codeA, 'received', 'Trần Thị Bình') },
    { kind: 'dossier.received', dossier: codeB, payload: dossierPayload(A_AGENCY, codeB, 'received') }, // B's
    { kind: 'dossier.whatever', dossier: codeA, payload: { note: 'no dossier record' } },
    { kind: 'dossier.accepted', dossier: codeA, payload: dossierPayload(A_AGENCY, codeA, 'processing', 'Trần Thị Bình') },
    { kind: 'user.added', payload: { login: 'x' } },
    { kind: 'node.note', payload: { n: 7 } },
    { kind: 'node.note', payload: { n: 8 } },
    { kind: 'node.note', payload: { n: 9 } },
    { kind: 'node.note', payload: { n: 10 } },
  ]);
  const first = logA.slice(0, 6);
  const plain = batchText(A, first);
  const hubEvents0 = Number(sql(hub, 'select count(*) from event'));
  const r = await push(A, plain);
  assert.equal(r.status, 200, r.text);
  assertHubSigned(r, PUSH, 'applied');
  assert.equal(r.json.status, 'applied');
  assert.equal(r.json.head.acked_seq, 6);
  assert.equal(r.json.head.acked_hash, logA[5].hash);
  assert.equal(r.json.head.epoch, epoch);
  assert.equal(r.json.head.chain, 1);
  assert.equal(r.json.head.hub_seq, hubEvents0, 'hub_seq is the hub\'s own log head');
  assert.deepEqual(r.json.verdicts.map((v) => [v.seq, v.verdict, v.code]), [[3, 'rejected', 'dossier.exists'], [4, 'deferred', 'sync.unknown_kind']]);
  for (const v of r.json.verdicts) assert.ok(v.message.length > 0);
  assert.equal(hubChain(A_AGENCY), chainOf(first), 'the hub holds the events with the node\'s hashes');
  assert.equal(sql(hub, `select batch from hub_event where agency = '${A_AGENCY}' group by batch`), sha256(plain), 'batch id = SHA-256 of the uncompressed batch');
  assert.equal(sql(hub, `select group_concat(verdict, ',') from (select verdict from hub_event where agency = '${A_AGENCY}' order by seq)`), 'stored,applied,rejected,deferred,applied,stored');
  assert.equal(sql(hub, `select acked_seq || '|' || rejected from hub_node where key = '${A.pub}'`), '6|2');
  // The events after the rejected one were applied; B still owns its dossier.
  assert.equal(sql(hub, `select agency || '|' || state from hub_dossier where code = '${codeA}'`), `${A_AGENCY}|processing`);
  assert.equal(sql(hub, `select agency from hub_dossier where code = '${codeB}'`), B_AGENCY);
  assert.equal(Number(sql(hub, 'select count(*) from event')), hubEvents0, 'a push adds nothing to the hub\'s own log');
});

test('the same batch again is a duplicate (200, nothing written); rebuilt with other bytes it is 409 sync.replayed', async () => {
  const A = keys.A;
  const first = logA.slice(0, 6);
  const plain = batchText(A, first);
  const before0 = hubState();
  const r = await push(A, plain);
  assert.equal(r.status, 200, r.text);
  assertHubSigned(r, PUSH, 'duplicate');
  assert.equal(r.json.status, 'duplicate');
  assert.equal(r.json.head.acked_seq, 6);
  assert.deepEqual(r.json.verdicts, []);
  assert.equal(hubState(), before0, 'a duplicate writes nothing');
  // The same events with another sent_at: not the last batch applied.
  for (const [what, p] of [['another sent_at', batchText(A, first, { sent_at: '2026-03-02T11:00:00+07:00' })], ['a part of it', batchText(A, first.slice(1, 3))], ['its first event', batchText(A, first.slice(0, 1))]]) {
    const x = await push(A, p);
    const j = expectError(x, 409, 'sync.replayed', what);
    assert.equal(j.head.acked_seq, 6, `${what}: the refusal carries the head`);
    assert.equal(j.head.acked_hash, logA[5].hash);
    assertHubSigned(x, PUSH, what);
    assert.equal(hubState(), before0, `${what}: nothing changed`);
  }
});

test('gap, fork, broken chain, wrong agency/key/chain, wrong epoch: refused with their codes, nothing stored', async () => {
  const A = keys.A;
  const head = logA[5];
  const wrongPrev = makeLog([{ kind: 'node.note', payload: { n: 7 } }, { kind: 'node.note', payload: { n: 8 } }], 'f'.repeat(64), 7);
  // Seq 6 rewritten: links to 5 correctly, but differs from the 6 the hub holds.
  const forked6 = makeLog([{ kind: 'node.note', payload: { forked: true } }, { kind: 'node.note', payload: { n: 7 } }], logA[4].hash, 6);
  const broken = [logA[6], { ...logA[7], line: eventLine({ ...logA[7], prev_hash: 'e'.repeat(64) }) }];
  const otherKey = keypair(A_AGENCY);
  const cases = [
    { what: 'gap: first = acked + 2', plain: batchText(A, logA.slice(7, 9)), status: 409, code: 'sync.gap', head: true },
    { what: 'gap: first far ahead', plain: batchText(A, makeLog([{ kind: 'node.note' }], head.hash, 1000000)), status: 409, code: 'sync.gap', head: true },
    { what: 'fork: prev_hash not the held event 6', plain: batchText(A, wrongPrev), status: 409, code: 'sync.fork', head: true },
    { what: 'fork: a held event differs', plain: batchText(A, forked6), status: 409, code: 'sync.fork', head: true },
    { what: 'fork: a new log from seq 1', plain: batchText(A, makeLog([{ kind: 'node.note', payload: { other: 1 } }])), status: 409, code: 'sync.fork', head: true },
    { what: 'chain broken inside the batch', plain: batchText(A, broken), status: 400, code: 'sync.chain_broken' },
    { what: 'header names another agency', plain: batchText({ ...A, agency: B_AGENCY }, logA.slice(6, 8)), status: 403, code: 'sync.agency_mismatch' },
    { what: 'header names another key', plain: batchText({ ...A, pub: otherKey.pub }, logA.slice(6, 8)), status: 403, code: 'sync.agency_mismatch' },
    { what: 'header names B\'s key and agency', plain: batchText({ ...A, pub: keys.B.pub, agency: B_AGENCY }, logA.slice(6, 8)), status: 403, code: 'sync.agency_mismatch' },
    { what: 'header names chain 2', plain: batchText(A, logA.slice(6, 8), { chain: 2 }), status: 403, code: 'sync.agency_mismatch' },
    { what: 'wrong epoch', plain: batchText(A, logA.slice(6, 8), { epoch: 'a'.repeat(32) }), status: 409, code: 'sync.epoch_changed', head: true },
  ];
  for (const c of cases) {
    const before0 = hubState();
    const r = await push(A, c.plain);
    const j = expectError(r, c.status, c.code, c.what);
    assertHubSigned(r, PUSH, c.what);
    if (c.head) {
      assert.equal(j.head?.acked_seq, 6, `${c.what}: the refusal carries the head`);
      assert.equal(j.head.acked_hash, head.hash);
      assert.equal(j.head.epoch, epoch);
    }
    assert.equal(hubState(), before0, `${c.what}: nothing changed on the hub`);
  }
  // A fresh chain whose first event does not start from zero.
  const before0 = hubState();
  const C = keypair('000.37.45.H45');
  assert.equal((await enrol(C)).status, 201);
  assert.equal((await as.admin.post(`/api/v1/hub/nodes/${C.pub}/approve`)).status, 200);
  const s0 = hubState();
  assert.notEqual(s0, before0);
  const r = await push(C, batchText(C, makeLog([{ kind: 'node.note' }], 'b'.repeat(64))));
  expectError(r, 400, 'sync.chain_broken', 'event 1 with a non-zero prev_hash');
  assertHubSigned(r, PUSH, 'chain_broken at 1');
  assert.equal(hubState(), s0);
});

test('a batch overlapping the acknowledgement stores only the new events; the rest of the log follows', async () => {
  const A = keys.A;
  const r = await push(A, batchText(A, logA.slice(4, 8))); // 5..8, the hub holds up to 6
  assert.equal(r.status, 200, r.text);
  assertHubSigned(r, PUSH, 'overlap');
  assert.equal(r.json.status, 'applied');
  assert.equal(r.json.head.acked_seq, 8);
  assert.equal(hubChain(A_AGENCY), chainOf(logA.slice(0, 8)));
  const r2 = await push(A, batchText(A, logA.slice(8)));
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json.head.acked_seq, 10);
  assert.equal(hubChain(A_AGENCY), chainOf(logA));
  assert.equal(sql(hub, `select acked_seq || '|' || acked_hash from hub_node where key = '${A.pub}'`), `10|${logA[9].hash}`);
  // motcua check on the hub walks every chain it holds.
  assert.match(motcua(['check', '--dir', hub.data]), /node chains/);
});

test('a key revoked after it pushed is refused from then on, the events it sent stay', async () => {
  // A second key of B's agency starts a new chain, then is revoked.
  const B2 = keypair(B_AGENCY);
  const e = await enrol(B2);
  assert.equal(e.status, 201, e.text);
  assert.equal(e.json.chain, 2, 'a second key of an agency starts chain 2');
  assert.equal((await as.admin.post(`/api/v1/hub/nodes/${B2.pub}/approve`)).status, 200);
  const log = makeLog([{ kind: 'node.note', payload: { chain: 2 } }]);
  const ok = await push(B2, batchText(B2, log, { chain: 2 }));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.head.chain, 2);
  assert.equal(sql(hub, `select count(*) from hub_event where agency = '${B_AGENCY}' and chain = 2`), '1');
  const rv = await as.admin.post(`/api/v1/hub/nodes/${B2.pub}/revoke`);
  assert.equal(rv.status, 200);
  assert.equal(rv.json.status, 'revoked');
  const before0 = hubState();
  const r = await push(B2, batchText(B2, makeLog([{ kind: 'node.note' }], log[0].hash, 2), { chain: 2 }));
  expectError(r, 403, 'sync.key_revoked', 'revoked after pushing');
  assertHubSigned(r, PUSH, 'revoked');
  assert.equal(hubState(), before0);
  assert.equal(sql(hub, `select count(*) from hub_event where agency = '${B_AGENCY}' and chain = 2`), '1', 'its events stay');
  // A revoked key cannot be approved again.
  expectError(await as.admin.post(`/api/v1/hub/nodes/${B2.pub}/approve`), 409, 'conflict', 'approve a revoked key');
  assert.equal(hubState(), before0);
});

// ---- enrolment ----

test('enrolment: malformed, wrong types, bad agency, bad key or proof, too large → refused, nothing stored', async () => {
  const k = keypair('000.41.45.H45');
  const ok = { v: 1, agency: k.agency, name: 'Xã Mới', key: k.pub, proof: enrolProof(k) };
  const other = keypair('000.41.45.H45');
  const cases = [
    { what: 'malformed JSON', body: '{"v":1,', status: 400, code: 'request.malformed_json' },
    { what: 'empty body', body: '', status: 400, code: 'request.malformed_json' },
    { what: 'an array', body: '[1]', status: 400, code: 'request.malformed_json' },
    { what: 'duplicate key', body: JSON.stringify(ok).replace('{', '{"v":1,'), status: 400, code: 'request.malformed_json' },
    { what: 'unknown field', body: { ...ok, admin: true }, status: 400, code: 'request.unknown_field' },
    { what: 'v missing', body: { ...ok, v: undefined }, status: 400 },
    { what: 'v "1"', body: { ...ok, v: '1' }, status: 400 },
    { what: 'v 2', body: { ...ok, v: 2 }, status: 400 },
    { what: 'v 1.0', body: JSON.stringify(ok).replace('"v":1', '"v":1.0'), status: 400 },
    { what: 'agency a number', body: { ...ok, agency: 32 }, status: 400, code: 'request.bad_field' },
    { what: 'name an object', body: { ...ok, name: { vi: 'x' } }, status: 400, code: 'request.bad_field' },
    { what: 'key null', body: { ...ok, key: null }, status: 400, code: 'request.bad_field' },
    { what: 'proof an array', body: { ...ok, proof: [ok.proof] }, status: 400, code: 'request.bad_field' },
    { what: 'name empty', body: { ...ok, name: '' }, status: 400 },
    { what: 'name with a control character', body: { ...ok, name: 'Xã\u0007' }, status: 400 },
    { what: 'agency code in lower case', body: { ...ok, agency: k.agency.toLowerCase(), proof: enrolProof(k, k.agency.toLowerCase()) }, status: 400, code: 'agency.bad_code' },
    { what: 'agency code of 2 characters', body: { ...ok, agency: 'H4', proof: enrolProof(k, 'H4') }, status: 400, code: 'agency.bad_code' },
    { what: 'agency code with a slash', body: { ...ok, agency: '000.41/../H45', proof: enrolProof(k, '000.41/../H45') }, status: 400, code: 'agency.bad_code' },
    { what: 'agency code of 41 characters', body: { ...ok, agency: '0'.repeat(41), proof: enrolProof(k, '0'.repeat(41)) }, status: 400 },
    { what: 'agency with a newline', body: { ...ok, agency: `${k.agency}\n${k.pub}`, proof: enrolProof(k, `${k.agency}\n${k.pub}`) }, status: 400 },
    { what: 'key upper-case hex', body: { ...ok, key: k.pub.toUpperCase() }, status: 400 },
    { what: 'key 62 hex', body: { ...ok, key: k.pub.slice(2) }, status: 400 },
    { what: 'key not hex', body: { ...ok, key: 'g'.repeat(64) }, status: 400 },
    { what: 'proof 126 hex', body: { ...ok, proof: ok.proof.slice(2) }, status: 400 },
    { what: 'proof by another key', body: { ...ok, proof: enrolProof(other, k.agency, k.pub) }, status: 400, code: 'sync.bad_signature' },
    { what: 'proof for another agency', body: { ...ok, proof: enrolProof(k, '000.42.45.H45') }, status: 400, code: 'sync.bad_signature' },
    { what: 'proof of another key\'s enrolment', body: { ...ok, proof: enrolProof(other) }, status: 400, code: 'sync.bad_signature' },
    { what: 'proof all zeros', body: { ...ok, proof: '0'.repeat(128) }, status: 400, code: 'sync.bad_signature' },
    { what: 'body over 4 KiB', body: { ...ok, name: 'x'.repeat(5000) }, status: 413, code: 'request.too_large' },
  ];
  for (const [i, c] of cases.entries()) {
    if (i % 20 === 0) await freshWindow(hub2);
    const before0 = hubState(hub2);
    const r = await client(hub2).post(ENROL, c.body);
    expectError(r, c.status, c.code, c.what);
    assert.equal(hubState(hub2), before0, `${c.what}: nothing stored`);
  }
  const t = await client(hub2).post(ENROL, JSON.stringify(ok), { headers: { 'Content-Type': 'text/plain' } });
  expectError(t, 415, 'request.media_type', 'text/plain');
  assert.equal(sql(hub2, 'select count(*) from hub_node'), '0');
});

test('enrolment: 201 then 200 with the same signed answer; the key for another agency is 409', async () => {
  await freshWindow(hub2);
  const k = keypair('000.43.45.H45');
  const before0 = Number(sql(hub2, 'select count(*) from event'));
  const r1 = await enrol(k, hub2);
  assert.equal(r1.status, 201, r1.text);
  const key2 = sql(hub2, "select value from setting where key = 'public_key'");
  assert.deepEqual(r1.json, { hub_key: key2, hub_agency: HUB_AGENCY, epoch: sql(hub2, "select value from setting where key = 'hub_epoch'"), chain: 1, status: 'pending' });
  const sig = r1.headers.get('motcua-signature');
  assert.ok(sig && verifyText(key2, `motcua-hub-v1\n${ENROL}\n${sha256(r1.text)}\n`, sig), 'the enrolment answer is signed by the hub key it names');
  const r2 = await enrol(k, hub2);
  assert.equal(r2.status, 200, r2.text);
  assert.deepEqual(r2.json, r1.json);
  assert.equal(sql(hub2, `select count(*) from hub_node where key = '${k.pub}'`), '1');
  assert.equal(Number(sql(hub2, 'select count(*) from event')), before0 + 1, 'one node.enrolled event');
  const s = hubState(hub2);
  const r3 = await enrol({ ...k, agency: '000.44.45.H45' }, hub2);
  expectError(r3, 409, 'sync.enrol_exists', 'the same key for another agency');
  assert.equal(hubState(hub2), s);
  // Once approved, enrolling again says so (and changes nothing).
  assert.equal((await login(hub2, 'quantri').then((a) => a.post(`/api/v1/hub/nodes/${k.pub}/approve`))).status, 200);
  const s2 = hubState(hub2);
  const r4 = await enrol(k, hub2);
  assert.equal(r4.status, 200);
  assert.equal(r4.json.status, 'approved');
  assert.equal(hubState(hub2), s2);
});

test('on a commune node: enrol, push and every hub route answer 404 sync.not_hub, unsigned', async () => {
  const k = keypair('000.45.45.H45');
  const n0 = sql(node, 'select count(*) from event');
  expectError(await enrol(k, node), 404, 'sync.not_hub', 'enrol on a node');
  const r = await push(keys.A, batchText(keys.A, makeLog([{ kind: 'node.note' }])), { target: node });
  expectError(r, 404, 'sync.not_hub', 'push on a node');
  assert.equal(r.headers.get('motcua-signature'), null, 'a node signs nothing as a hub');
  for (const p of ['/api/v1/hub/nodes', '/api/v1/hub/communes', '/api/v1/hub/dossiers', `/api/v1/hub/dossiers/${NODE_AGENCY}-260302-0001`]) {
    expectError(await on.admin.get(p), 404, 'sync.not_hub', `GET ${p} as admin on a node`);
    expectError(await on.supervisor.get(p), 404, 'sync.not_hub', `GET ${p} as supervisor on a node`);
    expectError(await on.reception.get(p), 403, 'auth.role', `GET ${p} as reception on a node`);
    expectError(await client(node).get(p), 401, 'auth.required', `GET ${p} anonymous on a node`);
  }
  for (const v of ['approve', 'revoke']) expectError(await on.admin.post(`/api/v1/hub/nodes/${k.pub}/${v}`), 404, 'sync.not_hub', `${v} on a node`);
  assert.equal(sql(node, 'select count(*) from event'), n0, 'nothing written on the node');
});

// ---- the hub's own routes ----

test('hub reading routes: 401 anonymous, 403 for a reception officer, 200 in the contract for supervisor and admin', async () => {
  const codeA = `${A_AGENCY}-260302-0001`;
  const routes = ['/api/v1/hub/nodes', '/api/v1/hub/communes', '/api/v1/hub/dossiers', '/api/v1/hub/dossiers?q=tran%20thi&limit=5',
    `/api/v1/hub/dossiers?agency=${A_AGENCY}`, `/api/v1/hub/dossiers/${codeA}`];
  for (const p of routes) {
    expectError(await client(hub).get(p), 401, 'auth.required', `GET ${p} anonymous`);
    expectError(await client(hub, { cookie: 'motcua_session=' + 'f'.repeat(64) }).get(p), 401, null, `GET ${p} with a made-up cookie`);
    expectError(await as.reception.get(p), 403, 'auth.role', `GET ${p} as reception`);
    for (const who of ['supervisor', 'admin']) {
      const r = await as[who].get(p);
      assert.equal(r.status, 200, `GET ${p} as ${who}: ${r.text.slice(0, 300)}`);
    }
  }
  const nodes = (await as.supervisor.get('/api/v1/hub/nodes')).json.nodes;
  const byKey = Object.fromEntries(nodes.map((n) => [n.key, n]));
  assert.equal(byKey[keys.A.pub].status, 'approved');
  assert.equal(byKey[keys.A.pub].acked_seq, 10);
  assert.equal(byKey[keys.A.pub].rejected, 2);
  assert.equal(byKey[keys.P.pub].status, 'pending');
  assert.equal(byKey[keys.R.pub].status, 'revoked');
  const d = (await as.supervisor.get(`/api/v1/hub/dossiers/${codeA}`)).json;
  assert.equal(d.dossier.code, codeA);
  assert.equal(d.dossier.agency, A_AGENCY);
  assert.deepEqual(d.history.map((h) => h.seq), [2, 4, 5]);
  const s = (await as.admin.get('/api/v1/hub/dossiers?q=tran%20thi%20binh')).json;
  assert.deepEqual(s.items.map((i) => i.code), [codeA], 'search ignores diacritics');
  const dash = (await as.admin.get('/api/v1/hub/communes')).json;
  assert.ok(dash.totals.pending_nodes >= 1);
  assert.ok(dash.communes.some((c) => c.agency === A_AGENCY && c.acked_seq === 10));
});

test('hub dossier look-up: path and query tricks are 4xx and reveal nothing', async () => {
  const tricks = ['nope', '%25', '_', `${A_AGENCY}-260302-000%25`, `${A_AGENCY}-260302-000_`, '..%2F..%2Fnodes', '%00', `${A_AGENCY}-260302-%00001`,
    encodeURIComponent("' or 1=1 --"), 'x'.repeat(2000), encodeURIComponent(`${A_AGENCY}-260302-0001 `), `${A_AGENCY.toLowerCase()}-260302-0001`];
  for (const t of tricks) {
    const r = await as.admin.get(`/api/v1/hub/dossiers/${t}`);
    assert.ok(r.status >= 400 && r.status < 500, `GET /hub/dossiers/${t.slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  for (const q of ['limit=0', 'limit=501', 'limit=x', 'limit=-1', 'limit=1e2', 'limit=9999999999999999999999']) {
    const r = await as.admin.get(`/api/v1/hub/dossiers?${q}`);
    assert.equal(r.status, 400, `GET /hub/dossiers?${q}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  // Any agency text is a filter (the contract allows it), never SQL.
  for (const a of ["' or 1=1 --", '%', '_', A_AGENCY.toLowerCase()]) {
    const r = await as.admin.get(`/api/v1/hub/dossiers?agency=${encodeURIComponent(a)}`);
    assert.equal(r.status, 200, `agency=${a}: ${r.text.slice(0, 200)}`);
    assert.deepEqual(r.json.items, [], `agency=${a} matches nothing`);
  }
  // A LIKE wildcard in q finds nothing it should not.
  const w = await as.admin.get('/api/v1/hub/dossiers?q=%25');
  assert.equal(w.status, 200);
  assert.deepEqual(w.json.items, []);
});

test('approve and revoke: roles, CSRF, unknown and tricky keys; only an admin with CSRF changes anything', async () => {
  const k = keypair('000.46.45.H45');
  assert.equal((await enrol(k)).status, 201);
  const p = `/api/v1/hub/nodes/${k.pub}/approve`;
  const s0 = hubState();
  expectError(await client(hub).post(p), 401, 'auth.required', 'anonymous');
  expectError(await as.reception.post(p), 403, 'auth.role', 'reception');
  expectError(await as.supervisor.post(p), 403, 'auth.role', 'supervisor');
  expectError(await client(hub, { cookie: as.admin.cookie }).post(p), 403, 'auth.csrf', 'admin without X-CSRF-Token');
  expectError(await client(hub, { cookie: as.admin.cookie, csrf: as.reception.csrf }).post(p), 403, 'auth.csrf', 'admin with another session\'s token');
  expectError(await as.admin.post(p, { why: 'x' }), 400, 'request.no_body_allowed', 'with a body');
  // A node's own key is no sign-in.
  expectError(await client(hub).post(p, undefined, { headers: { 'Motcua-Key': keys.A.pub } }), 401, 'auth.required', 'Motcua-Key on an admin route');
  assert.equal(hubState(), s0, 'nothing changed');
  const tricks = [k.pub.toUpperCase(), k.pub.slice(1), k.pub + '0', `${k.pub}%00`, `${k.pub.slice(0, 63)}%25`, '%25', '_'.repeat(64),
    '..%2F' + k.pub, encodeURIComponent("' or status='pending"), 'x'.repeat(3000), keys.U.pub];
  for (const t of tricks) {
    for (const v of ['approve', 'revoke']) {
      const r = await as.admin.post(`/api/v1/hub/nodes/${t}/${v}`);
      assert.ok(r.status >= 400 && r.status < 500, `${v} ${t.slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  assert.equal(hubState(), s0, 'no trick changed anything');
  const ok = await as.admin.post(p);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.decided_by, 'quantri');
  const again = await as.admin.post(p);
  assert.equal(again.status, 200, 'approving twice is idempotent');
  const ev = Number(sql(hub, 'select count(*) from event'));
  assert.equal((await as.admin.post(p)).status, 200);
  assert.equal(Number(sql(hub, 'select count(*) from event')), ev, 'an approval that changes nothing records nothing');
  const rv = await as.admin.post(`/api/v1/hub/nodes/${k.pub}/revoke`);
  assert.equal(rv.status, 200);
  assert.equal(rv.json.status, 'revoked');
  expectError(await as.admin.post(p), 409, 'conflict', 'approve after revoke');
});

// ---- a node's own sync routes ----

test('GET /api/v1/sync/status: every officer of the node, not anonymous; on the hub too (not enrolled)', async () => {
  expectError(await client(node).get('/api/v1/sync/status'), 401, 'auth.required', 'anonymous');
  for (const role of Object.keys(on)) {
    const r = await on[role].get('/api/v1/sync/status');
    assert.equal(r.status, 200, `${role}: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.enrolled, true);
    assert.equal(r.json.hub_url, hub.base);
    assert.equal(r.json.agency, NODE_AGENCY);
  }
  const h = await as.supervisor.get('/api/v1/sync/status');
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.enrolled, false);
});

test('POST /api/v1/sync/now: admin only, with CSRF, no body; the node then catches up with the hub', async () => {
  const p = '/api/v1/sync/now';
  expectError(await client(node).post(p), 401, 'auth.required', 'anonymous');
  for (const role of ['reception', 'specialist', 'leader', 'supervisor']) expectError(await on[role].post(p), 403, 'auth.role', role);
  expectError(await client(node, { cookie: on.admin.cookie }).post(p), 403, 'auth.csrf', 'no X-CSRF-Token');
  expectError(await client(node, { cookie: on.admin.cookie, csrf: 'f'.repeat(64) }).post(p), 403, 'auth.csrf', 'a wrong X-CSRF-Token');
  expectError(await on.admin.post(p, {}), 400, 'request.no_body_allowed', 'with a body');
  // A write on the node, then "sync now": the hub ends up with its whole log.
  const d = await on.reception.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { name: 'Lê Văn Đồng', id_number: '025090001234', phone: '0912345678' }, summary: 'Thử đồng bộ' });
  assert.equal(d.status, 201, d.text);
  const r = await on.admin.post(p);
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.enrolled, true);
  let s;
  for (let i = 0; i < 300; i++) { // up to ~30 s; no timing is asserted
    s = (await on.admin.get('/api/v1/sync/status')).json;
    if (s.waiting === 0 && s.acked_seq === s.local_seq) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(s.waiting, 0, `the node caught up: ${JSON.stringify(s)}`);
  assert.equal(s.stopped, false);
  assert.equal(s.last_error, null);
  assert.equal(hubChain(NODE_AGENCY), sql(node, 'select seq || \'|\' || hash from event order by seq'), 'the hub holds exactly the node\'s log');
  const h = await as.admin.get(`/api/v1/hub/dossiers/${d.json.code}`);
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.dossier.agency, NODE_AGENCY);
});
