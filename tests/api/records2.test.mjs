// records2.test.mjs - issue 10, items 4 5 6 and "the fee, the result, the
// look-up address", over HTTP: the apology (late, short notice, its own
// data), who issued each notice, notice items in full, fees and the fee
// book, the result's number and its collection, the node's public address.
// Bad input is refused with a 4xx and changes nothing.
//
// A demo node with its clock pinned at Wednesday 2026-03-04 09:00.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startNode, stopNode, login, client, newDossier, applicant, eventCount, atClock
} from './harness.mjs';

const NOW = '2026-03-04 09:00'; // Wednesday
const D = '/api/v1/dossiers';
const enc = encodeURIComponent;
let node;

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  // 1.003930 (the catalog states 70,000 đồng) is not on the demo commune's
  // list: the fee tests put it there, without a fee of its own.
  const admin = await login(node, 'quantri');
  const r = await admin.req('PUT', '/api/v1/local-procedures/1.003930', { enabled: true, source: 'Quyết định 99/QĐ-UBND ngày 02/03/2026 (thử nghiệm)' });
  assert.equal(r.status, 200, r.text);
});
after(async () => { if (node) await stopNode(node); });

const as = (who) => login(node, who);
function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}
function refused(res, status, code, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  if (code) assert.equal(res.json.error.code, code, what);
}
const act = async (c, code, b, status = 200) => ok(await c.post(`${D}/${enc(code)}/actions`, b), status, `${b.action} on ${code}`);
const get = async (c, code) => ok(await c.get(`${D}/${enc(code)}`), 200, 'get');

const at = (clock, fn) => atClock(node, clock, NOW, fn);

// A dossier received (admin may back-date) and given to the specialist.
async function processing(receivedAt) {
  const admin = await as('quantri');
  const d = ok(await admin.post(D, newDossier(receivedAt ? { received_at: receivedAt } : {})), 201, 'receive');
  return act(admin, d.code, { action: 'assign', to: 'chuyenvien' });
}

// ---- A. the apology (item 4) ----

test('A. an apology made in time keeps the original appointment as its own data, signed by the specialist', async () => {
  const d = await processing();
  const dash = ok(await (await as('quantri')).get('/api/v1/dashboard'), 200, 'dashboard');
  assert.ok(d.due_at > dash.near_due_before, `precondition: due ${d.due_at} more than a working day away`);
  const cv = await as('chuyenvien');
  const x = await act(cv, d.code, { action: 'apology', comment: 'Cần xác minh thêm tại thôn', new_due: '2026-03-27T16:00+07:00' });
  assert.equal(x.due_at, '2026-03-27T16:00:00+07:00');
  assert.equal(x.due_legal, d.due_legal, 'the legal due time stays');
  const a = x.apology;
  assert.equal(a.original_due, d.due_at);
  assert.equal(a.new_due, x.due_at);
  assert.equal(a.reason, 'Cần xác minh thêm tại thôn');
  assert.deepEqual(a.signer, { login: 'chuyenvien', name: 'Trần Văn Minh', title: 'Chuyên viên' });
  assert.equal(a.after_due, false);
  assert.equal(a.short_notice, false);
  assert.equal(a.warning, null);
  const n = x.notices.find((k) => k.kind === 'apology');
  assert.equal(n.issuer.login, 'chuyenvien');
  assert.equal(n.original_due, d.due_at);
  const ev = x.history.find((h) => h.action === 'apology');
  assert.equal(ev.apology.original_due, d.due_at);
  assert.equal(ev.issuer.login, 'chuyenvien');
  assert.equal(x.overdue, false);
  assert.equal(x.overdue_legal, false);
});

