// documents.test.mjs - the official document registers (issue 14,
// docs/documents.md) over real HTTP: the incoming register's arrival
// numbers and the outgoing register's numbers per year and type under 4
// concurrent writers (no gap, no duplicate), the yearly restart, numbers
// typed by hand (a reused one: 409 and nothing written), assignment with
// a deadline counted in working time, marking done, confidential
// excerpts, search without diacritics, filters and pages, the books as
// .xlsx (read back with openpyxl) and PDF (pdftotext), and the refusals:
// unknown unit or officer, a deadline before the registration, a huge
// attachment, wrong roles, no sign-in, malformed or hostile bodies.
//
// The node's clock is pinned at Monday 2026-03-02 08:00 (office hours
// 07:00-11:30, 13:30-17:00), then at Monday 2027-01-04 08:00 for the new
// year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, startNode, startServer, stopServer, stopNode, login, client, motcua, eventCount, PASSWORD,
} from './harness.mjs';
import { pdf as scanPdf } from './scans.mjs';

const NOW = '2026-03-02 08:00';
let node;
const as = {};

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}
function refused(res, status, code, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  if (code) assert.equal(res.json.error.code, code, `${what}: ${res.text.slice(0, 300)}`);
}
const incoming = (over = {}) => ({
  issuer: 'UBND tỉnh Phú Thọ', symbol: '1234/UBND-KGVX', doc_date: '2026-02-27', type: 'cong_van',
  excerpt: 'V/v rà soát nhiệm vụ chính trị năm 2026', ...over,
});
const outgoing = (over = {}) => ({
  type: 'quyet_dinh', excerpt: 'Về việc thành lập Tổ công tác chuyển đổi số', unit: 'VP',
  signer: { name: 'Hoàng Văn Dũng', title: 'Chủ tịch' }, recipients: ['Như Điều 3', 'Lưu: VT, VP'], ...over,
});

async function signInAll() {
  for (const u of ['tiepnhan', 'chuyenvien', 'chuyenvien2', 'lanhdao', 'quantri', 'giamsat']) as[u] = await login(node, u);
}

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  motcua(['user', 'add', 'chuyenvien2', '--role', 'specialist', '--name', 'Đỗ Thị Hạnh', '--dir', node.data],
    { env: { ...process.env, MOTCUA_TEST_NOW: NOW }, input: PASSWORD + '\n' });
  await signInAll();
});
after(async () => { if (node) await stopNode(node); });

