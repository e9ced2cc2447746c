// helpers.mjs - shared by the browser tests: Debian's chromium driven by
// playwright-core, a fresh demo node per test file (tests/api/harness.mjs),
// pages that fail the test on any console error, page error or dialog.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { ROOT, PASSWORD, startNode, stopNode, login as apiLogin } from '../api/harness.mjs';

export { ROOT, PASSWORD, startNode, stopNode, apiLogin, assert };
export const SHOTS = join(ROOT, 'build', 'screenshots');
export const DESKTOP = { width: 1024, height: 768 };
export const PHONE = { width: 360, height: 740 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// A page that records problems; check(page) asserts there were none.
export async function newPage(browser, node, viewport = DESKTOP) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'America/New_York' });
  const page = await ctx.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('dialog', (d) => { page.problems.push('dialog opened: ' + d.type() + ' ' + d.message()); d.dismiss().catch(() => {}); });
  page.setDefaultTimeout(10000);
  page.base = node.base;
  return page;
}

export function clean(page) {
  assert.deepEqual(page.problems, [], 'no console errors, page errors or dialogs');
}

export async function shot(page, name, opts = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: opts.full !== false });
}

// Signs in through the form and waits for the home screen.
export async function signIn(page, user, password = PASSWORD) {
  await page.goto(page.base + '/');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('h1', { hasText: 'Xin chào' }).waitFor();
  await page.locator('.plist .loading').first().waitFor({ state: 'detached' }).catch(() => {});
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
}

// Waits until no list on the page is still loading.
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.loading'));
}

// Goes to a screen of the staff app and waits until it has loaded (not the
// screen before it: hash changes keep the document).
export async function go(page, hash) {
  const same = await page.evaluate((h) => {
    const v = document.querySelector('main .view');
    if (v) v.setAttribute('data-old', '');
    return !!v && location.hash === h;
  }, hash);
  if (same) await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  else await page.goto(page.base + '/' + hash);
  await page.waitForFunction(() => { const v = document.querySelector('main .view'); return v && !v.hasAttribute('data-old') && !v.querySelector('.loading'); });
}

export async function openDossier(page, code) {
  await go(page, '#/ho-so/' + encodeURIComponent(code));
  await page.locator('h1', { hasText: code }).waitFor();
}

// Clicks an action button on the dossier page, fills its form, confirms,
// and waits for the page to show it was done.
export async function act(page, action, fill = {}) {
  await page.locator(`#act-buttons button[data-action="${action}"]`).click();
  const form = page.locator(`form[data-form="${action}"]`);
  await form.waitFor();
  for (const [name, value] of Object.entries(fill)) {
    const el = form.locator(`[name="${name}"]`);
    if (await el.evaluate((e) => e.tagName) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  // The page is drawn anew once done: wait for a new message, not the last one.
  await page.evaluate(() => document.querySelectorAll('.msg-ok').forEach((m) => m.setAttribute('data-old', '')));
  await form.locator('button[type=submit]').click();
  await page.locator('.msg-ok:not([data-old])', { hasText: 'Đã thực hiện' }).waitFor();
}

export async function state(page) {
  return (await page.locator('.dstate .badge').first().textContent()).trim();
}

// Fills the reception screen (a fresh form even after a receipt): the
// procedure found by query and picked, `tick` components ticked ('all',
// 'none' or a count), the applicant. Sends nothing.
export async function fillReception(page, { query = 'tam tru', pick = '1.000253', name = 'Nguyễn Văn Thử', id = '025090001234', phone = '0912345678', tick = 'all' } = {}) {
  await go(page, '#/tiep-nhan');
  await page.getByLabel('Tìm thủ tục theo mã hoặc tên').fill(query);
  await page.locator(`button.pick[data-code="${pick}"]`).click();
  await page.locator('.chosen h3').waitFor();
  const boxes = page.locator('.checklist input[type=checkbox]');
  const n = await boxes.count();
  for (let i = 0; i < n; i++) if (tick === 'all' || (tick === 'none' ? false : i < tick)) await boxes.nth(i).check();
  await page.getByLabel('Họ và tên *').fill(name);
  await page.getByLabel('Số CCCD / định danh cá nhân *').fill(id);
  await page.getByLabel('Số điện thoại *').fill(phone);
}

// Receives a dossier through the reception screen; returns its code.
export async function receive(page, { action = null, reason = '', ...form } = {}) {
  await fillReception(page, form);
  if (!action) {
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  } else {
    await page.getByRole('button', { name: action === 'refuse' ? 'Từ chối tiếp nhận' : 'Yêu cầu bổ sung', exact: true }).click();
    const form = page.locator(`[data-form="${action}"]`);
    if (reason) await form.locator('textarea').fill(reason);
    await form.locator('button.primary, button.danger').first().click();
  }
  const code = (await page.locator('#new-code').textContent()).trim();
  return code;
}

export async function lookup(page, code, last4) {
  await page.goto(page.base + '/tra-cuu/' + encodeURIComponent(code));
  await page.getByLabel('4 số cuối').fill(last4);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.locator('.result h2').waitFor();
  return (await page.locator('.result .kv .badge').textContent()).trim();
}
