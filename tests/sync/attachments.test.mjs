// attachments.test.mjs - attachments of office records travel with sync
// (docs/sync.md §12, §12.1): one uploaded on a commune node reaches the hub
// after its attachment.added event, where the province's officers read it;
// one the hub publishes (named by an item) is fetched by the node in chunks
// through a link cut mid-file, checked and stored once, with no part file
// left; and the fetch route refuses what an attacker sends it. A hub, a
// commune node and the fault-injecting proxy between them, on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { png } from '../api/scans.mjs';
import { login } from '../api/harness.mjs';
import { keypair, enrolProof, signText, sha256, sql, expectError } from '../api/sync-helpers.mjs';
import { sleep, pdf, startServer, stopServer, ctl, cli, world, addNode, cleanup, quietly } from './world.mjs';

const nodeStatus = (n) => JSON.parse(cli(n.data, ['sync', 'status', '--json']).stdout);
const syncNow = (n) => cli(n.data, ['sync', 'now']);
const parts = (d) => (existsSync(join(d.data, 'files', 'tmp')) ? readdirSync(join(d.data, 'files', 'tmp')) : []);

async function upload(c, bytes, filename, type = 'application/octet-stream') {
  const r = await c.req('POST', `/api/v1/attachments?filename=${encodeURIComponent(filename)}`, new Uint8Array(bytes),
    { headers: { 'Content-Type': type } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function download(n, c, sha) {
  const res = await fetch(`${n.base}/api/v1/attachments/${sha}`, { headers: { Cookie: c.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('a commune\'s attachment reaches the hub after its event, byte-identical, and the province\'s officers read it', { timeout: 180000 }, async () => {
  const w = await world('attach-up');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const bytes = pdf('Kien nghi cua xa');
    const rec = await quietly(a, async () => upload(await login(a, 'lanhdao'), bytes, 'kiến nghị.pdf', 'application/pdf'));
    assert.equal(rec.sha256, sha256(bytes));
    assert.equal(rec.filename, 'kiến nghị.pdf');
    assert.equal(nodeStatus(a).files.waiting, 1, 'the attachment waits to be offered');
    const r = syncNow(a);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.equal(nodeStatus(a).files.waiting, 0, 'confirmed by the hub');
    assert.equal(sql(w.hub, `select kind || ':' || agency from hub_file where sha256 = '${rec.sha256}'`), 'attachment:000.31.01.H45');
    // Any officer of the hub (a department's) reads it; nobody unsigned.
    const off = await login(w.hub, 'chuyenvien');
    const got = await download(w.hub, off, rec.sha256);
    assert.equal(got.status, 200);
    assert.equal(got.type, 'application/pdf');
    assert.ok(got.bytes.equals(bytes), 'byte-identical on the hub');
    const anon = await fetch(`${w.hub.base}/api/v1/attachments/${rec.sha256}`);
    assert.equal(anon.status, 401);
    expectError(await off.get(`/api/v1/attachments/${'a'.repeat(64)}`), 404, 'file.not_found', 'unknown hash');
  } finally { await cleanup(w); }
});

test('an attachment the hub publishes is fetched by the node through a link cut mid-file, stored once, no part left', { timeout: 300000 }, async () => {
  const w = await world('attach-down');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const big = png(1400, 1000, 11); // about 1.4 MB: two chunks and more
    const adm = await login(w.hub, 'lanhdao');
    const rec = await upload(adm, big, 'văn bản trả lời.png', 'image/png');
    // What applying an item that names it does (app_attach_want), as the
    // tasks' and recommendations' items do; the node is stopped here.
    sql(a, `insert into attachment_want(sha256, filename, mime, size, added_at) values ('${rec.sha256}', 'văn bản trả lời.png', 'image/png', ${big.length}, 0)`);
    // Every connection is cut once 400 kB came from the hub.
    ctl(a.px, 'cut', 's2c', '400000', 'rst');
    let rounds = 0, failed = 0;
    for (; rounds < 40 && sql(a, 'select count(*) from attachment_want') !== '0'; rounds++) {
      if (syncNow(a).status !== 0) { failed++; await sleep(200); }
    }
    const cuts = Number(ctl(a.px, 'status').match(/cuts=(\d+)/)[1]);
    ctl(a.px, 'cut', 'off');
    assert.equal(sql(a, 'select count(*) from attachment_want'), '0', `fetched (${rounds} rounds, ${failed} failed, ${cuts} cuts)`);
    assert.ok(cuts >= 2, `the fetch was cut (${cuts})`);
    console.log(`# fetch through cuts: ${big.length} bytes, ${rounds} rounds (${failed} failed), ${cuts} cuts`);
    assert.equal(sql(a, `select origin || ':' || mime || ':' || size from attachment where sha256 = '${rec.sha256}'`), `hub:image/png:${big.length}`);
    assert.deepEqual(parts(a), [], 'no part file left on the node');
    await startServer(a);
    const c = await login(a, 'chuyenvien');
    const got = await download(a, c, rec.sha256);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(big), 'byte-identical on the node');
    // A hub-fetched attachment is the hub's already: never offered back.
    assert.equal(sql(a, `select count(*) from sync_file where sha256 = '${rec.sha256}'`), '0');
    await stopServer(a);
    assert.equal(cli(a.data, ['check']).status, 0);
  } finally { await cleanup(w); }
});

test('the fetch route: unsigned, wrong key, another commune\'s attachment, a damaged answer', { timeout: 180000 }, async () => {
  const w = await world('attach-attack');
  try {
    const a = await addNode(w, 'a', '000.31.01.H45');
    const b = await addNode(w, 'b', '000.32.01.H45');
    // B's own attachment reaches the hub; A may not fetch it from there.
    const bBytes = pdf('Giay to cua xa B');
    const bRec = await quietly(b, async () => upload(await login(b, 'lanhdao'), bBytes, 'b.pdf'));
    assert.equal(syncNow(b).status, 0);
    const path = (sha, off = 0) => `/api/v1/sync/attachments/${sha}?offset=${off}`;
    const post = (p, headers = {}) => fetch(`${w.hub.base}${p}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', ...headers } });
    // Unsigned.
    let res = await post(path(bRec.sha256));
    assert.ok(res.status === 401 || res.status === 403 || res.status === 400, `unsigned: ${res.status}`);
    // A key the hub does not know.
    const stranger = keypair('000.39.01.H45');
    const sigOf = (kp, p) => signText(kp, `motcua-sync-v1\n${p}\n${sha256(Buffer.alloc(0))}\n`);
    res = await post(path(bRec.sha256), { 'Motcua-Key': stranger.pub, 'Motcua-Signature': sigOf(stranger, path(bRec.sha256)) });
    assert.ok(res.status >= 400 && res.status < 500, `unknown key: ${res.status}`);
    void enrolProof;
    // A's node, by its own CLI round, asks for B's attachment: refused,
    // counted, and left after the tries.
    sql(a, `insert into attachment_want(sha256, filename, mime, size, added_at) values ('${bRec.sha256}', 'b.pdf', 'application/pdf', ${bBytes.length}, 0)`);
    for (let i = 0; i < 6; i++) syncNow(a);
    assert.equal(sql(a, `select tries >= 5 from attachment_want where sha256 = '${bRec.sha256}'`), '1', 'refused each time');
    assert.match(sql(a, `select error from attachment_want where sha256 = '${bRec.sha256}'`), /404/);
    assert.equal(sql(a, `select count(*) from attachment where sha256 = '${bRec.sha256}'`), '0', 'A holds nothing of B');
    // A want whose published size is wrong (a damaged item): the bytes
    // never match, nothing is stored.
    const hubBytes = png(200, 150, 4);
    const adm = await login(w.hub, 'lanhdao');
    const hrec = await upload(adm, hubBytes, 'x.png');
    sql(a, `insert into attachment_want(sha256, filename, mime, size, added_at) values ('${hrec.sha256}', 'x.png', 'image/png', ${hubBytes.length + 10}, 0)`);
    for (let i = 0; i < 3; i++) syncNow(a);
    assert.equal(sql(a, `select count(*) from attachment where sha256 = '${hrec.sha256}'`), '0', 'a size that does not match stores nothing');
    assert.deepEqual(parts(a).filter((p) => p.startsWith(hrec.sha256.slice(0, 32))).length <= 1, true);
  } finally { await cleanup(w); }
});
