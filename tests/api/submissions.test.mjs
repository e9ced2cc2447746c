// submissions.test.mjs - POST /api/v1/hub/submissions (docs/sync.md §7.3):
// the province's portal hands an online submission to a commune through
// the hub. Tried as an attacker would (no sign-in, wrong roles, no CSRF,
// bad bodies, huge bodies, another hub's commune, a plain node), then as
// the portal does: the hub issues its code once per Idempotency-Key, and
// the commune's node takes it in its next round, waiting for reception.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, startServer, stopServer, startNode, stopNode, login, client, bearer } from './harness.mjs';
import { expectError, sql, makeHub } from './sync-helpers.mjs';

const run = promisify(execFile);
const PATH = '/api/v1/hub/submissions';
let root, hub, node, plain, as = {}, portal;

const ok = (over = {}) => ({
  agency: '000.31.45.H45', procedure: '1.000253', channel: 'online',
  applicant: { name: 'Nguyễn Thị Trực Tuyến', id_number: '025090001234', phone: '0912345678' },
  summary: 'Đăng ký tạm trú qua cổng dịch vụ công', ...over,
});
// What the hub holds that a submission writes: the hub's own log, its
// dossier copies and its outbox.
const snapshot = () => ['select count(*) from event', 'select count(*) from hub_dossier', 'select count(*) from hub_outbox']
  .map((q) => sql(hub, q)).join('|');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-subs-'));
  hub = makeHub(root, 'hub');
  await startServer(hub);
  for (const [r, l] of [['admin', 'quantri'], ['supervisor', 'giamsat'], ['reception', 'tiepnhan'], ['specialist', 'chuyenvien']]) as[r] = await login(hub, l);
  portal = bearer(hub, motcua(['token', 'create', 'tiepnhan', '--dir', hub.data]).trim());
  // The commune's node: enrolled and approved (the hub refuses a commune
  // without an approved node).
  node = { dir: root, data: join(root, 'node'), env: {} };
  motcua(['init', '--demo', '--agency', '000.31.45.H45', '--name', 'Xã Thử', '--dir', node.data]);
  await run(BIN, ['enrol', '--hub', hub.base, '--dir', node.data]); // async: the hub's log pipe keeps draining
  motcua(['hub', 'approve', sql(node, "select value from setting where key = 'public_key'"), '--dir', hub.data]);
  plain = await startNode();
});
after(async () => {
  if (hub?.proc) await stopServer(hub);
  if (plain) await stopNode(plain);
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the door: no sign-in, a made-up session, wrong roles and no CSRF change nothing', async () => {
  const before0 = snapshot();
  expectError(await client(hub).post(PATH, ok()), 401, 'auth.required', 'anonymous');
  expectError(await client(hub, { cookie: 'motcua_session=' + 'a'.repeat(64) }).post(PATH, ok()), 401, 'auth.required', 'made-up cookie');
  expectError(await as.supervisor.post(PATH, ok()), 403, 'auth.role', 'supervisor');
  expectError(await as.specialist.post(PATH, ok()), 403, 'auth.role', 'specialist');
  expectError(await as.reception.post(PATH, ok(), { headers: { 'X-CSRF-Token': '' } }), 403, 'auth.csrf', 'no CSRF token');
  expectError(await client(hub, { cookie: as.reception.cookie, csrf: as.admin.csrf }).post(PATH, ok()), 403, 'auth.csrf', "another session's token");
  assert.equal(snapshot(), before0);
});