test('A. an apology on an overdue dossier is made, marked after the due time, with a warning; statistics still see it overdue', async () => {
  const d = await processing('2026-02-16T08:00');
  assert.equal(d.overdue, true, 'precondition: overdue');
  const ld = await as('lanhdao');
  const x = await act(ld, d.code, { action: 'apology', comment: 'Chậm do chờ kết quả xác minh', new_due: '2026-03-10T17:00+07:00' });
  assert.equal(x.apology.after_due, true);
  assert.equal(x.apology.short_notice, true);
  assert.match(x.apology.warning, /quá hạn/);
  assert.equal(x.apology.original_due, d.due_at);
  assert.equal(x.overdue, false, 'the officer works to the new appointment');
  assert.equal(x.overdue_legal, true, 'statistics judge against the original due time');
  assert.equal(x.apology.signer.title, 'Lãnh đạo');
});

test('A. an apology later than one working day before the due time is made with a warning (in working time)', async () => {
  // Received so that its due time falls within one working day of now.
  const dash = ok(await (await as('quantri')).get('/api/v1/dashboard'), 200, 'dashboard');
  let d = null;
  for (const day of ['2026-02-20', '2026-02-23', '2026-02-24', '2026-02-25']) {
    const c = await processing(`${day}T10:00`);
    if (!c.overdue && c.due_at < dash.near_due_before) { d = c; break; }
  }
  assert.ok(d, 'a dossier near due (one of the reception days gives one)');
  const x = await act(await as('lanhdao'), d.code, { action: 'apology', comment: 'Chờ ý kiến cơ quan phối hợp', new_due: '2026-03-20T17:00+07:00' });
  assert.equal(x.apology.after_due, false);
  assert.equal(x.apology.short_notice, true);
  assert.match(x.apology.warning, /01 ngày/);
});

test('A. an apology whose new appointment is already past, or a second one, is refused and changes nothing', async () => {
  const d = await processing('2026-02-16T08:00');
  const ld = await as('lanhdao');
  const n0 = eventCount(node);
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'apology', comment: 'x', new_due: '2026-03-04T08:00' }), 400, 'dossier.appointment_not_later', 'new date before now');
  assert.equal(eventCount(node), n0);
  assert.equal((await get(ld, d.code)).apology, null);
  await act(ld, d.code, { action: 'apology', comment: 'x', new_due: '2026-03-09T17:00' });
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'apology', comment: 'y', new_due: '2026-03-19T17:00' }), 409, 'dossier.apology_exists', 'second apology');
});

// ---- B. who issued each notice (item 5) ----

