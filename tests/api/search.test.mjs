// search.test.mjs - full-text search (issue 12), GET /api/v1/search over
// HTTP: who may search, words found whatever their case and diacritics (đ =
// d, NFC or NFD), the snippet's segments with the text as written, hostile
// or oversized q answered 200 or 400 and never 500, a dossier found right
// after its reception and its result number once recorded.
//
// A demo node with its clock pinned at Wednesday 2026-03-04 09:00.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, stopNode, login, client, newDossier, applicant } from './harness.mjs';

const NOW = '2026-03-04 09:00';
const D = '/api/v1/dossiers';
const S = '/api/v1/search';
const enc = encodeURIComponent;
const ROLES = { reception: 'tiepnhan', specialist: 'chuyenvien', leader: 'lanhdao', admin: 'quantri', supervisor: 'giamsat' };

let node;
let trang; // the dossier received in before()

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

const search = async (c, q, extra = '') => ok(await c.get(`${S}?q=${enc(q)}${extra}`), 200, `search '${q}'`);
const codes = (page) => page.items.map((i) => i.code);
const joined = (parts) => parts.map((p) => p.text).join('');
const hits = (parts) => parts.filter((p) => p.hit).map((p) => p.text);

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  const rec = await login(node, 'tiepnhan');
  trang = ok(await rec.post(D, newDossier({
    applicant: { ...applicant('Đặng Thị Huyền Trâm'), address: 'Thôn Đồng Tâm, xã Kim Bôi' },
    summary: 'Xin cấp bản trích lục khai sinh cho con',
  })), 201, 'receive');
});

after(async () => {
  if (node) await stopNode(node);
});

test('signing in is required', async () => {
  const r = await client(node).get(`${S}?q=nguyen`);
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'auth.required');
});

test('every officer role may search', async () => {
  for (const [role, who] of Object.entries(ROLES)) {
    const c = await login(node, who);
    const p = await search(c, 'nguyen');
    assert.ok(p.total > 0, `${role}: the demo has Nguyễn applicants`);
    assert.ok(p.items.length > 0 && p.items.length <= 20, `${role}: a page of the default size`);
    assert.equal(p.limit, 20);
    assert.equal(p.offset, 0);
  }
});

test('a dossier is found right after its reception, whatever the case and the diacritics', async () => {
  const c = await login(node, 'chuyenvien');
  const nfd = 'Đặng Thị Huyền'.normalize('NFD');
  assert.notEqual(nfd, 'Đặng Thị Huyền', 'the query really is decomposed');
  for (const q of ['dang thi huyen', 'Đặng Thị Huyền', 'ĐẶNG TRÂM', 'dang tram', 'DANG HUY', nfd, 'huyen tram dang']) {
    const p = await search(c, q);
    assert.deepEqual(codes(p), [trang.code], `'${q}'`);
    assert.equal(p.total, 1);
    const it = p.items[0];
    assert.equal(it.kind, 'dossier');
    assert.equal(it.ref, trang.code);
    assert.equal(it.status, 'received');
    assert.equal(it.procedure, trang.procedure);
    assert.equal(it.received_at, '2026-03-04T09:00:00+07:00');
    assert.equal(it.title, 'Đặng Thị Huyền Trâm');
    assert.equal(joined(it.title_parts), 'Đặng Thị Huyền Trâm', 'the title as written');
  }
  const p = await search(c, 'dang thi huyen');
  assert.deepEqual(hits(p.items[0].title_parts), ['Đặng', 'Thị', 'Huyền'], 'whole words marked, with their diacritics');
  assert.deepEqual(codes(await search(c, 'dang thi huyen xyzzy')), [], 'every word must match');
});

test('the snippet shows the matched words of the body as written', async () => {
  const c = await login(node, 'lanhdao');
  const p = await search(c, 'trich luc tram');
  assert.deepEqual(codes(p), [trang.code]);
  const sn = p.items[0].snippet;
  assert.ok(Array.isArray(sn) && sn.length > 1);
  for (const s of sn) assert.deepEqual(Object.keys(s).sort(), ['hit', 'text']);
  assert.deepEqual(hits(sn), ['trích', 'lục']);
  assert.match(joined(sn), /Xin cấp bản trích lục khai sinh cho con/);
  assert.deepEqual(hits(p.items[0].title_parts), ['Trâm']);
  // the address, the code, the id number and the phone are searched too
  for (const q of ['dong tam kim boi', trang.code, trang.code.slice(-11), '025090001234', '0912345678']) {
    assert.ok(codes(await search(c, q, '&limit=100')).includes(trang.code), `'${q}'`);
  }
});

test('applicant text comes back as text, never markup', async () => {
  const rec = await login(node, 'tiepnhan');
  const d = ok(await rec.post(D, newDossier({
    applicant: applicant('Lò Văn <b>Mạnh</b>'), summary: 'Đề nghị <script>alert(1)</script> xác nhận',
  })), 201, 'receive');
  const p = await search(rec, 'manh script');
  assert.deepEqual(codes(p), [d.code]);
  assert.equal(p.items[0].title, 'Lò Văn <b>Mạnh</b>');
  assert.deepEqual(hits(p.items[0].title_parts), ['Mạnh']);
  assert.ok(p.items[0].snippet.some((s) => s.hit && s.text === 'script'));
  assert.ok(!JSON.stringify(p).includes('<mark>'), 'no markup of ours either');
});

