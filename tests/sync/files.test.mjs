// files.test.mjs - files travel with sync (docs/sync.md §12): scans
// uploaded on commune nodes reach the hub byte for byte, the same bytes are
// stored once and sent at most once per node, a transfer cut mid-file
// resumes where it stopped (at most one chunk resent per cut), kill -9 of
// the node and of the hub mid-transfer loses nothing and leaves no part
// file, damaged bytes are refused with nothing stored, and the new routes
// refuse what an attacker sends them. A hub, commune nodes and a
// fault-injecting proxy between each node and the hub, on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, existsSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { png } from '../api/scans.mjs';
import { motcua, BIN, freePort, login, client, newDossier, applicant } from '../api/harness.mjs';
import { makeHub, keyOfSodium, keypair, enrolProof, signText, sha256, sql, expectError, checkHubSigned, HUB_AGENCY } from '../api/sync-helpers.mjs';

import { FP, sleep, pdf, startServer, stopServer, proxy, ctl, cli, world, addNode, cleanup, quietly } from './world.mjs';

const CHUNK_MAX = 1 << 20;

// A dossier received on n (served) with each file uploaded in 256 KiB
// chunks as the scan of component i. OUT: the dossier's code.
async function receiveWithScans(n, files) {
  const rec = await login(n, 'tiepnhan');
  const body = newDossier({
    applicant: { ...applicant('Người Số Hoá') },
    components: files.map((_, i) => ({ name: `Giấy tờ ${i + 1}`, originals: 1, copies: 0 })),
  });
  const d = await rec.post('/api/v1/dossiers', body);
  assert.equal(d.status, 201, d.text);
  for (const [i, bytes] of files.entries()) {
    const u = await rec.post(`/api/v1/dossiers/${encodeURIComponent(d.json.code)}/uploads`,
      { component: i, kind: 'scan', filename: `scan${i}.bin`, size: bytes.length });
    assert.equal(u.status, 201, u.text);
    let r;
    for (let off = 0; off < bytes.length; off += 256 * 1024) {
      r = await rec.req('PUT', `/api/v1/uploads/${u.json.id}?offset=${off}`, new Uint8Array(bytes.subarray(off, off + 256 * 1024)),
        { headers: { 'Content-Type': 'application/octet-stream' } });
      assert.ok(r.status === 200 || r.status === 201, r.text);
    }
    assert.equal(r.status, 201, 'the upload completes');
  }
  return d.json.code;
}
// A round that pushes the events only (MOTCUA_TEST_NO_FILES).
const noFiles = (n) => spawnSync(BIN, ['sync', 'now', '--dir', n.data], { encoding: 'utf8', timeout: 60000, env: { ...process.env, MOTCUA_TEST_NO_FILES: '1' } });
const nodeStatus = (n) => JSON.parse(cli(n.data, ['sync', 'status', '--json']).stdout);
const syncNow = (n) => cli(n.data, ['sync', 'now']);
const blobPath = (d, sha) => join(d.data, 'files', sha.slice(0, 2), sha.slice(2));
const parts = (d) => (existsSync(join(d.data, 'files', 'tmp')) ? readdirSync(join(d.data, 'files', 'tmp')) : []);
function blobsOnHub(hub) {
  const out = [];
  for (const sub of readdirSync(join(hub.data, 'files'))) {
    if (sub === 'tmp') continue;
    for (const f of readdirSync(join(hub.data, 'files', sub))) out.push(sub + f);
  }
  return out.sort();
}
test('scans reach the hub byte-identical; the same bytes in two dossiers and two nodes are stored once and sent at most once per node', { timeout: 240000 }, async () => {
  const w = await world('files-basic');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const b = await addNode(w, 'b', '000.32.01.H45');
    const p1 = png(600, 500, 7), f1 = pdf('To khai'), p2 = png(300, 200, 9);
    const codeA1 = await quietly(a, () => receiveWithScans(a, [p1, f1]));
    await quietly(a, () => receiveWithScans(a, [p1]));
    const codeB = await quietly(b, () => receiveWithScans(b, [p1, p2]));
    assert.equal(nodeStatus(a).files.waiting, 2, 'two distinct files wait on A');
    assert.equal(nodeStatus(a).files.bytes_waiting, p1.length + f1.length);

    let r = syncNow(a);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const sa = nodeStatus(a);
    assert.equal(sa.files.waiting, 0, 'A has nothing waiting');
    assert.equal(sa.files.bytes_sent, p1.length + f1.length, 'A sent each file once, though p1 is in two dossiers');
    r = syncNow(b);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const sb = nodeStatus(b);
    assert.equal(sb.files.waiting, 0);
    assert.equal(sb.files.bytes_sent, p2.length, 'B did not send p1: the hub held it already');
    assert.ok(/files confirmed/.test(r.stdout), r.stdout);

    for (const bytes of [p1, f1, p2]) assert.ok(readFileSync(blobPath(w.hub, sha256(bytes))).equals(bytes), 'byte-identical on the hub');
    assert.deepEqual(blobsOnHub(w.hub), [p1, f1, p2].map(sha256).sort(), 'each content stored once, nothing else');
    assert.deepEqual(parts(w.hub), [], 'no part file left');
    assert.equal(sql(w.hub, `select count(*) from hub_blob where sha256 = '${sha256(p1)}'`), '2', 'p1 confirmed for both agencies');
    assert.equal(sql(w.hub, `select group_concat(sent) from hub_blob where sha256 = '${sha256(p1)}' order by agency`), '1,0', 'sent by A, found held for B');

    // Offered again: nothing moves (confirmed files are never offered).
    r = syncNow(a);
    assert.equal(r.status, 0);
    assert.equal(nodeStatus(a).files.bytes_sent, p1.length + f1.length);

    // The province's view.
    const sup = await login(w.hub, 'giamsat');
    const d = await sup.get(`/api/v1/hub/dossiers/${encodeURIComponent(codeA1)}`);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.files.map((f) => [f.component, f.sha256, f.held, f.kind]),
      [[0, sha256(p1), true, 'scan'], [1, sha256(f1), true, 'scan']]);
    const db = await sup.get(`/api/v1/hub/dossiers/${encodeURIComponent(codeB)}`);
    assert.equal(db.json.files.length, 2);
    const res = await fetch(`${w.hub.base}/api/v1/hub/files/${sha256(f1)}`, { headers: { Cookie: sup.cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(f1), 'the supervisor downloads the bytes');
    const rec = await login(w.hub, 'tiepnhan');
    expectError(await rec.get(`/api/v1/hub/files/${sha256(f1)}`), 403, 'auth.role', 'reception on the hub');
    expectError(await sup.get(`/api/v1/hub/files/${'0'.repeat(64)}`), 404, 'file.not_found', 'unknown hash');
    // `check` passes on the hub and the nodes.
    for (const dir of [w.hub.data, a.data, b.data]) assert.equal(cli(dir, ['check']).status, 0, `check ${dir}`);
  } finally { await cleanup(w); }
});