test('B. each notice records the officer who issued it: the specialist signs the supplement request, not the desk officer', async () => {
  const d = await processing();
  const cv = await as('chuyenvien');
  const s = await act(cv, d.code, { action: 'request_supplement', comment: 'Bổ sung xác nhận của trưởng thôn' });
  const n = s.notices.at(-1);
  assert.equal(n.kind, 'request_supplement');
  assert.equal(n.label, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');
  assert.deepEqual(n.issuer, { login: 'chuyenvien', name: 'Trần Văn Minh', title: 'Chuyên viên' });
  assert.equal(n.reason, 'Bổ sung xác nhận của trưởng thôn');
  assert.equal(s.history.find((h) => h.action === 'request_supplement').issuer.login, 'chuyenvien');
  assert.equal(s.history.find((h) => h.action === 'receive').issuer, undefined, 'a reception is no notice');
  await act(cv, d.code, { action: 'supplement_received' });
  const ld = await as('lanhdao');
  const st = await act(ld, d.code, { action: 'stop', comment: 'Người nộp đề nghị dừng' });
  assert.deepEqual(st.notices.map((k) => [k.kind, k.issuer.login]), [['request_supplement', 'chuyenvien'], ['stop', 'lanhdao']]);
  assert.equal(st.notices[1].issuer.title, 'Lãnh đạo');
  // A refusal at the desk: the receiving officer.
  const rec = await as('tiepnhan');
  const p = ok(await rec.post(D, newDossier({ pending: true })), 201, 'desk');
  const r = await act(rec, p.code, { action: 'refuse', comment: 'Không thuộc thẩm quyền' });
  assert.equal(r.notices[0].kind, 'refuse');
  assert.equal(r.notices[0].issuer.login, 'tiepnhan');
  assert.equal(r.notices[0].issuer.title, 'Cán bộ tiếp nhận');
});

// ---- C. items in full (item 6) ----

test('C. a supplement request lists its items in full, however long; too many or too long is refused, never cut', async () => {
  const rec = await as('tiepnhan');
  const long = 'Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh. '.repeat(30);
  const items = [long.trim(), 'Giấy chứng sinh', 'Trường hợp trẻ em bị bỏ rơi: biên bản về việc trẻ bị bỏ rơi'];
  const p = ok(await rec.post(D, newDossier({ pending: true })), 201, 'desk');
  const n0 = eventCount(node);
  refused(await rec.post(`${D}/${enc(p.code)}/actions`, { action: 'request_supplement', comment: 'x', items: [...items, 'y'.repeat(17000)] }), 400, 'text.too_long', 'an item over 16 KB');
  refused(await rec.post(`${D}/${enc(p.code)}/actions`, { action: 'request_supplement', comment: 'x', items: Array(101).fill('a') }), 400, 'dossier.bad_field', '101 items');
  refused(await rec.post(`${D}/${enc(p.code)}/actions`, { action: 'request_supplement', comment: 'x', items: [''] }), 400, null, 'a blank item');
  refused(await rec.post(`${D}/${enc(p.code)}/actions`, { action: 'request_supplement', comment: 'x', items: 'Giấy chứng sinh' }), 400, 'dossier.bad_field', 'items not an array');
  refused(await rec.post(`${D}/${enc(p.code)}/actions`, { action: 'accept', items: ['a'] }), 400, 'dossier.bad_field', 'items on accept');
  assert.equal(eventCount(node), n0, 'nothing written');
  const x = await act(rec, p.code, { action: 'request_supplement', comment: 'Hồ sơ còn thiếu các giấy tờ sau', items });
  assert.deepEqual(x.notices[0].items, items, 'every item in full');
  assert.equal(x.notices[0].items[0].length, items[0].length);
  assert.deepEqual(x.history.at(-1).items, items);
});

// ---- D. fees and the fee book ----

test('D. the default fee: the commune\'s list where it sets one, else the catalog\'s single stated amount, else none', async () => {
  const admin = await as('quantri');
  const L = '/api/v1/local-procedures/';
  const withFee = ok(await admin.post(D, newDossier({ procedure: '1.003930' })), 201, 'receive 1.003930');
  assert.equal(withFee.fee_default.amount, 70000);
  assert.match(withFee.fee_default.text, /70,000/);
  // The commune's own fee wins over the catalog's words.
  ok(await admin.req('PUT', L + '1.003930', { enabled: true, fee: 65000, source: 'Quyết định 100/QĐ-UBND ngày 03/03/2026 (thử nghiệm)' }), 200, 'fee 1.003930');
  const local = ok(await admin.post(D, newDossier({ procedure: '1.003930' })), 201, 'receive 1.003930 again');
  assert.equal(local.fee_default.amount, 65000);
  // No fee set here and none stated in the catalog: none.
  ok(await admin.req('PUT', L + '1.000253', { enabled: true, source: 'Quyết định 101/QĐ-UBND ngày 04/03/2026 (thử nghiệm)' }), 200, 'no fee on 1.000253');
  const none = ok(await admin.post(D, newDossier()), 201, 'receive 1.000253');
  assert.equal(none.fee_default.amount, null);
  assert.deepEqual(none.fees, []);
  assert.equal(none.fee_total, 0);
  ok(await admin.req('PUT', L + '1.003930', { enabled: true, fee: 70000, source: 'Quyết định 102/QĐ-UBND ngày 04/03/2026 (thử nghiệm)' }), 200, 'fee back to 70,000');
});

test('D. a fee is recorded with its method, receipt and collector, as an event; an exemption with its reason', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, newDossier({ procedure: '1.003930' })), 201, 'receive');
  const x = ok(await rec.post(`${D}/${enc(d.code)}/fees`, { amount: 70000, method: 'cash', receipt_no: 'BL-0001' }), 201, 'cash fee');
  assert.equal(x.fees.length, 1);
  const f = x.fees[0];
  assert.equal(f.amount, 70000);
  assert.equal(f.method, 'cash');
  assert.equal(f.method_label, 'Tiền mặt');
  assert.equal(f.receipt_no, 'BL-0001');
  assert.deepEqual(f.collector, { login: 'tiepnhan', name: rec.user.name });
  assert.equal(x.fee_total, 70000);
  const ev = x.history.at(-1);
  assert.equal(ev.kind, 'dossier.fee');
  assert.equal(ev.actor, 'tiepnhan');
  assert.equal(ev.fee.amount, 70000);
  assert.equal(ev.fee.receipt_no, 'BL-0001');
  const y = ok(await rec.post(`${D}/${enc(d.code)}/fees`, { amount: 0, exemption: 'full', exemption_reason: 'Trẻ em dưới 6 tuổi' }), 201, 'exempt');
  assert.equal(y.fees[1].exemption, 'full');
  assert.equal(y.fees[1].exemption_label, 'Miễn');
  assert.equal(y.fees[1].method, '');
  assert.equal(y.fee_total, 70000);
  const z = ok(await rec.post(`${D}/${enc(d.code)}/fees`, { amount: 35000, method: 'transfer', receipt_no: 'CK/2026/15', exemption: 'partial', exemption_reason: 'Giảm 50% cho hộ cận nghèo' }), 201, 'reduced');
  assert.equal(z.fee_total, 105000);
  assert.equal(z.fees[2].exemption_label, 'Giảm');
});

