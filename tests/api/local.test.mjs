// local.test.mjs - the commune's own procedure list (issue 10; docs/overlay.md):
// every enabled procedure of the demo commune can be received, a disabled or
// unlisted one cannot, the commune's time decides the due date, the shipped
// times each carry their source, CSV import/export, per-step due times, and
// the attacks on the new endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startNode, stopNode, login, client, applicant, ROOT } from './harness.mjs';

let node, admin, recep, spec;
const L = '/api/v1/local-procedures';
const put = (c, code, body, extra) => c.req('PUT', `${L}/${encodeURIComponent(code)}`, body, extra);
const csv = { headers: { 'Content-Type': 'text/csv' } };
const receive = (c, procedure, over = {}) =>
  c.post('/api/v1/dossiers', { procedure, channel: 'direct', applicant: applicant('Trần Thị Danh Mục'), ...over });

// The shipped file, read as the product reads it (header, quoted cells).
function shipped() {
  const text = readFileSync(join(ROOT, 'data/catalog/commune-times.csv'), 'utf8');
  const rows = [];
  for (const line of text.split(/\r?\n/).slice(1).filter(Boolean)) {
    const cells = [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
    rows.push({ code: cells[0], unit: cells[3], source: cells[8] });
  }
  return rows;
}

before(async () => {
  node = await startNode();
  admin = await login(node, 'quantri');
  recep = await login(node, 'tiepnhan');
  spec = await login(node, 'chuyenvien');
});
after(() => stopNode(node));

test('every procedure the demo commune enabled can be received', async () => {
  const r = await admin.get(L);
  assert.equal(r.status, 200);
  const enabled = r.json.items.filter((x) => x.enabled === true);
  assert.ok(enabled.length >= 10, `the demo enables its everyday procedures (${enabled.length})`);
  for (const p of enabled) {
    const d = await receive(recep, p.code);
    assert.equal(d.status, 201, `${p.code} ${p.name}: ${d.text}`);
    assert.ok(d.json.due_at, `${p.code} has an appointment`);
  }
});

test('the shipped times each carry their source, and are the effective times', async () => {
  const items = new Map((await admin.get(L)).json.items.map((x) => [x.code, x]));
  const rows = shipped();
  assert.ok(rows.length >= 5);
  for (const row of rows) {
    assert.ok(row.source.length > 10, `${row.code} has a source`);
    const it = items.get(row.code);
    assert.ok(it, `${row.code} is on the list`);
    assert.equal(it.times.direct.unit, row.unit, `${row.code} keeps the shipped unit`);
    const p = await recep.get('/api/v1/procedures/' + row.code);
    assert.equal(p.json.local.code, row.code);
    const ch = p.json.channels.find((c) => c.channel === 'direct');
    if (ch) assert.equal(ch.unit, row.unit, `${row.code}: the procedure shows the effective unit`);
  }
  // The version-1 entry of a shipped code carried the shipped source.
  const first = execFileSync('sqlite3', [join(node.data, 'motcua.db'),
    "select payload from event where kind = 'procedure.local' and payload like '%\"code\":\"2.000815\"%' order by seq limit 1"], { encoding: 'utf8' });
  assert.equal(JSON.parse(first).source, rows.find((x) => x.code === '2.000815').source);
});

test('the review list names the procedures with no time, none of them receivable', async () => {
  const r = await admin.get(L);
  const noTime = r.json.review.filter((x) => x.no_time);
  assert.ok(noTime.some((x) => x.code === '2.001019'), 'chứng thực di chúc: no source settles its time');
  assert.ok(!r.json.review.some((x) => x.code === '2.000815'), 'a shipped time leaves the list');
  for (const x of noTime.slice(0, 5)) {
    const d = await receive(recep, x.code);
    assert.equal(d.status, x.listed ? 400 : 409, `${x.code}: ${d.text}`);
    assert.equal(d.json.error.code, x.listed ? 'procedure.no_time' : 'procedure.disabled');
  }
});

test('a disabled procedure cannot be received and leaves the picker', async () => {
  const before = (await admin.get(L)).json.items.find((x) => x.code === '2.000884');
  const body = { ...before, enabled: false, source: 'Quyết định 99/QĐ-UBND ngày 02/01/2026' };
  for (const k of ['agency', 'code', 'version', 'name']) delete body[k];
  const r = await put(admin, '2.000884', body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, before.version + 1);
  assert.equal(r.json.enabled, false);
  const d = await receive(recep, '2.000884');
  assert.equal(d.status, 409);
  assert.equal(d.json.error.code, 'procedure.disabled');
  const pick = await recep.get('/api/v1/reception/procedures?q=' + encodeURIComponent('chung thuc chu ky'));
  assert.equal(pick.status, 200);
  assert.ok(!pick.json.items.some((x) => x.code === '2.000884'));
  // The event carries the whole entry, as the answer gave it.
  const ev = execFileSync('sqlite3', [join(node.data, 'motcua.db'),
    "select payload from event where kind = 'procedure.local' order by seq desc limit 1"], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(ev), r.json);
  // Saying the same again makes no new version.
  const again = await put(admin, '2.000884', body);
  assert.equal(again.json.version, r.json.version);
  body.enabled = true;
  assert.equal((await put(admin, '2.000884', body)).status, 200);
  assert.equal((await receive(recep, '2.000884')).status, 201);
});

test("the commune's time decides the due date", async () => {
  const r = await put(admin, '1.001193', {
    enabled: true, times: { direct: { time: 2, unit: 'working_days' } }, fee: 0, handling_unit: 'Công chức Tư pháp - Hộ tịch',
    steps: [{ name: 'Tiếp nhận', kind: 'reception', share: 10 }, { name: 'Xử lý', kind: 'specialist', share: 70 }, { name: 'Ký', kind: 'leader', share: 20 }],
    source: 'Quyết định 1234/QĐ-UBND ngày 01/07/2025',
  });
  assert.equal(r.status, 200, r.text);
  const d = await receive(recep, '1.001193');
  assert.equal(d.status, 201);
  assert.deepEqual(d.json.processing_time, { amount: 2, unit: 'working_days', unit_guessed: false });
  const at = d.json.received_at.slice(0, 16);
  const due = await recep.get(`/api/v1/calendar/due?at=${encodeURIComponent(at)}&time=2&unit=working_days`);
  assert.equal(d.json.due_at.slice(0, 16), due.json.due.slice(0, 16));
  // Its steps, each with its own due time, the last at the legal due time.
  const g = await recep.get('/api/v1/dossiers/' + encodeURIComponent(d.json.code));
  const steps = g.json.steps;
  assert.deepEqual(steps.map((s) => s.kind), ['reception', 'specialist', 'leader']);
  assert.equal(steps[2].due_at, g.json.due_legal);
  for (let i = 1; i < steps.length; i++) assert.ok(Date.parse(steps[i].due_at) >= Date.parse(steps[i - 1].due_at));
  assert.equal(steps[0].done_at, g.json.received_at, 'reception ends when the dossier is received');
  assert.ok(steps[0].timeliness, 'a finished step has its verdict');
  assert.equal(steps[1].done_at, null);
});

test('the picker lists the most received procedures first', async () => {
  const r = await recep.get('/api/v1/reception/procedures?limit=500');
  assert.equal(r.status, 200);
  const n = r.json.items.map((x) => x.received);
  assert.ok(n.length > 5);
  for (let i = 1; i < n.length; i++) assert.ok(n[i] <= n[i - 1], 'by count, most first');
  const enabled = (await admin.get(L)).json.items.filter((x) => x.enabled === true).map((x) => x.code);
  for (const it of r.json.items) assert.ok(enabled.includes(it.code), `${it.code} is enabled here`);
  assert.equal((await spec.get('/api/v1/reception/procedures')).status, 403);
});

test('CSV import enables, sets times and is all or nothing; export reads back unchanged', async () => {
  const file = 'code,enabled,direct_time,direct_unit,fee,handling_unit,steps,source\r\n'
    + '2.001019,1,2,working_days,50.000,Công chức Tư pháp - Hộ tịch,"Tiếp nhận:reception:10|Xử lý, ký:leader:90","Quyết định 77/QĐ-UBND ngày 05/01/2026"\r\n'
    + '2.001016,0,,,,,,"Quyết định 77/QĐ-UBND ngày 05/01/2026"\r\n';
  const r = await admin.post(`${L}/import`, file, csv);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { total: 2, changed: 2, unchanged: 0 });
  const d = await receive(recep, '2.001019');
  assert.equal(d.status, 201, d.text);
  assert.equal((await receive(recep, '2.001016')).status, 409);
  const e = await admin.get(`${L}/export`);
  assert.equal(e.status, 200);
  assert.match(e.json.csv, /^code,name,enabled,direct_time/);
  assert.match(e.json.csv, /2\.001019,.*,1,2,working_days,/);
  const back = await admin.post(`${L}/import`, e.json.csv, csv);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.changed, 0, 'the export is what is stored');
  // One bad row: nothing of the file is kept.
  const v = (await admin.get(L)).json.items.find((x) => x.code === '2.001019').version;
  const bad = 'code,fee,source\n2.001019,1000,Quyết định 78\n2.001406,abc,Quyết định 78\n';
  const b = await admin.post(`${L}/import`, bad, csv);
  assert.equal(b.status, 400);
  assert.equal(b.json.error.code, 'local.bad_csv');
  assert.match(b.json.error.message, /3/);
  assert.equal((await admin.get(L)).json.items.find((x) => x.code === '2.001019').version, v);
});