test('a transfer cut mid-file resumes where it stopped: at most one chunk resent per cut', { timeout: 300000 }, async () => {
  const w = await world('files-cuts');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const big = png(1400, 1000, 3); // about 1.4 MB
    await quietly(a, () => receiveWithScans(a, [big]));
    // The events first (no file yet): every failure below is a cut mid-file.
    assert.equal(noFiles(a).status, 0);
    // Every connection is cut once 300 kB went from the node: a round (one
    // kept-alive connection) moves at most that much, the chunk in flight
    // is cut mid-request, the round fails and the next one resumes.
    const wire0 = Number(ctl(a.px, 'status').match(/c2s=(\d+)/)[1]);
    ctl(a.px, 'cut', 'c2s', '300000', 'rst');
    let failed = 0, rounds = 0;
    for (; rounds < 60 && nodeStatus(a).files.waiting > 0; rounds++) {
      if (syncNow(a).status !== 0) { failed++; await sleep(300); }
    }
    const st = ctl(a.px, 'status');
    const cuts = Number(st.match(/cuts=(\d+)/)[1]);
    const wire = Number(st.match(/c2s=(\d+)/)[1]) - wire0;
    ctl(a.px, 'cut', 'off');
    const s = nodeStatus(a);
    assert.equal(s.files.waiting, 0, `the file arrived (${rounds} rounds, ${failed} failed, ${cuts} cuts)`);
    // libcurl sends a request again once on a fresh connection when a
    // kept-alive one died before any answer, so a round may survive a cut:
    // the proxy's count is the number of cuts.
    assert.ok(cuts >= 2, `the transfer was cut (${cuts} cuts, ${failed} rounds failed)`);
    const resent = s.files.bytes_sent - big.length;
    console.log(`# cut test: file ${big.length} bytes, node sent ${s.files.bytes_sent} in chunks (${resent} resent), ${wire} bytes on the wire from the node, ${rounds} rounds (${failed} failed), ${cuts} cuts`);
    // On the wire too (libcurl's own retries included), with room for the
    // offers, pulls and heads: at most one chunk per cut.
    assert.ok(wire <= big.length + cuts * 512 * 1024 + 64 * 1024, `wire ${wire} > file + ${cuts} chunks`);
    assert.ok(resent >= 0);
    // Chunks start at 256 KiB and double once before the first cut lowers
    // their ceiling: the chunk in flight is at most 512 KiB.
    assert.ok(resent <= cuts * 512 * 1024, `at most one chunk (the one in flight) resent per cut: ${resent} > ${cuts} x 512 KiB`);
    assert.ok(readFileSync(blobPath(w.hub, sha256(big))).equals(big), 'byte-identical');
    assert.deepEqual(parts(w.hub), [], 'no part file left');
    assert.equal(sql(w.hub, 'select count(*) from hub_file_in'), '0');
  } finally { await cleanup(w); }
});

