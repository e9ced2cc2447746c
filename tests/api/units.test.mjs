// units.test.mjs - units (đơn vị) and attachments of office records
// (issue 14; src/app/units.c, src/app/attach.c) over real HTTP: who may
// read and change units, an officer's unit, the attachment upload's checks
// (type by its bytes, size, names), and bad input that changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, stopNode, login, client, eventCount } from './harness.mjs';
import { png, pdf } from './scans.mjs';

let node;
before(async () => { node = await startNode(); });
after(async () => { if (node) await stopNode(node); });

const raw = (c, path, bytes, type = 'application/octet-stream') =>
  c.req('POST', path, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), { headers: { 'Content-Type': type } });

test('every officer reads the units: the commune\'s offices first, then the province\'s departments; nobody unsigned', async () => {
  for (const u of ['tiepnhan', 'chuyenvien', 'lanhdao', 'quantri', 'giamsat']) {
    const r = await (await login(node, u)).get('/api/v1/units');
    assert.equal(r.status, 200, r.text);
    const scopes = r.json.units.map((x) => x.scope);
    assert.ok(scopes.includes('node') && scopes.includes('province'));
    assert.deepEqual([...scopes].sort((a, b) => (a === 'node' ? 0 : 1) - (b === 'node' ? 0 : 1)), scopes, 'offices first');
    assert.ok(r.json.units.some((x) => x.code === 'SNV' && x.name === 'Sở Nội vụ'));
  }
  const anon = await client(node).get('/api/v1/units');
  assert.equal(anon.status, 401);
});

test('the demo officers carry their unit in the session, the staff directory and the accounts', async () => {
  const l = await login(node, 'lanhdao');
  assert.equal(l.user.unit, 'VP');
  const staff = await l.get('/api/v1/staff');
  assert.equal(staff.json.items.find((x) => x.login === 'chuyenvien').unit, 'KT');
  const users = await (await login(node, 'quantri')).get('/api/v1/users');
  assert.equal(users.json.items.find((x) => x.login === 'tiepnhan').unit, 'PVHCC');
  assert.equal(users.json.items.find((x) => x.login === 'giamsat').unit, '');
});