test('D. bad fees are refused with a clear 4xx and change nothing', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, newDossier()), 201, 'receive');
  const P = `${D}/${enc(d.code)}/fees`;
  const bad = [
    ['negative amount', { amount: -1000, method: 'cash', receipt_no: 'A1' }, 'fee.bad_value'],
    ['amount not whole đồng', { amount: 12500.5, method: 'cash', receipt_no: 'A1' }, 'fee.bad_value'],
    ['amount as text', { amount: '12500', method: 'cash', receipt_no: 'A1' }, 'fee.bad_value'],
    ['amount too large', { amount: 1000000001, method: 'cash', receipt_no: 'A1' }, 'fee.bad_value'],
    ['unknown method', { amount: 8000, method: 'bitcoin', receipt_no: 'A1' }, 'fee.bad_value'],
    ['no method', { amount: 8000, receipt_no: 'A1' }, 'fee.bad_value'],
    ['no receipt', { amount: 8000, method: 'cash' }, 'fee.bad_value'],
    ['huge receipt number', { amount: 8000, method: 'cash', receipt_no: '9'.repeat(31) }, 'fee.bad_value'],
    ['receipt with spaces', { amount: 8000, method: 'cash', receipt_no: 'BL 1' }, 'fee.bad_value'],
    ['0 without exemption', { amount: 0 }, 'fee.bad_value'],
    ['exemption without reason', { amount: 0, exemption: 'full' }, 'fee.bad_value'],
    ['full exemption with an amount', { amount: 5000, method: 'cash', receipt_no: 'A1', exemption: 'full', exemption_reason: 'x' }, 'fee.bad_value'],
    ['unknown exemption', { amount: 0, exemption: 'all', exemption_reason: 'x' }, 'fee.bad_value'],
    ['unknown field', { amount: 8000, method: 'cash', receipt_no: 'A1', payer: 'x' }, 'request.unknown_field'],
    ['no amount', { method: 'cash', receipt_no: 'A1' }, 'fee.bad_value'],
  ];
  const n0 = eventCount(node);
  for (const [what, body, code] of bad) refused(await rec.post(P, body), 400, code, what);
  refused(await rec.post(`${D}/000.00.00.H00-000101-0001/fees`, { amount: 8000, method: 'cash', receipt_no: 'A1' }), 404, null, 'unknown dossier');
  const p = ok(await rec.post(D, newDossier({ pending: true })), 201, 'desk');
  await act(rec, p.code, { action: 'refuse', comment: 'Không thuộc thẩm quyền' });
  const n1 = eventCount(node);
  refused(await rec.post(`${D}/${enc(p.code)}/fees`, { amount: 8000, method: 'cash', receipt_no: 'A1' }), 409, 'dossier.wrong_state', 'a dossier never received');
  assert.equal(eventCount(node), n1);
  assert.ok(n1 > n0);
  assert.deepEqual((await get(rec, d.code)).fees, [], 'nothing recorded');
});