test('bad bodies are refused with a reason and change nothing', async () => {
  const before0 = snapshot();
  const cases = [
    ['malformed JSON', '{"agency":', 400],
    ['not an object', '[1,2]', 400],
    ['no agency', ok({ agency: undefined }), 400],
    ['agency not a string', ok({ agency: 31 }), 400],
    ['agency not a code', ok({ agency: "000.31'; DROP TABLE hub_outbox;--" }), 400],
    ['agency empty', ok({ agency: '' }), 400],
    ['a commune with no approved node', ok({ agency: '000.39.45.H45' }), 404],
    ['the hub itself', ok({ agency: '000.00.00.H45' }), 404],
    ['unknown field', { ...ok(), extra: 1 }, 400],
    ['no applicant', ok({ applicant: undefined }), 400],
    ['applicant not an object', ok({ applicant: 'x' }), 400],
    ['no name', ok({ applicant: { id_number: '025090001234', phone: '0912345678' } }), 400],
    ['bad phone', ok({ applicant: { name: 'A', id_number: '025090001234', phone: '12' } }), 400],
    ['CCCD one digit too long', ok({ applicant: { name: 'A', id_number: '0250900012345', phone: '0912345678' } }), 400],
    ['control character in the name', ok({ applicant: { name: 'A\u0007B', id_number: '025090001234', phone: '0912345678' } }), 400],
    ['components not an array', ok({ components: 'x' }), 400],
    ['pending not a boolean', ok({ pending: 'yes' }), 400],
    ['no procedure', ok({ procedure: undefined }), 400],
  ];
  for (const [what, body, status] of cases) {
    const b = typeof body === 'string' ? body : JSON.stringify(body);
    const r = await as.reception.post(PATH, b);
    assert.equal(r.status, status, `${what}: ${r.text.slice(0, 200)}`);
    assert.ok(r.json?.error?.code, `${what}: an error code`);
  }
  // Invalid UTF-8 and a huge body.
  const bad = Buffer.concat([Buffer.from('{"agency":"000.31.45.H45","procedure":"1.000253","channel":"online","applicant":{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","phone":"0912345678"}}')]);
  assert.equal((await as.reception.post(PATH, new Uint8Array(bad))).status, 400, 'invalid UTF-8');
  const huge = JSON.stringify(ok({ summary: 'x'.repeat(2 << 20) }));
  expectError(await as.reception.post(PATH, huge), 413, 'request.too_large', 'a 2 MiB body');
  expectError(await as.reception.post(PATH, JSON.stringify(ok()), { headers: { 'Content-Type': 'text/plain' } }), 415, 'request.media_type', 'text/plain');
  assert.equal(snapshot(), before0);
});

test('a plain commune node has no such route', async () => {
  const admin = await login(plain, 'quantri');
  expectError(await admin.post(PATH, ok()), 404, 'sync.not_hub', 'a node');
});

test('the portal hands a submission over once per key; the commune takes it waiting for reception', async () => {
  const key = 'portal-submission-0001';
  const first = await portal.post(PATH, ok(), { headers: { 'Idempotency-Key': key } });
  assert.equal(first.status, 201, first.text);
  const code = first.json.code;
  assert.match(code, /^000\.00\.00\.H45-\d{6}-\d{4}$/, 'a code under the hub\'s own agency');
  assert.deepEqual(first.json, { code, agency: '000.31.45.H45', status: 'submitted' });
  const again = await portal.post(PATH, ok(), { headers: { 'Idempotency-Key': key } });
  assert.equal(again.status, 201);
  assert.equal(again.json.code, code, 'a retry returns the same code');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  // The same key for another submission is a mistake, said so.
  const other = await portal.post(PATH, ok({ summary: 'khác' }), { headers: { 'Idempotency-Key': key } });
  assert.equal(other.status, 409, other.text);
  assert.equal(Number(sql(hub, "select count(*) from event where kind = 'hub.submission'")), 1, 'made once');
  assert.equal(sql(hub, `select agency || '|' || state from hub_dossier where code = '${code}'`), '000.31.45.H45|submitted');
  assert.equal(sql(hub, "select agency || '|' || stream || '|' || kind from hub_outbox where stream = 'submissions'"), '000.31.45.H45|submissions|dossier.received');
  // Without a key, each request is a new submission.
  const second = await portal.post(PATH, ok({ applicant: { name: 'Trần Văn Hai', id_number: '025090005678', phone: '0987654321' } }));
  assert.equal(second.status, 201);
  assert.notEqual(second.json.code, code);
  // The commune's node takes both in its next round.
  const { stdout } = await run(BIN, ['sync', 'now', '--dir', node.data]);
  assert.match(stdout, /items from the province applied/);
  assert.equal(Number(sql(node, "select count(*) from sync_item where stream = 'submissions'")), 2, 'both submissions taken');
  for (const c of [code, second.json.code]) {
    assert.equal(sql(node, `select agency || '|' || origin || '|' || status || '|' || channel from dossier where code = '${c}'`),
      '000.31.45.H45|000.00.00.H45|submitted|online', c);
  }
  const shown = JSON.parse(motcua(['dossier', 'show', code, '--dir', node.data]));
  assert.equal(shown.applicant.name, 'Nguyễn Thị Trực Tuyến');
  assert.equal(shown.summary, 'Đăng ký tạm trú qua cổng dịch vụ công');
  // Its reception event flowed back and was applied on the hub's copy.
  await run(BIN, ['sync', 'now', '--dir', node.data]);
  assert.equal(sql(hub, `select verdict from hub_event where dossier = '${code}' and kind = 'dossier.received'`), 'applied');
  // An officer accepts it: the clock starts on the commune.
  motcua(['dossier', 'act', code, 'accept', '--as', 'tiepnhan', '--dir', node.data]);
  assert.equal(JSON.parse(motcua(['dossier', 'show', code, '--dir', node.data])).status, 'received');
  motcua(['check', '--dir', node.data]);
  assert.match(motcua(['check', '--dir', hub.data]), /1 node chain/);
});