test('kill -9 of the node and of the hub mid-transfer: the file arrives, stored once, no part file left', { timeout: 300000 }, async () => {
  const w = await world('files-kill');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const big = png(1500, 1000, 5);
    const sha = sha256(big);
    await quietly(a, () => receiveWithScans(a, [big]));
    ctl(a.px, 'throttle', 'c2s', '100000'); // about 15 s for the file
    const received = () => Number(sql(w.hub, `select coalesce(max(received), 0) from hub_file_in where sha256 = '${sha}'`) || 0);
    const until = async (what, f, ms = 90000) => {
      for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(100)) if (f()) return;
      throw new Error(`timed out waiting: ${what}\n${a.log}`);
    };
    await startServer(a); // its sync thread starts the round
    await until('the hub holds part of the file', () => received() > 0);
    await stopServer(a, 'SIGKILL');
    const afterNodeKill = received();
    await startServer(a);
    await until('the transfer goes on after the node restarts', () => received() > afterNodeKill);
    await stopServer(w.hub, 'SIGKILL');
    const atHubKill = received();
    assert.ok(atHubKill > 0 && atHubKill < big.length, `mid-transfer (${atHubKill} of ${big.length})`);
    await startServer(w.hub);
    ctl(a.px, 'throttle', 'c2s', '0');
    await until('the node has nothing waiting', () => nodeStatus(a).files.waiting === 0);
    await stopServer(a);
    assert.ok(readFileSync(blobPath(w.hub, sha)).equals(big), 'byte-identical');
    assert.deepEqual(blobsOnHub(w.hub), [sha], 'stored once');
    assert.deepEqual(parts(w.hub), [], 'no part file left behind');
    assert.equal(sql(w.hub, 'select count(*) from hub_file_in'), '0');
    assert.equal(sql(w.hub, `select count(*) from hub_blob where sha256 = '${sha}'`), '1');
    const s = nodeStatus(a);
    console.log(`# kill test: file ${big.length} bytes, sent ${s.files.bytes_sent}`);
  } finally { await cleanup(w); }
});