test('D. fee routes: no sign-in 401, wrong role 403, huge body 413; a retry with the same key records once', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, newDossier()), 201, 'receive');
  const P = `${D}/${enc(d.code)}/fees`;
  refused(await client(node).post(P, { amount: 8000, method: 'cash', receipt_no: 'A1' }), 401, 'auth.required', 'anonymous');
  refused(await client(node).get('/api/v1/fees'), 401, 'auth.required', 'anonymous book');
  refused(await (await as('chuyenvien')).post(P, { amount: 8000, method: 'cash', receipt_no: 'A1' }), 403, 'auth.role', 'specialist');
  refused(await (await as('lanhdao')).post(P, { amount: 8000, method: 'cash', receipt_no: 'A1' }), 403, 'auth.role', 'leader');
  refused(await (await as('chuyenvien')).get('/api/v1/fees'), 403, 'auth.role', 'specialist book');
  refused(await rec.post(P, { amount: 8000, method: 'cash', receipt_no: 'A1', exemption_reason: 'x'.repeat(2 << 20) }), 413, 'request.too_large', 'huge body');
  const key = { headers: { 'Idempotency-Key': 'fee-retry-0001' } };
  ok(await rec.post(P, { amount: 8000, method: 'cash', receipt_no: 'R-1' }, key), 201, 'first');
  const again = await rec.post(P, { amount: 8000, method: 'cash', receipt_no: 'R-1' }, key);
  ok(again, 201, 'retry');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.fees.length, 1, 'recorded once');
  refused(await rec.post(P, { amount: 9000, method: 'cash', receipt_no: 'R-2' }, key), 409, 'request.idempotency_reused', 'same key, other fee');
});

