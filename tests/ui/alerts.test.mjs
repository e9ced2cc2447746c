// alerts.test.mjs - what the leader sees of issue 13's live alerts: the
// bell's unread count in the header, the notification list (mark one read,
// mark all read, each linking to its dossier), and the alert board
// '#/canh-bao' with its counts by officer and by unit, at 1366 and 360
// pixels wide (screenshots build/screenshots/alerts-1366.png and
// alerts-360.png).
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, apiLogin } from './helpers.mjs';

let node, browser, leader;
// A Monday, in office hours: the demo's open dossiers include overdue ones,
// and serve's sweeper tells the leader at start.
const NOW = '2026-03-02 09:00';

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  browser = await launch();
  leader = await apiLogin(node, 'lanhdao');
  for (let i = 0; i < 200; i++) { // the sweep runs in the background
    const r = await leader.get('/api/v1/notifications?unread=1&limit=1');
    if (r.json.unread > 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const unread = async () => (await leader.get('/api/v1/notifications?limit=1')).json.unread;

test('the bell counts, the list marks read and links to the dossier', async () => {
  const n0 = await unread();
  assert.ok(n0 > 1, 'the demo leader has notifications: ' + n0);
  const page = await newPage(browser, node, { width: 1366, height: 900 });
  await signIn(page, 'lanhdao');
  const count = page.locator('a.bell .bell-n');
  await page.waitForFunction((n) => document.querySelector('a.bell .bell-n')?.textContent === String(n > 99 ? '99+' : n), n0);
  assert.equal(await count.isVisible(), true);
  assert.match(await page.locator('a.bell').textContent(), /Thông báo/);

  await page.locator('a.bell').click();
  await page.locator('h1', { hasText: 'Thông báo' }).waitFor();
  const items = page.locator('li.note');
  assert.ok(await items.count() >= 2);
  assert.equal(await page.locator('li.note.unread').count(), Math.min(n0, 200));
  await shot(page, 'alerts-list-1366', { full: false });
  // Mark the first one read.
  await items.first().getByRole('button', { name: 'Đánh dấu đã đọc' }).click();
  await page.waitForFunction((n) => document.querySelector('a.bell .bell-n')?.textContent === String(n > 99 ? '99+' : n), n0 - 1);
  assert.equal(await unread(), n0 - 1);
  assert.equal(await items.first().evaluate((li) => li.classList.contains('unread')), false);
  // A dossier's notification links to it.
  const link = page.locator('li.note .note-h a').first();
  const href = await link.getAttribute('href');
  assert.match(href, /^#\/ho-so\//);

  await page.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }).click();
  await page.locator('p.sub', { hasText: 'Bạn đã đọc hết thông báo.' }).waitFor();
  assert.equal(await unread(), 0);
  assert.equal(await count.isVisible(), false);
  assert.equal(await page.locator('li.note.unread').count(), 0);

  await link.click();
  const code = decodeURIComponent(href.slice('#/ho-so/'.length));
  await page.locator('h1', { hasText: code }).waitFor();
  clean(page);
  await page.context().close();
});

test('the alert board: counts by officer and by unit, each dossier linked, at 1366 and 360 px', async () => {
  const a = (await leader.get('/api/v1/alerts')).json;
  assert.ok(a.overdue.total > 0, 'the demo has overdue dossiers');
  for (const [w, hgt] of [[1366, 900], [360, 740]]) {
    const page = await newPage(browser, node, { width: w, height: hgt });
    await signIn(page, 'lanhdao');
    if (w === 1366) {
      await page.locator('nav.side a', { hasText: 'Cảnh báo' }).click();
      await page.locator('h1', { hasText: 'Cảnh báo hồ sơ' }).waitFor();
    } else await go(page, '#/canh-bao');
    const kpis = page.locator('ul.cards .kpi .n');
    assert.equal(await kpis.nth(0).textContent(), String(a.overdue.total));
    assert.equal(await kpis.nth(1).textContent(), String(a.near_due.total));
    const officers = page.locator('section', { hasText: 'Theo cán bộ xử lý' }).locator('tbody tr');
    const names = new Set([...a.overdue.by_officer, ...a.near_due.by_officer].map((o) => o.name));
    assert.equal(await officers.count(), names.size);
    const units = page.locator('section', { hasText: 'Theo đơn vị' }).locator('tbody tr');
    const unitNames = new Set([...a.overdue.by_unit, ...a.near_due.by_unit].map((o) => o.unit));
    assert.equal(await units.count(), unitNames.size);
    const rows = page.locator('#qua-han tbody tr');
    assert.equal(await rows.count(), a.overdue.total);
    assert.equal(await page.locator('#sap-den-han tbody tr').count(), a.near_due.total);
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${w} px (${overflow} px too wide)`);
    await shot(page, `alerts-${w}`);
    const first = a.items.find((d) => d.overdue);
    await page.locator(`#qua-han a[href="#/ho-so/${encodeURIComponent(first.code)}"]`).click();
    await page.locator('h1', { hasText: first.code }).waitFor();
    clean(page);
    await page.context().close();
  }
});