test('damaged bytes (hash mismatch) are refused and nothing is stored; the node records the refusal', { timeout: 240000 }, async () => {
  const w = await world('files-tamper');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const good = png(500, 400, 11);
    const sha = sha256(good);
    await quietly(a, () => receiveWithScans(a, [good]));
    // The node's copy rots on its disk: same size, one byte changed.
    const p = blobPath(a, sha);
    const bad = Buffer.from(readFileSync(p));
    bad[bad.length >> 1] ^= 0x55;
    writeFileSync(p, bad);
    const r = syncNow(a);
    assert.equal(r.status, 0, r.stderr);
    const s = nodeStatus(a);
    assert.equal(s.files.waiting, 0, 'not offered again');
    assert.deepEqual(s.files.refused.map((f) => [f.sha256, f.code]), [[sha, 'file.mismatch']]);
    assert.ok(!existsSync(blobPath(w.hub, sha)), 'nothing stored');
    assert.deepEqual(parts(w.hub), [], 'no part kept');
    assert.equal(sql(w.hub, 'select count(*) from hub_blob'), '0');
    assert.equal(sql(w.hub, 'select count(*) from hub_file_in'), '0');
    // The dossier's file row is on the hub, its bytes are not.
    assert.equal(sql(w.hub, `select count(*) from hub_file where sha256 = '${sha}'`), '1');
  } finally { await cleanup(w); }
});

// ---- the routes as an attacker tries them ----
let W, A, kpA;
before(async () => {
  W = await world('files-api');
  A = await addNode(W, 'a', '000.31.01.H45');
  kpA = keyOfSodium(readFileSync(join(A.data, 'node.key'), 'utf8').trim());
  A.bytes = png(200, 100, 21);
  await quietly(A, () => receiveWithScans(A, [A.bytes]));
  // Push the events only: the file stays on the node (no files step).
  const r = noFiles(A);
  assert.equal(r.status, 0, r.stderr);
});
after(async () => { if (W) await cleanup(W); });

const WANT = '/api/v1/sync/files/want';
const chunkPath = (sha, off) => `/api/v1/sync/files/${sha}?offset=${off}`;
async function send(path, body, { kp = kpA, key = kp?.pub, sig, type } = {}) {
  const headers = { 'Content-Type': type || (path === WANT ? 'application/json' : 'application/octet-stream') };
  if (key) headers['Motcua-Key'] = key;
  const s = sig !== undefined ? sig : kp ? signText(kp, `motcua-sync-v1\n${path}\n${sha256(body)}\n`) : undefined;
  if (s) headers['Motcua-Signature'] = s;
  return client(W.hub).req('POST', path, typeof body === 'string' ? body : new Uint8Array(body), { headers });
}

test('sync file routes: unsigned, wrong key, unapproved key, bad signature', async () => {
  const sha = sha256(A.bytes);
  // The node's files are all confirmed by now or not; these never store.
  const body = A.bytes.subarray(0, 1000);
  expectError(await send(chunkPath(sha, 0), body, { kp: null, key: null }), 401, 'sync.unknown_key', 'no key');
  expectError(await send(chunkPath(sha, 0), body, { sig: '' }), 400, 'sync.bad_signature', 'unsigned');
  const stranger = keypair('000.39.01.H45');
  expectError(await send(chunkPath(sha, 0), body, { kp: stranger }), 401, 'sync.unknown_key', 'unknown key');
  // Signed by another key than the one named.
  expectError(await send(chunkPath(sha, 0), body, { key: kpA.pub, sig: signText(stranger, `motcua-sync-v1\n${chunkPath(sha, 0)}\n${sha256(body)}\n`) }), 400, 'sync.bad_signature', 'wrong key');
  // A signature for offset 0 does not carry a chunk to another offset.
  expectError(await send(chunkPath(sha, 5), body, { sig: signText(kpA, `motcua-sync-v1\n${chunkPath(sha, 0)}\n${sha256(body)}\n`) }), 400, 'sync.bad_signature', 'offset not the signed one');
  // Pending (unapproved) key.
  const pending = keypair('000.33.01.H45');
  const en = await client(W.hub).post('/api/v1/sync/enrol', { v: 1, agency: pending.agency, name: 'Xã chờ', key: pending.pub, proof: enrolProof(pending) });
  assert.equal(en.status, 201);
  const want = JSON.stringify({ files: [{ sha256: sha, size: A.bytes.length }], v: 1 });
  const res = expectError(await send(WANT, want, { kp: pending }), 403, 'sync.key_not_approved', 'pending key');
  assert.ok(res);
  for (const p of [WANT]) {
    const r = await send(p, want, { kp: stranger });
    checkHubSigned(W.hub.key, r, p, 'refusal at the door is signed');
  }
  assert.equal(sql(W.hub, 'select count(*) from hub_blob'), '0');
  assert.equal(sql(W.hub, 'select count(*) from hub_file_in'), '0');
});