test('the types of Decree 30 Appendix III with their abbreviations, the marks', async () => {
  const t = ok(await as.giamsat.get('/api/v1/documents/types'), 200, 'types');
  assert.equal(t.types.length, 29);
  const abbr = Object.fromEntries(t.types.map((x) => [x.code, x.abbr]));
  assert.equal(abbr.quyet_dinh, 'QĐ');
  assert.equal(abbr.quy_dinh, 'QyĐ');
  assert.equal(abbr.cong_van, '');
  assert.equal(abbr.to_trinh, 'TTr');
  assert.deepEqual(t.urgencies.map((u) => u.label), ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc']);
  assert.deepEqual(t.secrecies.map((u) => u.code), ['thuong', 'mat', 'toi_mat', 'tuyet_mat']);
  assert.equal(t.issuer_abbr, 'UBND');
});

test('an incoming document: arrival number, assignment with a deadline in working time, one event', async () => {
  const events = eventCount(node);
  const d = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({
    urgency: 'khan', assignee: 'chuyenvien', unit: 'KT', due_in: { time: 5, unit: 'working_days' },
    note: 'Bản chính lưu văn thư',
  })), 201, 'register');
  assert.equal(d.number, 1);
  assert.equal(d.id, '2026-1');
  assert.equal(d.year, 2026);
  assert.equal(d.received_at, '2026-03-02T08:00:00+07:00');
  assert.equal(d.state, 'assigned');
  assert.equal(d.state_label, 'Đã giao xử lý');
  // Five working days from Monday 08:00: the next Monday 08:00.
  assert.equal(d.due_at, '2026-03-09T08:00:00+07:00');
  assert.equal(d.assignee_name, 'Trần Văn Minh');
  assert.equal(d.unit_name, 'Phòng Kinh tế');
  assert.equal(d.urgency_label, 'Khẩn');
  assert.equal(d.type_name, 'Công văn');
  assert.equal(d.withheld, false);
  assert.equal(eventCount(node), events + 1, 'one event');
  const got = ok(await as.giamsat.get('/api/v1/documents/in/2026-1'), 200, 'read');
  assert.deepEqual(got, d);
  // A deadline as a date: the close of office hours that day.
  const d2 = ok(await as.lanhdao.post('/api/v1/documents/in', incoming({ unit: 'VHXH', due_date: '2026-03-20', received_at: '2026-03-01' })), 201, 'by date');
  assert.equal(d2.number, 2);
  assert.equal(d2.due_at, '2026-03-20T17:00:00+07:00');
  assert.equal(d2.received_at, '2026-03-01T00:00:00+07:00');
  assert.equal(d2.assignee, '');
  // Not assigned: new; then assigned, then done by the assignee.
  const d3 = ok(await as.quantri.post('/api/v1/documents/in', incoming({ excerpt: 'Giấy mời họp giao ban', type: 'giay_moi' })), 201, 'unassigned');
  assert.equal(d3.state, 'new');
  const e0 = eventCount(node);
  const a3 = ok(await as.tiepnhan.patch(`/api/v1/documents/in/${d3.id}`, { assignee: 'chuyenvien2', due_in: { time: 4, unit: 'working_hours' } }), 200, 'assign');
  assert.equal(a3.state, 'assigned');
  assert.equal(a3.due_at, '2026-03-02T14:00:00+07:00', '08:00 + 3.5 h to 11:30, the last 0.5 h after lunch');
  assert.equal(eventCount(node), e0 + 1);
  ok(await as.tiepnhan.patch(`/api/v1/documents/in/${d3.id}`, { assignee: 'chuyenvien2' }), 200, 'the same again');
  assert.equal(eventCount(node), e0 + 1, 'a change that changes nothing writes nothing');
  refused(await as.chuyenvien.patch(`/api/v1/documents/in/${d3.id}`, { done: true }), 403, 'document.not_assignee', 'not theirs');
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d3.id}`, { done: true }), 403, 'document.not_assignee', 'reception is not the assignee');
  refused(await as.chuyenvien2.patch(`/api/v1/documents/in/${d3.id}`, { excerpt: 'sửa' }), 403, 'auth.role', 'the assignee edits nothing else');
  const done = ok(await as.chuyenvien2.patch(`/api/v1/documents/in/${d3.id}`, { done: true }), 200, 'done');
  assert.equal(done.state, 'done');
  assert.equal(done.done_by, 'chuyenvien2');
  assert.equal(done.done_at, '2026-03-02T08:00:00+07:00');
  const reopened = ok(await as.lanhdao.patch(`/api/v1/documents/in/${d3.id}`, { done: false }), 200, 'reopen');
  assert.equal(reopened.state, 'assigned');
  assert.equal(reopened.done_at, null);
  // Assigned to a unit only: its officers count as the assignee.
  const byUnit = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ unit: 'KT' })), 201, 'unit only');
  ok(await as.chuyenvien.patch(`/api/v1/documents/in/${byUnit.id}`, { done: true }), 200, 'an officer of KT closes it');
});

test('an outgoing document: numbers per year and type, symbols as Decree 30 Art. 8 builds them', async () => {
  const q1 = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing()), 201, 'decision');
  assert.equal(q1.symbol, '01/QĐ-UBND');
  assert.equal(q1.id, '2026-quyet_dinh-1');
  assert.equal(q1.doc_date, '2026-03-02');
  const cv = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ type: 'cong_van', unit: 'KT', excerpt: 'V/v báo cáo tiến độ giải ngân', copies: 3 })), 201, 'letter');
  assert.equal(cv.symbol, '01/UBND-KT', 'a công văn: the issuer and the drafting unit');
  assert.equal(cv.copies, 3);
  const q2 = ok(await as.lanhdao.post('/api/v1/documents/out', outgoing()), 201, 'second decision');
  assert.equal(q2.symbol, '02/QĐ-UBND', 'each type its own series');
  refused(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ type: 'cong_van', unit: null })), 400, 'document.bad_field', 'a công văn needs its unit');
  refused(await as.tiepnhan.patch(`/api/v1/documents/out/${q1.id}`, { type: 'chi_thi' }), 400, 'document.bad_field', 'the type makes the symbol');
  refused(await as.tiepnhan.patch(`/api/v1/documents/out/${q1.id}`, { doc_date: '2025-12-31' }), 400, 'document.bad_field', 'another year');
  const fixed = ok(await as.tiepnhan.patch(`/api/v1/documents/out/${q1.id}`, { recipients: ['Như Điều 3', 'Sở Nội vụ', 'Lưu: VT'], copies: 5 }), 200, 'recipients');
  assert.deepEqual(fixed.recipients, ['Như Điều 3', 'Sở Nội vụ', 'Lưu: VT']);
  assert.equal(fixed.symbol, '01/QĐ-UBND');
  refused(await as.tiepnhan.patch(`/api/v1/documents/out/${q1.id}`, { done: true }), 400, null, 'no state on outgoing documents');
});

// The numbers given under concurrent writers: each writer registers n
// documents one after the other, the four at once.
async function race(path, bodyOf, writers, n) {
  const t0 = process.hrtime.bigint();
  const per = await Promise.all(writers.map(async (c, w) => {
    const got = [];
    for (let i = 0; i < n; i++) {
      const r = await c.post(path, bodyOf(w, i));
      assert.equal(r.status, 201, r.text);
      got.push(r.json);
    }
    return got;
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { items: per.flat(), secs };
}

test('4 concurrent writers: every arrival number once, none skipped; outgoing per type the same', async (t) => {
  const writers = await Promise.all(['tiepnhan', 'tiepnhan', 'lanhdao', 'quantri'].map((u) => login(node, u)));
  const start = (await as.giamsat.get('/api/v1/documents/in?year=2026&limit=1')).json.items[0].number;
  const events = eventCount(node);
  const N = 40;
  const { items, secs } = await race('/api/v1/documents/in', (w, i) => incoming({ excerpt: `Văn bản thử ${w}-${i}`, symbol: `${w}${i}/TB` }), writers, N);
  const nums = items.map((d) => d.number).sort((a, b) => a - b);
  assert.equal(new Set(nums).size, nums.length, 'no duplicate');
  assert.deepEqual(nums, Array.from({ length: 4 * N }, (_, i) => start + 1 + i), 'no gap');
  assert.equal(eventCount(node), events + 4 * N, 'one event each');
  t.diagnostic(`incoming: ${4 * N} registrations by 4 writers in ${secs.toFixed(2)} s = ${(4 * N / secs).toFixed(0)}/s`);
  // Outgoing: two types at once, each numbered on its own.
  const o = await race('/api/v1/documents/out', (w, i) => outgoing({ type: (w + i) % 2 ? 'ke_hoach' : 'bao_cao', excerpt: `Kế hoạch/báo cáo ${w}-${i}` }), writers, 20);
  for (const type of ['ke_hoach', 'bao_cao']) {
    const ns = o.items.filter((d) => d.type === type).map((d) => d.number).sort((a, b) => a - b);
    assert.deepEqual(ns, Array.from({ length: 40 }, (_, i) => i + 1), `${type}: 1..40 once each`);
    const abbr = type === 'ke_hoach' ? 'KH' : 'BC';
    for (const d of o.items.filter((x) => x.type === type)) assert.equal(d.symbol, `${String(d.number).padStart(2, '0')}/${abbr}-UBND`);
  }
  t.diagnostic(`outgoing: 80 registrations by 4 writers in ${o.secs.toFixed(2)} s = ${(80 / o.secs).toFixed(0)}/s`);
});

test('a retry with the same Idempotency-Key registers once; the key with another body is refused', async () => {
  const events = eventCount(node);
  const key = { headers: { 'Idempotency-Key': 'doc-retry-0001' } };
  const first = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ excerpt: 'Gửi lại khi mất mạng' }), key), 201, 'first');
  const again = await as.tiepnhan.post('/api/v1/documents/in', incoming({ excerpt: 'Gửi lại khi mất mạng' }), key);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.id, 'the same entry');
  assert.equal(eventCount(node), events + 1, 'written once');
  refused(await as.tiepnhan.post('/api/v1/documents/in', incoming({ excerpt: 'Một văn bản khác' }), key), 409, 'request.idempotency_reused', 'another body');
  refused(await as.tiepnhan.post('/api/v1/documents/out', outgoing(), { headers: { 'Idempotency-Key': 'x' } }), 400, null, 'a bad key');
  assert.equal(eventCount(node), events + 1);
});

test('a number typed by hand: taken if free (the next follow it), 409 and nothing written if used', async () => {
  const events = eventCount(node);
  const page = (await as.giamsat.get('/api/v1/documents/in?year=2026')).json;
  refused(await as.tiepnhan.post('/api/v1/documents/in', incoming({ number: 1 })), 409, 'document.number_used', 'number 1 again');
  refused(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ number: 2 })), 409, 'document.number_used', 'QĐ 2 again');
  assert.equal(eventCount(node), events, 'nothing written');
  assert.equal((await as.giamsat.get('/api/v1/documents/in?year=2026')).json.total, page.total, 'no entry');
  const hand = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ number: 900, received_at: '2026-02-10T09:30', doc_date: '2026-02-09' })), 201, 'from the paper book');
  assert.equal(hand.id, '2026-900');
  const next = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming()), 201, 'the next');
  assert.equal(next.number, 901, 'numbers given after a typed one follow it');
  const qd = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ number: 7 })), 201, 'QĐ 7');
  assert.equal(qd.symbol, '07/QĐ-UBND');
  // The same number in another type or another book is another entry.
  const ct = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ type: 'chi_thi', number: 7 })), 201, 'CT 7');
  assert.equal(ct.symbol, '07/CT-UBND');
});

test('refusals change nothing: unknown unit or officer, a deadline before the registration, bad values', async () => {
  const before_ = eventCount(node);
  const total = (await as.giamsat.get('/api/v1/documents/in')).json.total;
  const cases = [
    [{ unit: 'NOPE' }, 400, 'unit.unknown'],
    [{ assignee: 'nobody' }, 400, 'document.unknown_officer'],
    [{ assignee: 'giamsat' }, 400, 'document.unknown_officer'], // a supervisor handles nothing
    [{ assignee: 'chuyenvien', due_date: '2026-03-01' }, 400, 'document.due_too_early'],
    [{ assignee: 'chuyenvien', due_date: '2026-02-20', received_at: '2026-02-19' }, 400, 'document.due_too_early'],
    [{ due_date: '2026-03-20' }, 400, 'document.bad_field'], // a deadline needs someone
    [{ assignee: 'chuyenvien', due_date: '2026-03-20', due_in: { time: 1, unit: 'working_days' } }, 400, 'document.bad_field'],
    [{ assignee: 'chuyenvien', due_in: { time: 1, unit: 'fortnights' } }, 400, 'document.bad_field'],
    [{ assignee: 'chuyenvien', due_in: { time: -1, unit: 'working_days' } }, 400, null],
    [{ received_at: '2026-03-03' }, 400, 'document.bad_field'], // tomorrow
    [{ received_at: '2026-02-30' }, 400, 'document.bad_field'],
    [{ doc_date: '2026-03-05' }, 400, 'document.bad_field'],
    [{ doc_date: '2026-03-02', received_at: '2026-03-01' }, 400, 'document.bad_field'], // written after it arrived
    [{ type: 'luat' }, 400, 'document.bad_field'],
    [{ urgency: 'gap' }, 400, 'document.bad_field'],
    [{ secrecy: 'bi_mat' }, 400, 'document.bad_field'],
    [{ excerpt: '' }, 400, null],
    [{ excerpt: '   ' }, 400, null],
    [{ excerpt: 'x'.repeat(2001) }, 400, 'text.too_long'],
    [{ excerpt: 'a\u202eb' }, 400, 'text.format_char'],
    [{ issuer: 42 }, 400, 'document.bad_field'],
    [{ number: 0 }, 400, 'document.bad_field'],
    [{ number: 1.5 }, 400, 'document.bad_field'],
    [{ number: '3' }, 400, 'document.bad_field'],
    [{ attachments: ['b'.repeat(64)] }, 400, 'attachment.unknown'],
    [{ attachments: ['../../etc/passwd'] }, 400, 'document.bad_field'],
    [{ attachments: 'x' }, 400, 'document.bad_field'],
    [{ drop: 'table' }, 400, 'request.unknown_field'],
  ];
  for (const [over, status, code] of cases) {
    refused(await as.tiepnhan.post('/api/v1/documents/in', incoming(over)), status, code, JSON.stringify(over));
  }
  const outCases = [
    [{ unit: 'NOPE' }, 'unit.unknown'],
    [{ signer: { name: '' } }, null],
    [{ signer: { name: 'A', rank: 'x' } }, 'request.unknown_field'],
    [{ recipients: [] }, 'document.bad_field'],
    [{ recipients: ['ok', 7] }, 'document.bad_field'],
    [{ issuer_abbr: 'UB-ND' }, 'document.bad_field'],
    [{ copies: -1 }, 'document.bad_field'],
    [{ doc_date: '2026-03-03' }, 'document.bad_field'],
    [{ done: true }, 'request.unknown_field'],
  ];
  for (const [over, code] of outCases) refused(await as.tiepnhan.post('/api/v1/documents/out', outgoing(over)), 400, code, JSON.stringify(over));
  // A deadline set later must still come after the assignment.
  const d = (await as.giamsat.get('/api/v1/documents/in?limit=1')).json.items[0];
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d.id}`, { assignee: 'chuyenvien', due_date: '2026-03-01' }), 400, 'document.due_too_early', 'due yesterday');
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d.id}`, { unit: 'NOPE' }), 400, 'unit.unknown', 'patch unknown unit');
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d.id}`, { number: 5 }), 400, 'document.bad_field', 'the number never changes');
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d.id}`, { received_at: '2025-12-31' }), 400, 'document.bad_field', 'another year');
  refused(await as.tiepnhan.patch(`/api/v1/documents/in/${d.id}`, {}), 400, 'document.bad_field', 'nothing');
  refused(await as.tiepnhan.patch('/api/v1/documents/in/2026-99999', { note: 'x' }), 404, 'document.not_found', 'no such');
  refused(await as.tiepnhan.get('/api/v1/documents/in/nope'), 404, 'document.not_found', 'no such id');
  refused(await as.tiepnhan.get('/api/v1/documents/box.pdf'), 404, null, 'no such book');
  assert.equal(eventCount(node), before_, 'nothing written');
  assert.equal((await as.giamsat.get('/api/v1/documents/in')).json.total, total);
});

test('hostile bodies: malformed JSON, invalid UTF-8, a huge body, SQL in strings (kept as text)', async () => {
  const before_ = eventCount(node);
  const json = { headers: { 'Content-Type': 'application/json' } };
  refused(await as.tiepnhan.post('/api/v1/documents/in', '{"issuer": "x", ', json), 400, 'request.malformed_json', 'cut');
  refused(await as.tiepnhan.post('/api/v1/documents/in', '[1,2]', json), 400, null, 'an array');
  refused(await as.tiepnhan.post('/api/v1/documents/in', Buffer.from(JSON.stringify(incoming()).replace('Phú', '\xff\xfe'), 'latin1'), json), 400, null, 'invalid UTF-8');
  refused(await as.tiepnhan.post('/api/v1/documents/in', JSON.stringify(incoming({ note: 'x'.repeat(300 * 1024) }))), 413, 'request.too_large', 'huge body');
  refused(await as.tiepnhan.post('/api/v1/documents/in', 'issuer=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, null, 'a form');
  assert.equal(eventCount(node), before_, 'nothing written');
  const sql = "'); DROP TABLE document; --";
  const d = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ issuer: sql, excerpt: `Robert${sql}` })), 201, 'SQL as text');
  assert.equal(d.issuer, sql);
  const found = ok(await as.giamsat.get('/api/v1/documents/in?q=' + encodeURIComponent('drop table')), 200, 'found');
  assert.ok(found.items.some((x) => x.id === d.id));
  ok(await as.giamsat.get('/api/v1/documents/in?q=' + encodeURIComponent("%' OR 1=1 --")), 200, 'a LIKE trick finds nothing odd');
  assert.equal((await as.giamsat.get('/api/v1/documents/in?q=' + encodeURIComponent("%' OR 1=1 --"))).json.total, 0);
});

test('an attachment: uploaded, named by its hash, shown; over 20 MiB refused 413', async () => {
  const bytes = scanPdf(1);
  const up = ok(await as.tiepnhan.req('POST', '/api/v1/attachments?filename=' + encodeURIComponent('Công văn 1234.pdf'), bytes, { headers: { 'Content-Type': 'application/pdf' } }), 201, 'upload');
  const d = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ attachments: [up.sha256, up.sha256] })), 201, 'with its scan');
  assert.deepEqual(d.attachments, [{ sha256: up.sha256, filename: 'Công văn 1234.pdf', mime: 'application/pdf', size: bytes.length }]);
  const o = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ attachments: [up.sha256] })), 201, 'the signed copy');
  assert.equal(o.attachments.length, 1);
  const before_ = eventCount(node);
  const big = new Uint8Array((20 << 20) + 1);
  big.set(bytes.subarray(0, 8));
  refused(await as.tiepnhan.req('POST', '/api/v1/attachments', big, { headers: { 'Content-Type': 'application/pdf' } }), 413, 'request.too_large', 'huge scan');
  assert.equal(eventCount(node), before_);
});

test('who may: any officer reads, reception/leader/admin write, no sign-in 401', async () => {
  ok(await as.giamsat.get('/api/v1/documents/out'), 200, 'supervisor reads');
  ok(await as.chuyenvien.get('/api/v1/documents/in'), 200, 'specialist reads');
  refused(await as.chuyenvien.post('/api/v1/documents/in', incoming()), 403, 'auth.role', 'specialist registers');
  refused(await as.giamsat.post('/api/v1/documents/out', outgoing()), 403, 'auth.role', 'supervisor registers');
  refused(await as.giamsat.patch('/api/v1/documents/in/2026-1', { note: 'x' }), 403, 'auth.role', 'supervisor edits');
  refused(await as.chuyenvien.patch('/api/v1/documents/out/2026-quyet_dinh-1', { note: 'x' }), 403, 'auth.role', 'specialist edits outgoing');
  const anon = client(node);
  for (const p of ['/api/v1/documents/in', '/api/v1/documents/out/2026-quyet_dinh-1', '/api/v1/documents/in.xlsx', '/api/v1/documents/types']) {
    refused(await anon.get(p), 401, 'auth.required', p);
  }
  refused(await anon.post('/api/v1/documents/in', incoming()), 401, null, 'anonymous write');
  // A session's write without its CSRF token.
  refused(await as.tiepnhan.post('/api/v1/documents/in', incoming(), { headers: { 'X-CSRF-Token': 'x'.repeat(64) } }), 403, 'auth.csrf', 'csrf');
});

test('confidential documents: the excerpt, note and scans only for leaders, admins and the assignee', async () => {
  const d = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({
    secrecy: 'mat', excerpt: 'Phương án bảo vệ mục tiêu trọng điểm', note: 'Giữ kín', assignee: 'chuyenvien',
  })), 201, 'secret');
  assert.equal(d.withheld, true, 'reception registered it but does not read it back');
  assert.equal(d.excerpt, null);
  for (const u of ['lanhdao', 'quantri', 'chuyenvien']) {
    const x = ok(await as[u].get(`/api/v1/documents/in/${d.id}`), 200, u);
    assert.equal(x.withheld, false, u);
    assert.equal(x.excerpt, 'Phương án bảo vệ mục tiêu trọng điểm');
  }
  for (const u of ['tiepnhan', 'chuyenvien2', 'giamsat']) {
    const x = ok(await as[u].get(`/api/v1/documents/in/${d.id}`), 200, u);
    assert.equal(x.withheld, true, u);
    assert.equal(x.excerpt, null);
    assert.equal(x.note, null);
    assert.equal(x.symbol, d.symbol, 'the row itself shows');
  }
  const q = '/api/v1/documents/in?q=' + encodeURIComponent('muc tieu trong diem');
  assert.equal((await as.giamsat.get(q)).json.total, 0, 'the excerpt is not searchable by those who may not read it');
  assert.equal((await as.lanhdao.get(q)).json.total, 1);
  assert.equal((await as.chuyenvien.get(q)).json.total, 1);
  const o = ok(await as.lanhdao.post('/api/v1/documents/out', outgoing({ secrecy: 'toi_mat', excerpt: 'Kế hoạch tuyệt đối giữ kín' })), 201, 'secret out');
  assert.equal(o.withheld, false);
  assert.equal((await as.tiepnhan.get(`/api/v1/documents/out/${o.id}`)).json.excerpt, null);
});

test('search ignores diacritics; filters by year, type, urgency, state, assignee, unit, dates; pages', async () => {
  ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ issuer: 'Sở Giao thông Vận tải', excerpt: 'V/v sửa chữa đường giao thông nông thôn xóm Đồng Bãi', urgency: 'hoa_toc', type: 'thong_bao', received_at: '2026-02-15', doc_date: '2026-02-12' })), 201, 'road');
  const g = (q) => as.giamsat.get('/api/v1/documents/in?' + new URLSearchParams(q));
  let r = ok(await g({ q: 'DUONG GIAO THONG nong thon' }), 200, 'folded');
  assert.equal(r.total, 1);
  assert.equal(r.items[0].issuer, 'Sở Giao thông Vận tải');
  assert.equal((await g({ q: 'Đường giao thông' })).json.total, 1, 'with diacritics too');
  assert.equal((await g({ q: 'so giao thong' })).json.total, 1, 'the issuer');
  assert.ok((await g({ q: '1234/ubnd' })).json.total >= 3, 'the symbol');
  assert.equal((await g({ urgency: 'hoa_toc' })).json.total, 1);
  assert.equal((await g({ type: 'thong_bao', year: '2026' })).json.total, 1);
  assert.equal((await g({ type: 'thong_bao', year: '2025' })).json.total, 0);
  assert.equal((await g({ from: '2026-02-15', to: '2026-02-15' })).json.total, 1, 'received that day');
  const mine = (await g({ assignee: 'chuyenvien' })).json;
  assert.ok(mine.total >= 2 && mine.items.every((x) => x.assignee === 'chuyenvien'));
  assert.ok((await g({ state: 'done' })).json.items.every((x) => x.state === 'done'));
  assert.ok((await g({ state: 'open' })).json.items.every((x) => x.state !== 'done'));
  assert.ok((await g({ unit: 'KT' })).json.items.every((x) => x.unit === 'KT'));
  // Pages: newest first, no entry twice.
  const all = (await g({ limit: 200 })).json;
  const p1 = (await g({ limit: 50 })).json, p2 = (await g({ limit: 50, offset: 50 })).json;
  assert.equal(p1.total, all.total);
  assert.deepEqual([...p1.items, ...p2.items].map((x) => x.id), all.items.slice(0, 100).map((x) => x.id));
  assert.ok(all.items[0].number >= all.items[1].number);
  for (const [q, what] of [[{ year: '26' }, 'year'], [{ type: 'x' }, 'type'], [{ state: 'closed' }, 'state'], [{ from: '2026-13-01' }, 'from'], [{ limit: '500' }, 'limit'], [{ offset: '-1' }, 'offset']]) {
    const x = await g(q);
    assert.equal(x.status, 400, what);
  }
  const outs = (await as.giamsat.get('/api/v1/documents/out?' + new URLSearchParams({ q: 'chuyen doi so', type: 'quyet_dinh' }))).json;
  assert.ok(outs.total >= 2 && outs.items.every((x) => x.type === 'quyet_dinh'));
  refused(await as.giamsat.get('/api/v1/documents/out?state=done'), 400, 'document.bad_field', 'no state on outgoing');
});

function readXlsx(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'docreg-xlsx-'));
  try {
    const f = join(dir, 'b.xlsx');
    writeFileSync(f, bytes);
    return JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'tests/tools/xlsx_read.py'), f], { encoding: 'utf8' }));
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'docreg-pdf-'));
  try {
    const f = join(dir, 'b.pdf');
    writeFileSync(f, bytes);
    return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
async function file(c, path) {
  const r = await fetch(node.base + path, { headers: { Cookie: c.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), bytes: Buffer.from(await r.arrayBuffer()) };
}

test('the books as .xlsx (read back) and PDF (pdftotext): Decree 30 columns, the period, withheld excerpts', async () => {
  const x = await file(as.tiepnhan, '/api/v1/documents/in.xlsx?from=2026-01-01&to=2026-03-02');
  assert.equal(x.status, 200);
  assert.match(x.type, /spreadsheetml/);
  assert.match(x.disposition, /so-van-ban-den\.xlsx/);
  const wb = readXlsx(x.bytes);
  const s = wb.sheets[0];
  assert.equal(s.name, 'Văn bản đến');
  assert.equal(s.cells.A1, 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
  assert.equal(s.cells.A2, 'Ủy ban nhân dân xã Kim Bôi');
  assert.equal(s.cells.A3, 'Từ ngày 01/01/2026 đến ngày 02/03/2026');
  assert.deepEqual(['A5', 'B5', 'C5', 'D5', 'E5', 'F5', 'G5', 'H5', 'I5'].map((k) => s.cells[k]),
    ['Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu nội dung', 'Đơn vị hoặc người nhận', 'Ký nhận', 'Ghi chú']);
  assert.equal(s.orientation, 'landscape');
  // Rows in the book's order: by arrival number; numbers are numbers.
  const all = (await as.lanhdao.get('/api/v1/documents/in?year=2026&limit=200')).json;
  const rows = [];
  for (let r = 7; s.cells['B' + r] !== undefined; r++) rows.push(r);
  assert.equal(rows.length, all.total);
  const numbers = rows.map((r) => s.cells['B' + r]);
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  assert.equal(typeof numbers[0], 'number');
  assert.equal(s.cells.A7, '02/03/2026');
  assert.equal(s.cells.C7, 'UBND tỉnh Phú Thọ');
  assert.equal(s.cells.F7, 'Công văn: V/v rà soát nhiệm vụ chính trị năm 2026');
  assert.match(s.cells.G7, /Phòng Kinh tế; Trần Văn Minh; hạn 09\/03\/2026/);
  assert.equal(s.cells.I7, 'Khẩn; Bản chính lưu văn thư');
  const secretRow = rows.find((r) => /mật/.test(s.cells['F' + r] || ''));
  assert.ok(secretRow, 'the confidential entry is in the book');
  assert.match(s.cells['F' + secretRow], /Văn bản mật: trích yếu không hiển thị/);
  assert.doesNotMatch(JSON.stringify(s.cells), /mục tiêu trọng điểm/, 'withheld from reception');
  const lead = readXlsx((await file(as.lanhdao, '/api/v1/documents/in.xlsx?from=2026-01-01&to=2026-03-02')).bytes);
  assert.match(JSON.stringify(lead.sheets[0].cells), /mục tiêu trọng điểm/, 'shown to the leader');

  const out = readXlsx((await file(as.giamsat, '/api/v1/documents/out.xlsx?from=2026-03-02&to=2026-03-02')).bytes).sheets[0];
  assert.equal(out.cells.A1, 'SỔ ĐĂNG KÝ VĂN BẢN ĐI');
  assert.equal(out.cells.A5, 'Số, ký hiệu văn bản');
  assert.equal(out.cells.J5, 'Ghi chú');
  assert.ok(Object.values(out.cells).includes('01/QĐ-UBND'));
  assert.ok(Object.values(out.cells).includes('Hoàng Văn Dũng, Chủ tịch'));

  const p = await file(as.tiepnhan, '/api/v1/documents/in.pdf?from=2026-01-01&to=2026-03-02');
  assert.equal(p.status, 200);
  assert.equal(p.type, 'application/pdf');
  const text = pdfText(p.bytes);
  assert.match(text, /ỦY BAN NHÂN DÂN/);
  assert.match(text, /XÃ KIM BÔI/);
  assert.match(text, /SỔ ĐĂNG KÝ VĂN BẢN ĐẾN/);
  assert.match(text, /Từ ngày 01\/01\/2026 đến ngày 02\/03\/2026/);
  assert.match(text, /rà soát/);
  const pages = text.split('\f').filter((x) => x.trim());
  assert.ok(pages.length > 2, `${pages.length} pages`);
  for (let i = 0; i < pages.length; i++) {
    assert.match(pages[i], /Tác giả/, `page ${i + 1} repeats the column heads`);
    assert.match(pages[i], new RegExp(`Trang ${i + 1}/${pages.length}`), `page ${i + 1} is numbered`);
  }
  assert.doesNotMatch(text, /mục tiêu trọng điểm/);
  const po = pdfText((await file(as.giamsat, '/api/v1/documents/out.pdf?from=2026-03-02&to=2026-03-02')).bytes);
  assert.match(po, /SỔ ĐĂNG KÝ VĂN BẢN ĐI/);
  assert.match(po, /01\/UBND-KT/);
  refused(await as.giamsat.get('/api/v1/documents/in.pdf?from=2025-01-01&to=2026-03-02'), 400, 'document.bad_field', 'over 366 days');
  refused(await as.giamsat.get('/api/v1/documents/in.xlsx?from=2026-03-02&to=2026-03-01'), 400, 'document.bad_field', 'backwards');
  // The command line writes the same book.
  const dir = mkdtempSync(join(tmpdir(), 'docreg-cli-'));
  try {
    const f = join(dir, 'so-di.pdf');
    motcua(['documents', 'export', 'out', '--from', '2026-03-02', '--to', '2026-03-02', '--out', f, '--dir', node.data], { env: { ...process.env, MOTCUA_TEST_NOW: NOW }, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }), /01\/QĐ-UBND/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('events: document.registered and document.updated carry the whole entry', async () => {
  const db = join(node.data, 'motcua.db');
  const rows = execFileSync('sqlite3', ['-json', db, "select kind, payload from event where kind like 'document.%' order by seq"], { encoding: 'utf8' });
  const evs = JSON.parse(rows);
  assert.ok(evs.length > 200);
  const reg = JSON.parse(evs[0].payload);
  assert.equal(evs[0].kind, 'document.registered');
  assert.equal(reg.book, 'in');
  for (const k of ['agency', 'id', 'year', 'number', 'received_at', 'issuer', 'symbol', 'doc_date', 'type', 'excerpt', 'urgency', 'secrecy', 'assignee', 'unit', 'due_at', 'state', 'attachments']) {
    assert.ok(k in reg.document, `registered carries ${k}`);
  }
  const upd = evs.find((e) => e.kind === 'document.updated');
  const u = JSON.parse(upd.payload);
  assert.ok(Array.isArray(u.changed) && u.changed.length > 0);
  assert.ok('excerpt' in u.document && 'state' in u.document, 'the whole entry');
  motcua(['check', '--dir', node.data], { stdio: ['ignore', 'pipe', 'pipe'] }); // exits 1 on a broken chain
});

test('a new year: the arrival numbers and every type start again at 1; a late entry goes to last year\'s book', async () => {
  await stopServer(node);
  node.env = { MOTCUA_TEST_NOW: '2027-01-04 08:00' };
  await startServer(node);
  await signInAll();
  const last2026 = (await as.giamsat.get('/api/v1/documents/in?year=2026&limit=1')).json.items[0].number;
  const d = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ doc_date: '2026-12-30' })), 201, '2027');
  assert.equal(d.number, 1);
  assert.equal(d.id, '2027-1');
  const late = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ doc_date: '2026-12-30', received_at: '2026-12-31T16:00' })), 201, 'late entry');
  assert.equal(late.year, 2026);
  assert.equal(late.number, last2026 + 1);
  const d2 = ok(await as.tiepnhan.post('/api/v1/documents/in', incoming({ doc_date: '2026-12-30' })), 201, '2027 second');
  assert.equal(d2.number, 2);
  const q = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing()), 201, 'QĐ 2027');
  assert.equal(q.symbol, '01/QĐ-UBND');
  assert.equal(q.id, '2027-quyet_dinh-1');
  const cv = ok(await as.tiepnhan.post('/api/v1/documents/out', outgoing({ type: 'cong_van', unit: 'VHXH' })), 201, 'CV 2027');
  assert.equal(cv.symbol, '01/UBND-VHXH');
  assert.equal((await as.giamsat.get('/api/v1/documents/in?year=2027')).json.total, 2);
});