test('an administrator adds, renames and retires a unit; a retired one takes no officer; others may not', async () => {
  const adm = await login(node, 'quantri');
  let r = await adm.req('PUT', '/api/v1/units/TP', { name: 'Phòng Tư pháp - Hộ tịch', abbr: 'TP', scope: 'node' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { code: 'TP', name: 'Phòng Tư pháp - Hộ tịch', abbr: 'TP', scope: 'node', active: true });
  r = await adm.req('PUT', '/api/v1/units/TP', { name: 'Bộ phận Tư pháp' });
  assert.equal(r.json.name, 'Bộ phận Tư pháp');
  assert.equal(r.json.abbr, 'TP', 'a field left out keeps its value');
  r = await adm.patch('/api/v1/users/chuyenvien', { unit: 'TP' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unit, 'TP');
  r = await adm.req('PUT', '/api/v1/units/TP', { active: false });
  assert.equal(r.json.active, false);
  const before = eventCount(node);
  r = await adm.patch('/api/v1/users/tiepnhan', { unit: 'TP' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unit.unknown');
  r = await adm.patch('/api/v1/users/tiepnhan', { unit: 'KHONGCO' });
  assert.equal(r.json.error.code, 'unit.unknown');
  r = await adm.post('/api/v1/users', { login: 'moi', name: 'Cán bộ mới', role: 'specialist', password: 'mat-khau-dai', unit: 'KHONGCO' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unit.unknown');
  assert.equal(eventCount(node), before, 'nothing written');
  assert.equal((await adm.get('/api/v1/users')).json.items.some((x) => x.login === 'moi'), false);
  r = await adm.post('/api/v1/users', { login: 'moi2', name: 'Cán bộ mới', role: 'specialist', password: 'mat-khau-dai', unit: 'VHXH' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.unit, 'VHXH');
  r = await adm.patch('/api/v1/users/chuyenvien', { unit: 'KT' });
  assert.equal(r.json.unit, 'KT');

  for (const u of ['tiepnhan', 'chuyenvien', 'lanhdao', 'giamsat']) {
    const x = await (await login(node, u)).req('PUT', '/api/v1/units/XX', { name: 'X', abbr: 'X', scope: 'node' });
    assert.equal(x.status, 403, u);
  }
});

test('bad unit input gets a clear 400 and changes nothing', async () => {
  const adm = await login(node, 'quantri');
  const before = eventCount(node);
  const cases = [
    ['/api/v1/units/kt', { name: 'x', abbr: 'x', scope: 'node' }, 'unit.bad_field'],
    ['/api/v1/units/NEW', { name: 'Thiếu phạm vi', abbr: 'N' }, 'unit.bad_field'],
    ['/api/v1/units/NEW', { name: 'x', abbr: 'x', scope: 'city' }, 'unit.bad_field'],
    ['/api/v1/units/NEW', { name: 'x', abbr: 'x', scope: 'node', active: 'yes' }, 'unit.bad_field'],
    ['/api/v1/units/NEW', { name: 42, abbr: 'x', scope: 'node' }, 'unit.bad_field'],
    ['/api/v1/units/NEW', { name: 'x', abbr: 'x', scope: 'node', drop: 'table' }, 'request.unknown_field'],
    ['/api/v1/units/NEW', { name: "x'); DROP TABLE unit;--\u202e", abbr: 'x', scope: 'node' }, 'text.format_char'],
    ['/api/v1/units/NEW', { name: 'x'.repeat(201), abbr: 'x', scope: 'node' }, 'text.too_long'],
  ];
  for (const [path, body, code] of cases) {
    const r = await adm.req('PUT', path, body);
    assert.ok(r.status === 400 || r.status === 404, `${path} ${JSON.stringify(body)}: ${r.status}`);
    if (r.status === 400) assert.equal(r.json.error.code, code, JSON.stringify(body));
  }
  const bad = await adm.req('PUT', '/api/v1/units/NEW', '{"name": "x", ', { headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 400);
  const utf = await adm.req('PUT', '/api/v1/units/NEW', Buffer.from('{"name":"\xff\xfe","abbr":"x","scope":"node"}', 'latin1'),
    { headers: { 'Content-Type': 'application/json' } });
  assert.equal(utf.status, 400);
  assert.equal(eventCount(node), before, 'nothing written');
  assert.equal((await adm.get('/api/v1/units')).json.units.some((u) => u.code === 'NEW'), false);
});

test('attachments: any officer uploads a PDF or an image, once by content; its bytes come back; the checks refuse the rest', async () => {
  const sp = await login(node, 'chuyenvien');
  const bytes = pdf(2);
  let r = await raw(sp, '/api/v1/attachments?filename=' + encodeURIComponent('Báo cáo tiến độ.pdf'), bytes, 'application/pdf');
  assert.equal(r.status, 201, r.text);
  const rec = r.json;
  assert.equal(rec.mime, 'application/pdf');
  assert.equal(rec.pages, 2);
  assert.equal(rec.filename, 'Báo cáo tiến độ.pdf');
  assert.equal(rec.size, bytes.length);
  const events = eventCount(node);
  r = await raw(await login(node, 'tiepnhan'), '/api/v1/attachments?filename=again.pdf', bytes);
  assert.equal(r.status, 201);
  assert.equal(r.json.sha256, rec.sha256);
  assert.equal(r.json.filename, 'Báo cáo tiến độ.pdf', 'the same bytes answer the first record');
  assert.equal(eventCount(node), events, 'and log nothing new');
  const res = await fetch(`${node.base}/api/v1/attachments/${rec.sha256}`, { headers: { Cookie: sp.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
  assert.equal((await fetch(`${node.base}/api/v1/attachments/${rec.sha256}`)).status, 401, 'unsigned');
  const img = png(300, 200, 3);
  r = await raw(sp, '/api/v1/attachments', img, 'image/png');
  assert.equal(r.status, 201);
  assert.equal(r.json.mime, 'image/png');
  assert.equal(r.json.filename, '');

  const before = eventCount(node);
  const refusals = [
    [Buffer.from('not a pdf at all, just text'), 'application/octet-stream', '', 415],
    [Buffer.alloc(0), 'application/octet-stream', '', 400],
    [pdf(1).subarray(0, 200), 'application/pdf', '', 422],
    [img, 'text/plain', '', 415],
    [img, 'application/json', '', 415],
    [img, 'application/octet-stream', '?filename=' + encodeURIComponent('a\u0007b.png'), 400],
    [img, 'application/octet-stream', '?filename=%FF%FE', 400],
    [img, 'application/octet-stream', '?filename=' + 'x'.repeat(300), 400],
  ];
  for (const [b, type, q, status] of refusals) {
    const x = await raw(sp, '/api/v1/attachments' + q, b, type);
    assert.equal(x.status, status, `${type} ${q} ${b.length} bytes: ${x.text}`);
  }
  const unsigned = await raw(client(node), '/api/v1/attachments', img, 'image/png');
  assert.equal(unsigned.status, 401);
  assert.equal(eventCount(node), before, 'nothing written');
  const missing = await sp.get(`/api/v1/attachments/${'b'.repeat(64)}`);
  assert.equal(missing.status, 404);
  const badsha = await sp.get('/api/v1/attachments/..%2F..%2Fmotcua.db');
  assert.ok(badsha.status === 404 || badsha.status === 400, `path trick: ${badsha.status}`);
});

test('an attachment over 20 MiB is refused 413 before it is kept', async () => {
  const sp = await login(node, 'chuyenvien');
  const before = eventCount(node);
  const big = new Uint8Array((20 << 20) + 1);
  big.set(pdf(1).subarray(0, 8));
  const r = await raw(sp, '/api/v1/attachments', big, 'application/pdf');
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'request.too_large');
  assert.equal(eventCount(node), before);
});
