// records.test.mjs - what the officer sees of issue 10's records (items 4 5
// 6, fees, result, look-up address): the apology on an overdue dossier with
// its warning and the receipt that keeps the original appointment; who
// signed each notice; the checklist by channel and case; the fee form and
// the fee book; the result number and who collected it; the public address
// on the receipt.
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, act, openDossier, apiLogin, fillReception } from './helpers.mjs';

let node, browser, recv, admin;
before(async () => {
  node = await startNode(); browser = await launch();
  recv = await apiLogin(node, 'tiepnhan');
  admin = await apiLogin(node, 'quantri');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const enc = encodeURIComponent;
const p2 = (n) => String(n).padStart(2, '0');
// dd/mm/yyyy HH:MM of an ISO time, in Vietnam time, as the UI writes it.
function vn(iso) {
  const d = new Date(Date.parse(iso) + 7 * 3600e3);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

// A dossier received through the API (back-dated by the admin when `ago`
// days is given) and assigned to chuyenvien.
async function processing({ ago = 0, procedure = '1.000253', phone = '0912345678' } = {}) {
  const body = { procedure, channel: 'direct', applicant: { name: 'Đỗ Văn Hùng', id_number: '025090001234', phone } };
  if (ago) {
    const t = new Date(Date.now() - ago * 864e5 + 7 * 3600e3);
    body.received_at = `${t.getUTCFullYear()}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}T08:00`;
  }
  const r = await (ago ? admin : recv).post('/api/v1/dossiers', body);
  assert.equal(r.status, 201, r.text);
  const a = await recv.post(`/api/v1/dossiers/${enc(r.json.code)}/actions`, { action: 'assign', to: 'chuyenvien' });
  assert.equal(a.status, 200, a.text);
  return a.json;
}

test('an apology on an overdue dossier: offered, warned, recorded late; the receipt printed again keeps the original appointment', async () => {
  const d = await processing({ ago: 40 });
  assert.equal(d.overdue, true, 'precondition: overdue');
  const page = await newPage(browser, node);
  await signIn(page, 'lanhdao');
  await openDossier(page, d.code);
  await page.locator('#act-buttons button[data-action="apology"]').click();
  await page.locator('form[data-form="apology"] .msg-warn', { hasText: 'đã quá hạn' }).waitFor();
  await page.getByRole('button', { name: 'Huỷ' }).click();
  const nd = new Date(Date.now() + 10 * 864e5 + 7 * 3600e3);
  const day = `${p2(nd.getUTCDate())}/${p2(nd.getUTCMonth() + 1)}/${nd.getUTCFullYear()}`;
  await act(page, 'apology', { new_due_date: day, new_due_time: '16:30', comment: 'Chậm do chờ kết quả xác minh' });
  const panel = page.locator('#apology');
  await panel.waitFor();
  assert.match(await panel.locator('.msg-warn').textContent(), /quá hạn/);
  const text = await panel.textContent();
  assert.ok(text.includes(vn(d.due_at)), 'the original appointment: ' + text);
  assert.ok(text.includes(`${day} 16:30`), 'the new appointment');
  assert.ok(text.includes('sau khi đã quá hạn'));
  assert.ok(text.includes('Hoàng Văn Dũng'), 'the signer');
  await shot(page, 'dossier-apology-late');
  await go(page, `#/ho-so/${enc(d.code)}/phieu`);
  assert.equal((await page.locator('#rc-due').textContent()).trim(), vn(d.due_legal), 'the receipt keeps the original appointment');
  clean(page); await page.context().close();
});

test('each notice shows who signed it: the specialist for a supplement asked in processing', async () => {
  const d = await processing({ phone: '0912000222' });
  const page = await newPage(browser, node);
  await signIn(page, 'chuyenvien');
  await openDossier(page, d.code);
  await act(page, 'request_supplement', { comment: 'Bổ sung xác nhận của trưởng thôn' });
  const n = page.locator('#notices li[data-kind="request_supplement"]');
  await n.waitFor();
  assert.match(await n.locator('.notice-issuer').textContent(), /Trần Văn Minh — Chuyên viên/);
  assert.match(await page.locator('ol.timeline').textContent(), /Người ký văn bản: Trần Văn Minh \(Chuyên viên\)/);
  await shot(page, 'dossier-notices');
  // The notice printed again is signed by its issuer, not the desk officer.
  await go(page, `#/ho-so/${enc(d.code)}/phieu`);
  await page.locator('.receipt h2', { hasText: 'PHIẾU YÊU CẦU BỔ SUNG' }).waitFor();
  assert.match(await page.locator('.receipt').textContent(), /Người lập phiếu\s*Trần Văn Minh/);
  clean(page); await page.context().close();
});

test('the checklist depends on the channel: online-only papers are not offered at the desk; cases are listed as conditional', async () => {
  const page = await newPage(browser, node);
  await signIn(page, 'tiepnhan');
  await fillReception(page, { query: 'dang ky khai sinh', pick: '1.001193', tick: 'none' });
  const boxes = page.locator('.checklist .chk');
  const labels = await boxes.allTextContents();
  assert.ok(labels.length > 0);
  assert.ok(!labels.some((t) => /điện tử tương tác/i.test(t)), 'no online-only paper offered at the desk');
  assert.ok(await page.locator('#other-channel').getByText(/Mẫu hộ tịch điện tử tương tác/).count() > 0, 'listed apart for the other channels');
  await page.locator('#cond-head').waitFor();
  const cond = await page.locator('.checklist .chk[data-required="false"]').allTextContents();
  assert.ok(cond.some((t) => /^Trường hợp/.test(t.trim())), 'a case is listed as conditional: ' + cond.slice(0, 3).join(' | '));
  const req = await page.locator('.checklist .chk[data-required="true"]').allTextContents();
  assert.ok(!req.some((t) => /^Trường hợp/.test(t.trim())), 'no case among the required papers');
  await shot(page, 'reception-checklist-direct');
  await page.locator('select[name="channel"]').selectOption('online');
  const online = await page.locator('.checklist .chk').allTextContents();
  assert.ok(online.some((t) => /điện tử tương tác/i.test(t)), 'offered for an online filing');
  // A supplement asked at the desk lists the required papers in full.
  await page.locator('select[name="channel"]').selectOption('direct');
  await page.getByRole('button', { name: 'Yêu cầu bổ sung', exact: true }).click();
  const ta = await page.locator('[data-form="request_supplement"] textarea').inputValue();
  assert.ok(!ta.includes('…'), 'nothing cut: ' + ta.slice(0, 200));
  for (const t of req.slice(0, 3)) {
    const name = t.replace(/ — .*$/s, '').trim();
    assert.ok(ta.includes(name) || /theo danh sách kèm theo/.test(ta), 'each name whole: ' + name.slice(0, 60));
  }
  clean(page); await page.context().close();
});

test('fees: the commune list\'s amount pre-filled, bad input caught, recorded with its receipt; the fee book totals it', async () => {
  const d = await processing({ procedure: '2.000635', phone: '0912000333' }); // 8,000 đồng on the demo commune's list
  const page = await newPage(browser, node);
  await signIn(page, 'tiepnhan');
  await openDossier(page, d.code);
  await page.locator('#fee-open').click();
  const form = page.locator('form[data-form="fee"]');
  assert.equal(await form.locator('[name="amount"]').inputValue(), '8000', 'the commune list\'s amount');
  await form.locator('button[type=submit]').click();
  await form.getByText('Nhập số biên lai').waitFor();
  await form.locator('[name="amount"]').fill('-5');
  await form.locator('[name="receipt_no"]').fill('BL-7001');
  await form.locator('button[type=submit]').click();
  await form.getByText('Nhập số tiền bằng chữ số').waitFor();
  await form.locator('[name="amount"]').fill('70000');
  await form.locator('[name="method"]').selectOption('transfer');
  await form.locator('button[type=submit]').click();
  await page.locator('.msg-ok', { hasText: 'Đã ghi khoản thu' }).waitFor();
  assert.equal((await page.locator('#fee-total').textContent()).trim(), '70.000 đ');
  const row = await page.locator('#fees tbody tr').first().textContent();
  assert.ok(row.includes('Chuyển khoản') && row.includes('BL-7001') && row.includes('Nguyễn Thị Lan'), row);
  assert.ok((await page.locator('ol.timeline').textContent()).includes('Thu phí, lệ phí'));
  await shot(page, 'dossier-fees');
  await go(page, '#/so-thu-phi');
  const book = (await recv.get('/api/v1/fees')).json;
  assert.equal((await page.locator('#fees-total').textContent()).trim(), String(book.total.amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.') + ' đ');
  assert.ok(await page.locator('#fee-book tr[data-login="tiepnhan"]').count() >= 1);
  await shot(page, 'fee-book');
  clean(page); await page.context().close();
});

test('the result: its number at approval, who collected it at return, shown on the dossier page', async () => {
  const d = await processing({ phone: '0912000444' });
  const cv = await apiLogin(node, 'chuyenvien');
  assert.equal((await cv.post(`/api/v1/dossiers/${enc(d.code)}/actions`, { action: 'submit_approval' })).status, 200);
  const page = await newPage(browser, node);
  await signIn(page, 'lanhdao');
  await openDossier(page, d.code);
  await act(page, 'approve', { result_number: '27/GCN-UBND' });
  assert.equal((await page.locator('#result .result-number').textContent()).trim(), '27/GCN-UBND');
  clean(page); await page.context().close();
  const rp = await newPage(browser, node);
  await signIn(rp, 'tiepnhan');
  await openDossier(rp, d.code);
  await rp.locator('#act-buttons button[data-action="return"]').click();
  const f = rp.locator('form[data-form="return"]');
  await f.locator('[name="collected_by"]').fill('Lê Văn Em');
  await f.locator('[name="collector_id"]').fill('');
  await f.locator('[name="by_authorisation"]').check();
  await f.locator('button[type=submit]').click();
  await f.getByText('Nhận theo uỷ quyền: nhập số giấy tờ').waitFor();
  await f.locator('[name="collector_id"]').fill('025090009999');
  await rp.evaluate(() => document.querySelectorAll('.msg-ok').forEach((m) => m.setAttribute('data-old', '')));
  await f.locator('button[type=submit]').click();
  await rp.locator('.msg-ok:not([data-old])', { hasText: 'Đã thực hiện' }).waitFor();
  const r = await rp.locator('#result').textContent();
  assert.ok(r.includes('Lê Văn Em') && r.includes('nhận theo uỷ quyền') && r.includes('025090009999') && r.includes('Tại Bộ phận Một cửa'), r);
  await shot(rp, 'dossier-result');
  clean(rp); await rp.context().close();
});

test('public_url: the admin is told it is unset; once set, the receipt prints it as the look-up address', async () => {
  const d = await processing({ phone: '0912000555' });
  const page = await newPage(browser, node);
  await signIn(page, 'quantri');
  await go(page, '#/quan-tri/gio-lam-viec');
  await page.locator('#public-url .msg-warn').waitFor();
  await go(page, `#/ho-so/${enc(d.code)}/phieu`);
  await page.locator('#public-url-hint').waitFor();
  assert.ok((await page.locator('#rc-url').textContent()).startsWith(page.base), 'unset: the address the page was opened at');
  await go(page, '#/quan-tri/gio-lam-viec');
  await page.locator('#public-url [name="public_url"]').fill('ftp://x');
  await page.locator('#public-url button[type=submit]').click();
  await page.locator('#public-url').getByText('bắt đầu bằng http').waitFor();
  await page.locator('#public-url [name="public_url"]').fill('https://motcua.kimboi.phutho.gov.vn');
  await page.locator('#public-url button[type=submit]').click();
  await page.locator('#public-url .msg-ok').waitFor();
  await shot(page, 'settings-public-url');
  await go(page, `#/ho-so/${enc(d.code)}/phieu`);
  assert.equal((await page.locator('#rc-url').textContent()).trim(), 'https://motcua.kimboi.phutho.gov.vn/tra-cuu/' + enc(d.code));
  assert.equal(await page.locator('#public-url-hint').count(), 0);
  // Unset again: back to today's behaviour.
  const s = await admin.patch('/api/v1/settings', { public_url: '' });
  assert.equal(s.json.public_url, null);
  clean(page); await page.context().close();
});