test('D. the fee book totals per day and per officer, each day per officer, per method', async () => {
  // Two days, two collectors, three methods.
  const days = [['2026-03-09 09:00', [['tiepnhan', 20000, 'cash'], ['tiepnhan', 30000, 'transfer'], ['quantri', 50000, 'online']]],
    ['2026-03-10 10:00', [['quantri', 7000, 'cash'], ['tiepnhan', 0, null]]]];
  for (const [clock, fees] of days) {
    await at(clock, async () => {
      let i = 0;
      for (const [who, amount, method] of fees) {
        const c = await as(who);
        const d = ok(await c.post(D, newDossier()), 201, 'receive');
        const body = amount ? { amount, method, receipt_no: `B${clock.slice(8, 10)}-${i++}` } : { amount: 0, exemption: 'full', exemption_reason: 'Người có công' };
        ok(await c.post(`${D}/${enc(d.code)}/fees`, body), 201, `fee by ${who}`);
      }
    });
  }
  const ld = await as('lanhdao');
  const b = ok(await ld.get('/api/v1/fees?from=2026-03-09&to=2026-03-10'), 200, 'fee book');
  assert.equal(b.from, '2026-03-09');
  assert.equal(b.to, '2026-03-10');
  const sum = (l) => l.reduce((s, [, a]) => s + a, 0);
  assert.equal(b.total.amount, sum(days[0][1]) + sum(days[1][1]));
  assert.equal(b.total.count, 5);
  assert.equal(b.total.exemptions, 1);
  assert.deepEqual(b.total.by_method, { cash: 27000, transfer: 30000, online: 50000, exempt: 0 });
  assert.deepEqual(b.days.map((x) => [x.date, x.count, x.amount]), [['2026-03-09', 3, 100000], ['2026-03-10', 2, 7000]]);
  const d9 = b.days[0].officers.map((o) => [o.login, o.count, o.amount]).sort();
  assert.deepEqual(d9, [['quantri', 1, 50000], ['tiepnhan', 2, 50000]]);
  const off = Object.fromEntries(b.officers.map((o) => [o.login, o.amount]));
  assert.deepEqual(off, { tiepnhan: 50000, quantri: 57000 });
  assert.equal(b.items.length, 5);
  const one = ok(await ld.get('/api/v1/fees?from=2026-03-10&to=2026-03-10'), 200, 'one day');
  assert.equal(one.total.amount, 7000);
  for (const q of ['from=2026-03-10&to=2026-03-09', 'from=2026-01-01&to=2026-03-10', 'from=yesterday', 'to=2026-02-30']) {
    refused(await ld.get('/api/v1/fees?' + q), 400, null, q);
  }
});

// ---- E. the result and its collection ----

test('E. the result\'s number and date at approval; who collected it, by authorisation, and how, at return', async () => {
  const d = await processing();
  const cv = await as('chuyenvien');
  await act(cv, d.code, { action: 'submit_approval', comment: 'Trình ký' });
  const ld = await as('lanhdao');
  const n0 = eventCount(node);
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_number: '15/QĐ-UBND', result_date: '2026-03-05' }), 400, 'dossier.bad_field', 'a result dated tomorrow');
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_number: '15/QĐ-UBND', result_date: '2026-02-30' }), 400, 'dossier.bad_field', 'no such date');
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_date: '2026-03-04' }), 400, 'dossier.bad_field', 'a date without a number');
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_number: 'x'.repeat(61) }), 400, null, 'a huge number');
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'send_back', comment: 'x', result_number: '15' }), 400, 'dossier.bad_field', 'a number with another action');
  assert.equal(eventCount(node), n0, 'nothing written');
  const x = await act(ld, d.code, { action: 'approve', result_number: '15/QĐ-UBND', result_date: '2026-03-04' });
  assert.equal(x.status, 'result_ready');
  assert.equal(x.result.number, '15/QĐ-UBND');
  assert.equal(x.result.date, '2026-03-04');
  assert.equal(x.result.recorded_by, 'lanhdao');
  assert.deepEqual(x.history.at(-1).result, { number: '15/QĐ-UBND', date: '2026-03-04' });
  assert.equal(x.collection, null);
  const rec = await as('tiepnhan');
  refused(await rec.post(`${D}/${enc(d.code)}/actions`, { action: 'return', collector: { name: 'Lê Văn Em', by_authorisation: true } }), 400, 'dossier.bad_field', 'authorisation without an ID');
  refused(await rec.post(`${D}/${enc(d.code)}/actions`, { action: 'return', collector: { name: 'Lê Văn Em', id_number: '12-34' } }), 400, null, 'a bad ID');
  refused(await rec.post(`${D}/${enc(d.code)}/actions`, { action: 'return', delivery: 'drone' }), 400, null, 'unknown delivery');
  refused(await rec.post(`${D}/${enc(d.code)}/actions`, { action: 'return', collector: 'Lê Văn Em' }), 400, 'request.bad_field', 'collector as text');
  const y = await act(rec, d.code, { action: 'return', collector: { name: 'Lê Văn Em', id_number: '025090009999', by_authorisation: true }, delivery: 'desk' });
  assert.equal(y.status, 'returned');
  assert.equal(y.collected_by, 'Lê Văn Em');
  const c = y.collection;
  assert.equal(c.name, 'Lê Văn Em');
  assert.equal(c.id_number, '025090009999');
  assert.equal(c.by_authorisation, true);
  assert.equal(c.delivery, 'desk');
  assert.equal(c.delivery_label, 'Tại Bộ phận Một cửa');
  assert.equal(c.returned_by, 'tiepnhan');
  assert.equal(y.history.at(-1).collection.delivery, 'desk');
  assert.equal(y.result.number, '15/QĐ-UBND', 'the result stays');
});