test('sync file routes: a hash the node never referenced, bad offsets, a body too large, a bad offer', async () => {
  const sha = sha256(A.bytes);
  const never = sha256(Buffer.from('never referenced'));
  // The offer: the referenced file is wanted from 0, the other unknown.
  const want = JSON.stringify({ files: [{ sha256: sha, size: A.bytes.length }, { sha256: never, size: 10 }], v: 1 });
  const r = await send(WANT, want);
  assert.equal(r.status, 200, r.text);
  checkHubSigned(W.hub.key, r, WANT, 'want');
  assert.deepEqual(r.json.files, [{ sha256: sha, state: 'want', offset: 0 }, { sha256: never, state: 'unknown' }]);
  // A size other than the event's is not that file.
  const r2 = await send(WANT, JSON.stringify({ files: [{ sha256: sha, size: 5 }], v: 1 }));
  assert.deepEqual(r2.json.files, [{ sha256: sha, state: 'unknown' }]);
  expectError(await send(chunkPath(never, 0), Buffer.from('x'.repeat(10))), 404, 'sync.file_unknown', 'a hash no event names');
  expectError(await send(WANT, JSON.stringify({ files: Array.from({ length: 101 }, () => ({ sha256: sha, size: 1 })), v: 1 })), 400, 'request.bad_field', 'more than 100 files');
  expectError(await send(WANT, '{"files":"x","v":1}'), 400, 'request.bad_field', 'files not a list');
  // Chunks: the first at 0 lands; one at a wrong offset is refused with
  // where to resume; one past the file's size is refused.
  const first = A.bytes.subarray(0, 4096);
  const c1 = await send(chunkPath(sha, 0), first);
  assert.equal(c1.status, 200, c1.text);
  checkHubSigned(W.hub.key, c1, `/api/v1/sync/files/${sha}`, 'chunk');
  assert.deepEqual(c1.json, { sha256: sha, offset: 4096, size: A.bytes.length, complete: false });
  const bad = expectError(await send(chunkPath(sha, 0), first), 409, 'sync.file_offset', 'the same chunk again');
  assert.equal(bad.expected_offset, 4096);
  expectError(await send(chunkPath(sha, 9000), first), 409, 'sync.file_offset', 'a gap');
  expectError(await send(`/api/v1/sync/files/${sha}?offset=-1`, first), 400, null, 'a negative offset');
  expectError(await send(`/api/v1/sync/files/${sha}`, first), 400, 'file.bad_field', 'no offset');
  expectError(await send(chunkPath(sha, 4096), Buffer.alloc(CHUNK_MAX + 1)), 413, null, 'a body over 1 MiB');
  expectError(await send(chunkPath(sha, 4096), first, { type: 'text/plain' }), 415, null, 'not octet-stream');
  expectError(await send(chunkPath('ZZ', 0), first), 404, 'sync.file_unknown', 'not a hash');
  // The rest, then the same last chunk again (a lost answer): complete both times.
  const rest = A.bytes.subarray(4096);
  const done = await send(chunkPath(sha, 4096), rest);
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.complete, true);
  const again = await send(chunkPath(sha, 4096), rest);
  assert.equal(again.status, 201);
  assert.ok(readFileSync(blobPath(W.hub, sha)).equals(A.bytes));
  assert.deepEqual(parts(W.hub), []);
  // The node's next offer meets "held": confirmed without a byte sent.
  assert.equal(syncNow(A).status, 0);
  const s = nodeStatus(A);
  assert.equal(s.files.waiting, 0);
  assert.equal(s.files.bytes_sent, 0);
});