test('the public look-up on the hub answers for every commune, from its copies', async () => {
  await run(BIN, ['sync', 'now', '--dir', node.data]);
  const [code, last4, status] = sql(node, "select code || '|' || substr(phone, -4) || '|' || status from dossier where agency = '000.31.45.H45' and status = 'processing' order by code limit 1").split('|');
  const anon = client(hub);
  const r = await anon.get(`/api/v1/public/lookup?code=${encodeURIComponent(code)}&phone=${last4}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.code, code);
  assert.equal(r.json.status, status, 'the state the commune last pushed');
  assert.equal(r.json.agency, '000.31.45.H45');
  assert.equal(r.json.agency_name, 'Xã Thử', 'the commune joined the hub\'s agency list when approved');
  assert.ok(r.json.steps.length >= 2, 'its steps, from the commune\'s events');
  assert.equal(r.json.steps[0].action, 'receive');
  const wrong = String((Number(last4) + 1) % 10000).padStart(4, '0');
  expectError(await anon.get(`/api/v1/public/lookup?code=${encodeURIComponent(code)}&phone=${wrong}`), 404, 'lookup.no_match', 'wrong digits');
  expectError(await anon.get(`/api/v1/public/lookup?code=000.31.45.H45-991231-9999&phone=${last4}`), 404, 'lookup.no_match', 'unknown code');
  // Ratings belong in the commune's own log: the hub does not take them.
  const [done, d4] = sql(node, "select code || '|' || substr(phone, -4) from dossier where agency = '000.31.45.H45' and status = 'returned' order by code limit 1").split('|');
  expectError(await anon.post('/api/v1/public/ratings', { code: done, phone: d4, level: 3 }), 404, 'rating.unavailable', 'a rating on the hub');
});

test('a procedure list published to the communes: refused as a commune would refuse it, applied once', async () => {
  const P = '/api/v1/hub/publish/catalog';
  const csv = (rows) => 'code,enabled,fee,source\n' + rows.join('\n') + '\n';
  const send = (who, body, q = '') => who.post(P + q, body, { headers: { 'Content-Type': 'text/csv' } });
  const before0 = snapshot();
  const ownList = sql(hub, 'select count(*), coalesce(max(updated_at), 0) from procedure_local');
  expectError(await send(client(hub), csv(['2.000815,1,12000,QĐ'])), 401, 'auth.required', 'anonymous');
  expectError(await send(as.reception, csv(['2.000815,1,12000,QĐ'])), 403, 'auth.role', 'reception');
  expectError(await send(as.supervisor, csv(['2.000815,1,12000,QĐ'])), 403, 'auth.role', 'supervisor');
  for (const [what, body] of [['unknown procedure', csv(['9.999999,1,1000,QĐ'])], ['no rows', 'code,enabled,source\n'],
    ['no header', ''], ['bad fee', csv(['2.000815,1,mười nghìn,QĐ'])], ['no source', 'code,enabled\n2.000815,1\n'],
    ['invalid UTF-8', new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xc3, 0x28])]]) {
    const r = await send(as.admin, body);
    assert.equal(r.status, 400, `${what}: ${r.text.slice(0, 200)}`);
  }
  expectError(await send(as.admin, csv(['2.000815,1,12000,QĐ']), '?to=,'), 400, 'request.bad_field', 'to naming no commune');
  assert.equal(snapshot(), before0, 'nothing published, nothing changed');
  const ok1 = await send(as.admin, csv(['2.000815,1,12000,QĐ tỉnh 1']), '?source=QĐ%20t%E1%BB%89nh%201');
  assert.equal(ok1.status, 201, ok1.text);
  assert.equal(ok1.json.stream, 'catalog');
  assert.deepEqual(ok1.json.to, ['*']);
  // The hub's own list is untouched by the check.
  assert.equal(sql(hub, 'select count(*), coalesce(max(updated_at), 0) from procedure_local'), ownList);
  const { stdout } = await run(BIN, ['sync', 'now', '--dir', node.data]);
  assert.match(stdout, /items from the province applied/);
  assert.equal(Number(sql(node, "select count(*) from sync_item where stream = 'catalog'")), 1);
  assert.equal(sql(node, "select fee || '|' || updated_by from procedure_local where code = '2.000815' and agency = '000.31.45.H45'"), '12000|hub');
  // Applied once: a second round takes nothing more.
  const seq = sql(node, 'select max(seq) from event');
  await run(BIN, ['sync', 'now', '--dir', node.data]);
  assert.equal(Number(sql(node, "select count(*) from event where kind = 'procedure.local' and actor = 'hub'")), 1);
  assert.ok(Number(sql(node, 'select max(seq) from event')) >= Number(seq));
});
