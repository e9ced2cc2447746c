// Processing: an apology with a new date, what a specialist may and may not
// do next to a leader, send back and stop with a reason, the supervisor
// who only reads.
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, signOut, startNode, stopNode, assert, act, state, openDossier, apiLogin, lookup } from './helpers.mjs';

let node, browser, recv;
before(async () => {
  node = await startNode(); browser = await launch();
  recv = await apiLogin(node, 'tiepnhan');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

// A dossier set up through the API, assigned to chuyenvien.
async function processing(phone = '0912345678') {
  const r = await recv.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { name: 'Đỗ Văn Hùng', id_number: '025090001234', phone } });
  assert.equal(r.status, 201);
  const a = await recv.post(`/api/v1/dossiers/${encodeURIComponent(r.json.code)}/actions`, { action: 'assign', to: 'chuyenvien' });
  assert.equal(a.status, 200);
  return a.json;
}
const LEADER_ONLY = ['approve', 'send_back', 'reassign', 'stop', 'assign'];

test('the specialist makes an apology with a new date', async () => {
  const d = await processing('0912000111');
  const page = await newPage(browser, node);
  await signIn(page, 'chuyenvien');
  await openDossier(page, d.code);
  // The new date: five days after the current appointment.
  const due = new Date(Date.parse(d.due_at) + 5 * 864e5 + 7 * 3600e3);
  const p2 = (n) => String(n).padStart(2, '0');
  const day = `${p2(due.getUTCDate())}/${p2(due.getUTCMonth() + 1)}/${due.getUTCFullYear()}`;
  // A date before the current appointment is caught in the form.
  await page.locator('#act-buttons button[data-action="apology"]').click();
  await page.locator('[name="new_due_date"]').fill('01/01/2020');
  await page.locator('[name="comment"]').fill('Cần xác minh thêm với cơ quan công an');
  await page.locator('form[data-form="apology"] button[type=submit]').click();
  await page.getByText('Ngày hẹn mới phải sau ngày hẹn hiện tại').waitFor();
  await shot(page, 'dossier-apology-form');
  await page.getByRole('button', { name: 'Huỷ' }).click();
  await act(page, 'apology', { new_due_date: day, new_due_time: '16:30', comment: 'Cần xác minh thêm với cơ quan công an' });
  assert.equal(await state(page), 'Đang xử lý');
  const kv = await page.locator('dl.kv').first().textContent();
  assert.ok(kv.includes(`Hẹn trả kết quả${day} 16:30`), 'the new appointment is shown: ' + kv);
  assert.ok(kv.includes('Hạn theo quy định'), 'the legal due time is still shown');
  assert.ok(kv.includes('Đã xin lỗi, hẹn lại'));
  assert.ok(await page.locator('ol.timeline').getByText('Xin lỗi và hẹn lại').isVisible());
  assert.equal(await page.locator('#act-buttons button[data-action="apology"]').count(), 0, 'an apology is made once');
  await shot(page, 'dossier-apology-done');
  const pub = await newPage(browser, node);
  await lookup(pub, d.code, '0111');
  assert.ok((await pub.locator('.result').textContent()).includes(`${day} 16:30`), 'the citizen sees the new date');
  clean(pub); clean(page);
  await pub.context().close(); await page.context().close();
});

test('a specialist sees no leader actions; the leader does', async () => {
  const d = await processing();
  const page = await newPage(browser, node);
  await signIn(page, 'chuyenvien');
  await openDossier(page, d.code);
  let acts = await page.locator('#act-buttons button').evaluateAll((b) => b.map((x) => x.dataset.action));
  for (const a of LEADER_ONLY) assert.ok(!acts.includes(a), `specialist has no ${a}: ${acts}`);
  assert.ok(acts.includes('submit_approval') && acts.includes('request_supplement'), 'but has own work: ' + acts);
  await act(page, 'submit_approval');
  acts = await page.locator('#act-buttons button').evaluateAll((b) => b.map((x) => x.dataset.action));
  for (const a of LEADER_ONLY) assert.ok(!acts.includes(a), `specialist has no ${a} while awaiting approval: ${acts}`);
  await shot(page, 'dossier-awaiting-specialist');
  // Nor a leader's queue in the menu, and the route itself shows nothing to act on.
  assert.equal(await page.locator('nav.side a', { hasText: 'Chờ phê duyệt' }).count(), 0);
  // A dossier of someone else: no actions at all.
  const other = (await recv.get('/api/v1/dossiers?status=processing&limit=50')).json.items.find((x) => x.assignee !== 'chuyenvien');
  if (other) {
    await openDossier(page, other.code);
    assert.equal(await page.locator('#act-buttons button').count(), 0, 'nothing to do on a colleague’s dossier');
  }
  await signOut(page);

  await signIn(page, 'lanhdao');
  await openDossier(page, d.code);
  acts = await page.locator('#act-buttons button').evaluateAll((b) => b.map((x) => x.dataset.action));
  for (const a of ['approve', 'send_back', 'reassign', 'stop']) assert.ok(acts.includes(a), `leader has ${a}: ${acts}`);
  assert.ok(!acts.includes('submit_approval'), 'the leader does not submit for approval');
  await shot(page, 'dossier-awaiting-leader');
  // Send back needs a reason.
  await page.locator('#act-buttons button[data-action="send_back"]').click();
  await page.locator('form[data-form="send_back"] button[type=submit]').click();
  await page.getByText('Nhập lý do trả lại.').waitFor();
  await act(page, 'send_back', { comment: 'Thiếu ý kiến của công an xã' });
  assert.equal(await state(page), 'Đang xử lý');
  // Reassign: the leader picks from the staff directory, by name.
  await page.locator('#act-buttons button[data-action="reassign"]').click();
  await page.locator('form[data-form="reassign"] select[name="to"] option').nth(1).waitFor({ state: 'attached' }); // the list comes from /staff
  const opts = await page.locator('form[data-form="reassign"] select[name="to"] option').allTextContents();
  assert.ok(opts.some((o) => o.includes('Trần Văn Minh (chuyenvien')), 'specialists listed by name: ' + opts);
  assert.ok(!opts.some((o) => /quantri|tiepnhan|giamsat/.test(o)), 'only specialists and leaders: ' + opts);
  await page.getByRole('button', { name: 'Huỷ' }).click();
  await act(page, 'reassign', { to: 'chuyenvien' });
  assert.match(await page.locator('.timeline').textContent(), /giao cho: Trần Văn Minh \(chuyenvien\)/, 'the history names the officer');
  // Stop with a reason.
  await act(page, 'stop', { comment: 'Người nộp đề nghị dừng' });
  assert.equal(await state(page), 'Dừng xử lý');
  clean(page);
  await page.context().close();
});

