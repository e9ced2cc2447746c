// Signing in for each demo role, a wrong password, signing out, a reload
// that keeps the session; what each role's menu offers.
import { test, before, after } from 'node:test';
import { launch, newPage, clean, shot, signIn, signOut, startNode, stopNode, assert, settled } from './helpers.mjs';

let node, browser;
before(async () => { node = await startNode(); browser = await launch(); });
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const ROLES = [
  ['tiepnhan', 'Nguyễn Thị Lan', 'Cán bộ tiếp nhận', ['Tiếp nhận hồ sơ', 'Trả kết quả'], ['Chờ phê duyệt', 'Người dùng']],
  ['chuyenvien', 'Trần Văn Minh', 'Chuyên viên', ['Hồ sơ của tôi'], ['Tiếp nhận hồ sơ', 'Chờ phê duyệt', 'Chờ phân công', 'Người dùng']],
  ['lanhdao', 'Hoàng Văn Dũng', 'Lãnh đạo', ['Chờ phê duyệt', 'Chờ phân công'], ['Tiếp nhận hồ sơ', 'Người dùng']],
  ['quantri', 'Lê Thị Hoa', 'Quản trị', ['Tiếp nhận hồ sơ', 'Chờ phê duyệt', 'Người dùng', 'Giờ làm việc'], []],
  ['giamsat', 'Phạm Quốc Bảo', 'Giám sát', ['Quá hạn', 'Tìm kiếm hồ sơ'], ['Tiếp nhận hồ sơ', 'Chờ phê duyệt', 'Người dùng']],
];

for (const [login, name, label, has, hasNot] of ROLES) {
  test(`${login} signs in and sees a home screen for the role`, async () => {
    const page = await newPage(browser, node);
    await signIn(page, login);
    assert.equal((await page.locator('header .uname').textContent()).trim(), name);
    assert.equal((await page.locator('header .urole').textContent()).trim(), label);
    const menu = (await page.locator('nav.side a').allTextContents()).map((s) => s.trim());
    for (const m of has) assert.ok(menu.includes(m), `${login} menu has ${m}: ${menu}`);
    for (const m of hasNot) assert.ok(!menu.includes(m), `${login} menu lacks ${m}: ${menu}`);
    assert.ok(await page.locator('.kpi-over').count() === 1, 'the overdue count is shown');
    await settled(page);
    assert.ok(await page.locator('section.panel-over tbody tr').count() > 0, 'the demo has overdue dossiers listed');
    await shot(page, `home-${login}`);
    // The home screen fits 1024 px without sideways scrolling.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 1024), 'no horizontal scroll at 1024');
    // "Làm mới" redraws the home screen with fresh counts.
    await page.evaluate(() => document.querySelector('.cards').setAttribute('data-old', ''));
    await page.getByRole('button', { name: 'Làm mới' }).click();
    await page.locator('.cards:not([data-old])').waitFor();
    await settled(page);
    await page.reload();
    await page.locator('h1', { hasText: 'Xin chào' }).waitFor();
    await signOut(page);
    assert.ok(await page.getByText('Bạn đã đăng xuất.').isVisible());
    clean(page);
    await page.context().close();
  });
}

test('a wrong password is refused with a clear message', async () => {
  const page = await newPage(browser, node);
  await page.goto(node.base + '/');
  await page.getByLabel('Tên đăng nhập').fill('tiepnhan');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByText('Sai tên đăng nhập hoặc mật khẩu.').waitFor();
  assert.equal(await page.locator('header.top').count(), 0, 'not signed in');
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  await shot(page, 'login-wrong-password');
  // The one expected failure: the 401 answer itself.
  page.problems = page.problems.filter((p) => !/status of 401/.test(p));
  clean(page);
  await page.getByLabel('Mật khẩu').fill('');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByText('Nhập tên đăng nhập và mật khẩu.').waitFor();
  await page.context().close();
});

test('the login page shows no error before signing in, and works from the keyboard', async () => {
  const page = await newPage(browser, node);
  await page.goto(node.base + '/');
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
  await shot(page, 'login');
  // The login field has the focus; Tab moves to the password; Enter signs in.
  await page.keyboard.type('lanhdao');
  await page.keyboard.press('Tab');
  await page.keyboard.type('motcua-demo');
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Xin chào' }).waitFor();
  // The content has the focus; Tab goes on to "Làm mới", then to the first count card.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'refresh');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => !!document.activeElement.closest('main .kpi a')), 'Tab reaches the counts');
  await page.keyboard.press('Enter');
  await page.locator('main h1', { hasText: 'Hồ sơ chờ phê duyệt' }).waitFor();
  clean(page);
  await page.context().close();
});