test('hostile queries are words, never syntax: 200 or 400, never 500', async () => {
  const c = await login(node, 'quantri');
  const qs = ['"', '""', '"nguyen', 'NEAR(nguyen van', 'NEAR(a b, 2)', 'nguyen OR', 'a OR', 'OR', 'AND', 'NOT',
    '*', 'nguyen*', '-x', '-nguyen', 'title:x', 'body:nguyen', '{title body}: x', '^nguyen', 'nguyen + van',
    "' OR 1=1 --", "'); DROP TABLE dossier; --", '\\', '%', '_', '()', '(nguyen', 'nguyen)', ':', '::',
    '\u0000', '\u202e', '\u00a0', 'x'.repeat(200), 'a '.repeat(32).trim(), '\u0301\u0302', '🙂 nguyễn', '\t\n'];
  for (const q of qs) {
    const r = await c.get(`${S}?q=${enc(q)}`);
    assert.ok(r.status === 200 || r.status === 400, `'${q}': ${r.status} ${r.text.slice(0, 200)}`);
    if (r.status === 400) assert.ok(['search.bad_query', 'request.bad_text'].includes(r.json.error.code), `'${q}': ${r.json.error.code}`);
  }
  assert.deepEqual(codes(await search(c, '"')), [], 'punctuation alone finds nothing');
  assert.ok((await search(c, '"nguyen')).total > 0, 'a quote is not syntax');
  assert.ok((await search(c, 'NEAR(nguyen')).total === 0, 'near is a word');
  assert.equal((await search(c, '-nguyen')).total, (await search(c, 'nguyen')).total, 'a minus is no NOT');
});

test('empty, blank, oversized, not UTF-8, too many words, bad paging: 400 with a stable code', async () => {
  const c = await login(node, 'tiepnhan');
  const bad = [`${S}`, `${S}?q=`, `${S}?q=%20%20`, `${S}?q=${'x'.repeat(201)}`, `${S}?q=${enc('ệ'.repeat(67))}`,
    `${S}?q=${enc('a '.repeat(33))}`];
  for (const p of bad) {
    const r = await c.get(p);
    assert.equal(r.status, 400, `${p.slice(0, 60)}: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.error.code, 'search.bad_query', p.slice(0, 60));
    assert.ok(r.json.error.message, 'a message');
  }
  const r = await c.get(`${S}?q=%FF%FE`);
  assert.equal(r.status, 400, 'not UTF-8');
  for (const p of ['limit=0', 'limit=101', 'limit=x', 'offset=-1', 'offset=10001']) {
    const x = await c.get(`${S}?q=nguyen&${p}`);
    assert.equal(x.status, 400, p);
  }
  const exactly = await c.get(`${S}?q=${'x'.repeat(200)}`);
  assert.equal(exactly.status, 200, '200 bytes are taken');
});

test('pages: total, limit and offset', async () => {
  const c = await login(node, 'tiepnhan');
  const all = await search(c, 'nguyen', '&limit=100');
  assert.ok(all.total > 3);
  const p1 = await search(c, 'nguyen', '&limit=2');
  const p2 = await search(c, 'nguyen', '&limit=2&offset=2');
  assert.equal(p1.total, all.total);
  assert.deepEqual([...codes(p1), ...codes(p2)], codes(all).slice(0, 4), 'pages follow one order');
  const beyond = await search(c, 'nguyen', `&offset=${all.total}`);
  assert.deepEqual(beyond.items, []);
  assert.equal(beyond.total, all.total);
});

test('the index follows a change: the result number is found once recorded', async () => {
  const admin = await login(node, 'quantri');
  const d = ok(await admin.post(D, newDossier({ applicant: applicant('Hà Thị Quỳnh') })), 201, 'receive');
  ok(await admin.post(`${D}/${enc(d.code)}/actions`, { action: 'assign', to: 'chuyenvien' }), 200, 'assign');
  const cv = await login(node, 'chuyenvien');
  ok(await cv.post(`${D}/${enc(d.code)}/actions`, { action: 'submit_approval', comment: 'Trình ký' }), 200, 'submit');
  assert.deepEqual(codes(await search(cv, '987 qd ubnd')), [], 'not yet');
  const ld = await login(node, 'lanhdao');
  ok(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_number: '987/QĐ-UBND', result_date: '2026-03-04' }), 200, 'approve');
  const p = await search(cv, '987 qd ubnd');
  assert.deepEqual(codes(p), [d.code]);
  assert.equal(p.items[0].status, 'result_ready', 'the state as it is now');
  assert.deepEqual(hits(p.items[0].snippet), ['987', 'QĐ', 'UBND']);
  assert.ok(codes(await search(cv, 'quynh')).includes(d.code), 'the name still found');
});
