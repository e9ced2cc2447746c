// The commune's own procedure list (issue 10): the administrator fills a
// procedure with no time, disables one, imports a CSV file; reception then
// offers exactly the enabled ones; the dossier page shows each step's own
// due time. Screenshots of the editor at 1366 and 360 px.
import { test, before, after } from 'node:test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, settled, apiLogin } from './helpers.mjs';

let node, browser, page;
const WIDE = { width: 1366, height: 900 };
before(async () => {
  node = await startNode(); browser = await launch();
  page = await newPage(browser, node, WIDE);
  await signIn(page, 'quantri');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

async function pickerCodes(p, q) {
  await go(p, '#/tiep-nhan');
  await p.getByLabel('Tìm thủ tục theo mã hoặc tên').fill(q);
  await p.waitForFunction((qq) => { const s = document.querySelector('.presults .sub, .presults .empty'); return s && document.querySelector('input[name=proc-q]').value === qq && !document.querySelector('.presults .loading'); }, q);
  await p.waitForTimeout(400); // the picker searches 250 ms after the last key
  await settled(p);
  return p.locator('button.pick').evaluateAll((bs) => bs.map((b) => b.dataset.code));
}

test('a procedure with no time is filled from the review list and becomes receivable', async () => {
  await go(page, '#/quan-tri/danh-muc-xa');
  const row = page.locator('#local-missing tr[data-code="2.001019"]');
  await row.waitFor();
  await row.getByRole('button', { name: 'Bổ sung' }).click();
  const form = page.locator('#local-edit form[data-code="2.001019"]');
  await form.waitFor();
  await form.getByLabel('Áp dụng tại xã').selectOption('true');
  await form.getByLabel('Đơn vị Trực tiếp').selectOption('working_days');
  await form.getByLabel('Thời hạn Trực tiếp').fill('2');
  await form.getByRole('button', { name: 'Dùng quy trình mẫu' }).click();
  await form.getByLabel('Đơn vị xử lý').fill('Công chức Tư pháp - Hộ tịch');
  await form.getByLabel('Căn cứ (số, ngày quyết định công bố) *').fill('Quyết định 77/QĐ-UBND ngày 05/01/2026');
  await shot(page, 'local-editor-1366');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await page.getByText('Đã lưu thủ tục 2.001019 (phiên bản 1).').waitFor();
  const listed = page.locator('#local-list tr[data-code="2.001019"]');
  assert.match(await listed.textContent(), /Áp dụng.*2 ngày làm việc.*Công chức Tư pháp - Hộ tịch.*Quyết định 77/);
  assert.equal(await page.locator('#local-missing tr[data-code="2.001019"]').count(), 0, 'it leaves the review list');
  await shot(page, 'local-list-1366');
  clean(page);

  const rp = await newPage(browser, node, WIDE);
  await signIn(rp, 'tiepnhan');
  assert.ok((await pickerCodes(rp, '2.001019')).includes('2.001019'));
  clean(rp);
  await rp.context().close();
});

test('shares that do not add up to 100 are refused before anything is sent', async () => {
  await go(page, '#/quan-tri/danh-muc-xa?ma=1.001193');
  const form = page.locator('#local-edit form[data-code="1.001193"]');
  await form.waitFor();
  let puts = 0;
  const count = (r) => { if (r.method() === 'PUT') puts++; };
  page.on('request', count);
  await form.locator('input[name=share]').first().fill('50');
  await form.getByText('phải bằng 100%').waitFor();
  await form.getByRole('button', { name: 'Lưu' }).click();
  await form.locator('.msg-err', { hasText: 'Tổng tỉ lệ thời gian các bước phải bằng 100%.' }).waitFor();
  page.off('request', count);
  assert.equal(puts, 0);
  clean(page);
});

test('a disabled procedure leaves the reception picker', async () => {
  await go(page, '#/quan-tri/danh-muc-xa?ma=2.000815');
  const form = page.locator('#local-edit form[data-code="2.000815"]');
  await form.waitFor();
  await form.getByLabel('Áp dụng tại xã').selectOption('false');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await page.getByText(/Đã lưu thủ tục 2\.000815 \(phiên bản \d+\)\./).waitFor();
  assert.match(await page.locator('#local-list tr[data-code="2.000815"]').textContent(), /Không áp dụng/);
  const rp = await newPage(browser, node, WIDE);
  await signIn(rp, 'tiepnhan');
  assert.deepEqual(await pickerCodes(rp, '2.000815'), []);
  await rp.getByText('Không có thủ tục nào khớp').waitFor();
  clean(rp);
  await rp.context().close();
  clean(page);
});

test('a CSV file imports through the form', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-local-'));
  const f = join(dir, 'danh-muc.csv');
  writeFileSync(f, 'code,enabled,fee,source\n2.001016,1,50000,Quyết định 78/QĐ-UBND ngày 06/01/2026\n');
  await go(page, '#/quan-tri/danh-muc-xa');
  const form = page.locator('form[data-import="/local-procedures/import"]');
  await form.locator('input[type=file]').setInputFiles(f);
  await form.getByRole('button', { name: 'Nhập tệp' }).click();
  await page.getByText('Đã nhập tệp: 1 thủ tục thay đổi.').waitFor();
  assert.match(await page.locator('#local-list tr[data-code="2.001016"]').textContent(), /Áp dụng.*50\.000 đ.*Quyết định 78/);
  clean(page);
});

test('the editor fits a 360 px phone', async () => {
  const pp = await newPage(browser, node, { width: 360, height: 740 });
  await signIn(pp, 'quantri');
  await go(pp, '#/quan-tri/danh-muc-xa?ma=2.000635');
  await pp.locator('#local-edit form[data-code="2.000635"]').waitFor();
  await pp.locator('#local-edit').scrollIntoViewIfNeeded();
  await shot(pp, 'local-editor-360', { full: false });
  // Nothing of the editor outside its scrolling tables is wider than the
  // box it sits in, nor is the page.
  const over = await pp.evaluate(() => [...document.querySelectorAll('#local-edit form *')]
    .filter((e) => !e.closest('.tablewrap') && !['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
    .map((e) => e.tagName + '.' + e.className));
  assert.deepEqual(over, []);
  const wide = await pp.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `no sideways scrolling of the page (${wide} px)`);
  const tables = await pp.locator('#local-edit .tablewrap').count();
  assert.ok(tables >= 2, 'times and steps scroll inside their own boxes');
  clean(pp);
  await pp.context().close();
});

test('the dossier page shows each step with its own due time', async () => {
  const c = await apiLogin(node, 'quantri');
  const list = await c.get('/api/v1/dossiers?status=returned&limit=20');
  let code = null;
  for (const d of list.json.items) {
    const g = await c.get('/api/v1/dossiers/' + encodeURIComponent(d.code));
    if (g.json.steps.length) { code = d.code; break; }
  }
  assert.ok(code, 'a returned demo dossier of a procedure with steps');
  await go(page, '#/ho-so/' + encodeURIComponent(code));
  const rows = page.locator('#step-dues tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 4);
  assert.match(await rows.first().textContent(), /Tiếp nhận.*10%/);
  for (let i = 0; i < 4; i++) assert.match(await rows.nth(i).textContent(), /Trước hạn|Đúng hạn|Quá hạn/);
  await shot(page, 'dossier-steps-1366');
  clean(page);
});