test('malformed CSV, bad fields, SQL and invalid UTF-8 are refused or kept as text', async () => {
  const cases = [
    ['unclosed quote', 'code,source\n2.001019,"Quyết định\n', 400, 'local.bad_csv'],
    ['unknown column', 'code,source,evil\n2.001019,x,y\n', 400, 'local.bad_csv'],
    ['no source column', 'code,fee\n2.001019,1\n', 400, 'local.bad_csv'],
    ['cells ≠ header', 'code,source\n2.001019,a,b\n', 400, 'local.bad_csv'],
    ['no rows', 'code,source\n', 400, 'local.bad_csv'],
    ['unknown code', 'code,source\n9.999999,Quyết định 1\n', 400, 'local.bad_csv'],
    ['bad unit', 'code,direct_time,direct_unit,source\n2.001019,2,fortnights,QĐ 1\n', 400, 'local.bad_field'],
    ['shares ≠ 100', 'code,steps,source\n2.001019,A:reception:10|B:leader:10,QĐ 1\n', 400, 'local.bad_field'],
    ['empty source', 'code,source\n2.001019,\n', 400, 'local.bad_field'],
  ];
  for (const [name, body, status, code] of cases) {
    const r = await admin.post(`${L}/import`, body, csv);
    assert.equal(r.status, status, `${name}: ${r.text}`);
    assert.equal(r.json.error.code, code, name);
  }
  const bytes = new Uint8Array([...Buffer.from('code,source\n2.001019,'), 0xc3, 0x28, 0x0a]);
  const u = await admin.post(`${L}/import`, bytes, csv);
  assert.equal(u.status, 400);
  assert.equal((await put(admin, '2.001019', { source: 'x', steps: [{ name: 'a', kind: 'boss', share: 100 }] })).status, 400);
  assert.equal((await put(admin, '2.001019', { source: 'x', fee: -1 })).status, 400);
  assert.equal((await put(admin, '2.001019', { source: 'x', times: { direct: { time: 0, unit: 'working_days' } } })).status, 400);
  assert.equal((await put(admin, '2.001019', { source: 'x', colour: 'red' })).status, 400);
  assert.equal((await put(admin, '9.999999', { source: 'x' })).status, 404);
  const sql = "Quyết định 1'); DROP TABLE procedure_local; --";
  const s = await put(admin, '2.001019', { enabled: true, times: { direct: { unit: 'same_day' } }, handling_unit: "x' OR '1'='1", source: sql });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.source, sql);
  assert.equal((await admin.get(L)).json.items.find((x) => x.code === '2.001019').source, sql);
});

test('the new endpoints refuse strangers, other roles and huge bodies', async () => {
  const anon = client(node);
  const routes = [['GET', L], ['GET', `${L}/export`], ['POST', `${L}/import`, 'code,source\n'], ['PUT', `${L}/2.000815`, { source: 'x' }], ['GET', '/api/v1/reception/procedures']];
  for (const [m, p, b] of routes) {
    const r = await anon.req(m, p, b, typeof b === 'string' ? csv : {});
    assert.equal(r.status, 401, `${m} ${p} without sign-in`);
  }
  for (const [m, p, b] of routes.slice(0, 4)) {
    const r = await recep.req(m, p, b, typeof b === 'string' ? csv : {});
    assert.equal(r.status, 403, `${m} ${p} as reception`);
  }
  const huge = 'code,source\n' + '2.001019,x\n'.repeat(17 * 1024 * 1024 / 11);
  assert.equal((await admin.post(`${L}/import`, huge, csv)).status, 413);
  const big = await put(admin, '2.001019', { source: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(big.status, 413);
  const long = await put(admin, '2.001019', { source: 'x'.repeat(600) });
  assert.equal(long.status, 400);
});