test('an action the server refuses shows its message', async () => {
  const d = await processing();
  const page = await newPage(browser, node);
  await signIn(page, 'lanhdao');
  await openDossier(page, d.code);
  // An officer who is in the list when the form opens and disabled before it is sent.
  const admin = await apiLogin(node, 'quantri');
  const login = 'cv' + Date.now().toString(36);
  assert.equal((await admin.post('/api/v1/users', { login, name: 'Lưu Thị Tạm', role: 'specialist', password: 'mat-khau-tam-1' })).status, 201);
  await page.locator('#act-buttons button[data-action="reassign"]').click();
  await page.locator('form[data-form="reassign"] select[name="to"]').selectOption(login);
  assert.equal((await admin.patch('/api/v1/users/' + login, { disabled: true })).status, 200);
  await page.locator('form[data-form="reassign"] button[type=submit]').click();
  const msg = page.locator('form[data-form="reassign"] .msg-err');
  await msg.waitFor();
  assert.equal(await msg.textContent(), `Tài khoản cán bộ «${login}» đã bị khoá.`, 'the refusal, in Vietnamese');
  await shot(page, 'dossier-action-error');
  page.problems = page.problems.filter((p) => !/status of 4\d\d/.test(p)); // the refused request itself
  clean(page);
  await page.context().close();
});

test('the supervisor reads everything and is offered no action', async () => {
  const d = await processing();
  const page = await newPage(browser, node);
  await signIn(page, 'giamsat');
  await openDossier(page, d.code);
  assert.equal(await page.locator('#act-buttons').count(), 0);
  assert.ok(await page.getByText('Vai trò giám sát chỉ xem').isVisible());
  await go(page, '#/ds/qua-han');
  await page.locator('tbody tr').first().waitFor();
  await shot(page, 'list-overdue-supervisor');
  // Most overdue first.
  const dues = (await page.locator('tbody td.when').allTextContents()).map((t) => {
    const m = /(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d)/.exec(t);
    return `${m[3]}-${m[2]}-${m[1]} ${m[4]}:${m[5]}`;
  });
  assert.ok(dues.length > 2);
  assert.deepEqual(dues, [...dues].sort(), 'overdue list sorted by due time: ' + dues.join(', '));
  await go(page, '#/tim-kiem?status=processing&overdue=true');
  await page.locator('tbody tr').first().waitFor();
  const states = await page.locator('tbody .badge').allTextContents();
  assert.ok(states.length && states.every((s) => s === 'Đang xử lý'), 'filters apply: ' + states);
  assert.equal(await page.locator('[name="status"]').inputValue(), 'processing');
  assert.ok(await page.locator('#f-overdue').isChecked());
  await shot(page, 'search-filters');
  // Typed without diacritics, found server-side.
  await page.getByRole('link', { name: 'Xoá điều kiện' }).click();
  await page.waitForFunction(() => location.hash === '#/tim-kiem' && document.querySelector('[name="status"]').value === '');
  await page.getByLabel('Từ khoá').fill('do van hung');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.locator(`tr[data-code="${d.code}"]`).waitFor();
  assert.ok((await page.locator('tbody .aname').allTextContents()).every((n) => n === 'Đỗ Văn Hùng'));
  // A date typed wrong is caught in the form.
  await page.getByLabel('Tiếp nhận từ ngày').fill('31/02/2026');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.getByText('Ngày không đúng hoặc không có thật').waitFor();
  // A field typed without diacritics is the catalog's field.
  await page.getByLabel('Tiếp nhận từ ngày').fill('');
  await page.getByLabel('Từ khoá').fill('');
  await page.getByLabel('Lĩnh vực').fill('ho tich');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.waitForFunction(() => new URLSearchParams(location.hash.split('?')[1] || '').get('field') === 'Hộ tịch');
  clean(page);
  await page.context().close();
});
