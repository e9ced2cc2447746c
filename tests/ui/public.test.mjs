// The citizen's look-up on a 360-px phone: asks for the code when the URL
// has none, checks the 4 digits, says plainly when nothing matches, shows
// nothing personal.
import { test, before, after } from 'node:test';
import { launch, newPage, clean, shot, startNode, stopNode, assert, apiLogin, PHONE } from './helpers.mjs';

let node, browser, code;
before(async () => {
  node = await startNode(); browser = await launch();
  const c = await apiLogin(node, 'tiepnhan');
  const r = await c.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', summary: 'Đề nghị cấp giấy riêng tư',
    applicant: { name: 'Hà Thị Thu', id_number: '025090001234', phone: '0977111222', address: 'Xóm Chiềng, xã Kim Bôi' } });
  assert.equal(r.status, 201);
  code = r.json.code;
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

test('look-up from /tra-cuu: code and last 4 digits, on a phone', async () => {
  const page = await newPage(browser, node, PHONE);
  await page.goto(node.base + '/tra-cuu');
  await page.getByLabel('Mã hồ sơ').waitFor();
  await shot(page, 'public-form');
  // The digits are checked before asking the server.
  await page.getByLabel('Mã hồ sơ').fill(code);
  await page.getByLabel('4 số cuối').fill('12');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.getByText('Nhập đúng 4 chữ số cuối').waitFor();
  // A wrong phone answers like an unknown code.
  await page.getByLabel('4 số cuối').fill('9999');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.getByText('Không tìm thấy hồ sơ với mã và số điện thoại này').waitFor();
  await shot(page, 'public-not-found');
  await page.getByLabel('4 số cuối').fill('1222');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.locator('.result h2').waitFor();
  const text = await page.locator('.result').textContent();
  assert.ok(text.includes('Đã tiếp nhận') && text.includes(code));
  assert.match(text, /Nơi giải quyết\s*Xã Kim Bôi/, 'the office handling it');
  for (const secret of ['Hà Thị Thu', '0977111222', '025090001234', 'Xóm Chiềng', 'riêng tư']) assert.ok(!text.includes(secret), 'nothing personal: ' + secret);
  assert.equal(new URL(page.url()).pathname, '/tra-cuu/' + code, 'the URL now holds the code');
  assert.equal(await page.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0, 'no rating before the result');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'fits 360 px');
  await shot(page, 'public-result');
  page.problems = page.problems.filter((p) => !/status of 404/.test(p)); // the not-found answer itself
  clean(page);
  await page.context().close();
});

test('look-up from /tra-cuu/{code} asks only for the digits', async () => {
  const page = await newPage(browser, node, PHONE);
  await page.goto(node.base + '/tra-cuu/' + encodeURIComponent(code));
  await page.getByLabel('4 số cuối').waitFor();
  assert.equal(await page.getByLabel('Mã hồ sơ').isVisible(), false, 'the code field is hidden');
  assert.ok(await page.getByText(code).isVisible());
  assert.equal(await page.evaluate(() => document.activeElement.name), 'phone', 'the digits field has the focus');
  await page.keyboard.type('1222');
  await page.keyboard.press('Enter');
  await page.locator('.result h2').waitFor();
  assert.ok(await page.locator('ol.steps li').count() >= 1);
  clean(page);
  await page.context().close();
});