test('E. a result number on a dossier not ready is refused (409) and changes nothing; a postal return needs no one at the desk', async () => {
  const d = await processing();
  const ld = await as('lanhdao');
  const n0 = eventCount(node);
  refused(await ld.post(`${D}/${enc(d.code)}/actions`, { action: 'approve', result_number: '16/QĐ-UBND' }), 409, 'dossier.wrong_state', 'not awaiting approval');
  assert.equal(eventCount(node), n0);
  assert.equal((await get(ld, d.code)).result, null);
  const cv = await as('chuyenvien');
  await act(cv, d.code, { action: 'submit_approval' });
  await act(ld, d.code, { action: 'approve' });
  const y = await act(await as('tiepnhan'), d.code, { action: 'return', delivery: 'postal', comment: 'Gửi qua Bưu điện' });
  assert.equal(y.collection.delivery, 'postal');
  assert.equal(y.collection.by_authorisation, false);
  assert.equal(y.result, null, 'no number was given');
});

// ---- F. the public address ----

test('F. public_url: an absolute http(s) address set by the admin; anything else refused; "" unsets it', async () => {
  const admin = await as('quantri');
  assert.equal(ok(await admin.get('/api/v1/settings'), 200, 'settings').public_url, null);
  const s = ok(await admin.patch('/api/v1/settings', { public_url: 'https://motcua.kimboi.phutho.gov.vn/' }), 200, 'set');
  assert.equal(s.public_url, 'https://motcua.kimboi.phutho.gov.vn');
  const n0 = eventCount(node);
  for (const bad of ['ftp://x.vn', 'javascript:alert(1)', 'http://', '/tra-cuu', 'https://a b.vn', 'https://x.vn/?a=1', 'https://x.vn/#a', 'https://' + 'a'.repeat(200) + '.vn', 'motcua.vn']) {
    refused(await admin.patch('/api/v1/settings', { public_url: bad }), 400, null, bad);
  }
  refused(await admin.patch('/api/v1/settings', { public_url: 'ftp://x.vn', cutoff: '16:00' }), 400, null, 'a bad address with a good cut-off');
  assert.equal(eventCount(node), n0, 'nothing written');
  const after_ = ok(await (await as('tiepnhan')).get('/api/v1/settings'), 200, 'as reception');
  assert.equal(after_.public_url, 'https://motcua.kimboi.phutho.gov.vn');
  assert.equal(after_.cutoff, '15:00');
  refused(await (await as('tiepnhan')).patch('/api/v1/settings', { public_url: 'https://x.vn' }), 403, 'auth.role', 'reception');
  assert.equal(ok(await admin.patch('/api/v1/settings', { public_url: '' }), 200, 'unset').public_url, null);
});

test('records: the new fields keep their shape in lists (not there) and on one dossier (always there)', async () => {
  const admin = await as('quantri');
  const list = ok(await admin.get(`${D}?limit=3`), 200, 'list');
  for (const i of list.items) assert.equal(i.notices, undefined);
  const one = await get(admin, list.items[0].code);
  for (const k of ['notices', 'apology', 'overdue_legal', 'fees', 'fee_total', 'fee_default', 'result', 'collection']) assert.ok(k in one, k);
  assert.ok(applicant());
});
