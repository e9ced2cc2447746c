// The province's screens on a hub and a commune's sync banner, in the
// browser: a hub (init --hub) and two demo communes enrolled with it, one
// approved and synced, one pending. The supervisor reads the communes'
// figures, the administrator approves the pending node from the Máy xã
// screen and its events arrive; a search without diacritics finds a
// commune's dossier and its history is the commune's own log. On a commune,
// the banner says when the province has not approved it yet or cannot be
// reached, and goes away once its events have reached the hub.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, clean, shot, go, assert, PASSWORD, PHONE } from './helpers.mjs';
import { motcua, startServer, stopServer } from '../api/harness.mjs';

let root, hub, c1, c2, browser;
const sql = (n, q) => execFileSync('sqlite3', [join(n.data, 'motcua.db'), q], { encoding: 'utf8' }).trim();
const status = (n) => JSON.parse(motcua(['sync', 'status', '--json', '--dir', n.data]));
const keyOf = (n) => sql(n, "select value from setting where key = 'public_key'");
const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, f, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await sleep(250);
  }
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-hubui-'));
  hub = { dir: root, data: join(root, 'hub'), env: {} };
  motcua(['init', '--hub', '--agency', '000.00.00.H45', '--name', 'Tỉnh Phú Thọ', '--dir', hub.data]);
  motcua(['user', 'add', 'quantri', '--role', 'admin', '--name', 'Quản trị tỉnh', '--dir', hub.data], { input: PASSWORD + '\n' });
  motcua(['user', 'add', 'giamsat', '--role', 'supervisor', '--name', 'Giám sát tỉnh', '--dir', hub.data], { input: PASSWORD + '\n' });
  await startServer(hub);
  const commune = (i) => {
    const n = { dir: root, data: join(root, 'c' + i), env: {}, agency: `000.3${i}.45.H45` };
    motcua(['init', '--demo', '--agency', n.agency, '--name', `Xã Thử ${i}`, '--dir', n.data]);
    motcua(['enrol', '--hub', hub.base, '--dir', n.data]);
    return n;
  };
  c1 = commune(1);
  c2 = commune(2);
  motcua(['hub', 'approve', keyOf(c1), '--dir', hub.data]);
  motcua(['sync', 'now', '--dir', c1.data]);
  await startServer(c2); // pending: its rounds are refused until approved
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const n of [c1, c2, hub]) if (n?.proc) await stopServer(n);
  if (root) rmSync(root, { recursive: true, force: true });
});

async function signIn(page, user) {
  await page.goto(page.base + '/');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor(); // signed in: the frame is up
  await page.waitForFunction(() => !document.querySelector('.loading'));
}

test('the supervisor reads every commune\'s figures on the hub, and cannot approve', async () => {
  const page = await newPage(browser, hub);
  await signIn(page, 'giamsat');
  await page.locator('h1', { hasText: 'Tổng quan các xã' }).waitFor();
  const row = page.locator('tr[data-agency="000.31.45.H45"]');
  const cells = await row.locator('td').allTextContents();
  assert.match(cells[0], /Xã Thử 1/);
  // A commune's dossiers are those it owns: one the demo transferred to a
  // neighbour counts for the neighbour.
  assert.equal(Number(cells[1].replace(/\D/g, '')), Number(sql(c1, `select count(*) from dossier where agency = '${c1.agency}'`)), 'dossiers as the commune holds them');
  assert.equal(Number(cells[2].replace(/\D/g, '')), Number(sql(c1, `select count(*) from dossier where agency = '${c1.agency}' and status in ('submitted','received','processing','awaiting_approval','supplement','awaiting_payment')`)), 'open dossiers');
  assert.match(cells[4], /vừa xong|phút trước/);
  // The pending node is counted, and its commune shows with nothing synced.
  const pending = page.locator('li.kpi', { hasText: 'Máy xã chờ duyệt' });
  assert.equal((await pending.locator('.n').textContent()).trim(), '1');
  assert.match(await page.locator('tr[data-agency="000.32.45.H45"]').textContent(), /chưa đồng bộ/);
  // Commune screens are not on a hub's menu.
  assert.equal(await page.locator('nav.side a', { hasText: 'Tiếp nhận hồ sơ' }).count(), 0);
  await go(page, '#/tinh/may-xa');
  await page.locator('tr[data-key]').first().waitFor();
  assert.equal(await page.locator('tr[data-key]').count(), 2);
  assert.equal(await page.getByRole('button', { name: /^Duyệt/ }).count(), 0, 'only an administrator approves');
  await shot(page, 'hub-home-supervisor');
  clean(page);
});

test('a commune not approved yet says so on every screen, and works on', async () => {
  const page = await newPage(browser, c2);
  await signIn(page, 'tiepnhan');
  await until('the first refused round', () => status(c2).last_error);
  await page.reload();
  const banner = page.locator('#sync-banner .sync-banner');
  await banner.waitFor();
  const waiting = status(c2).waiting;
  assert.ok(waiting > 0);
  assert.match(await banner.textContent(), new RegExp(`Tỉnh chưa duyệt máy này — ${waiting.toLocaleString('vi-VN').replace('.', '\\.')} sự kiện đang chờ gửi`));
  assert.equal(await page.locator('h1', { hasText: 'Xin chào' }).count(), 1, 'the desk is there under the banner');
  await shot(page, 'node-banner-not-approved');
  clean(page);
});

test('the administrator approves the pending node on the Máy xã screen, and its events arrive', async () => {
  const page = await newPage(browser, hub);
  page.on('dialog', (d) => d.accept()); // none is expected for approval
  await signIn(page, 'quantri');
  await go(page, '#/tinh/may-xa');
  const row = page.locator(`tr[data-key="${keyOf(c2)}"]`);
  assert.match(await row.textContent(), /Chờ duyệt/);
  await row.getByRole('button', { name: 'Duyệt máy xã Xã Thử 2' }).click();
  await page.locator('.msg-ok', { hasText: 'Đã duyệt máy xã Xã Thử 2' }).waitFor();
  assert.match(await page.locator(`tr[data-key="${keyOf(c2)}"]`).textContent(), /Đã duyệt/);
  const nodes = JSON.parse(motcua(['hub', 'nodes', '--json', '--dir', hub.data]));
  assert.equal((nodes.nodes || nodes).find((n) => n.key === keyOf(c2)).status, 'approved');
  // The node's rounds back off while refused; "sync now" starts one at once.
  motcua(['sync', 'now', '--dir', c2.data]);
  await until('the commune to catch up', () => status(c2).waiting === 0);
  await go(page, '#/trang-chu');
  const cells = await page.locator('tr[data-agency="000.32.45.H45"] td').allTextContents();
  // Its own, the one commune 1 transferred to it among them (delivered
  // through the hub: the node holds it now).
  assert.equal(Number(cells[1].replace(/\D/g, '')), Number(sql(c2, `select count(*) from dossier where agency = '${c2.agency}'`)));
  assert.equal(Number(sql(c2, "select count(*) from event where kind = 'dossier.transfer_in'")),
    Number(sql(c1, `select count(*) from dossier where agency = '${c2.agency}'`)), 'commune 1\'s transfer reached commune 2');
  assert.equal(await page.locator('li.kpi', { hasText: 'Máy xã chờ duyệt' }).locator('.n').textContent(), '0');
  await shot(page, 'hub-nodes-admin');
  clean(page);
});

test('a search without diacritics finds a commune\'s dossier, with the commune\'s own history', async () => {
  const [code, name] = sql(c1, "select code || '|' || name from dossier where status = 'processing' order by code limit 1").split('|');
  const page = await newPage(browser, hub, PHONE);
  await signIn(page, 'giamsat');
  await go(page, '#/tinh/tim-kiem?q=' + encodeURIComponent(fold(name)) + '&agency=000.31.45.H45');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  const rows = page.locator('table.hub-history tbody tr');
  assert.equal(await rows.count(), Number(sql(c1, `select count(*) from event where dossier = '${code}'`)), 'every event of the dossier');
  assert.match(await rows.first().textContent(), /Tiếp nhận hồ sơ/);
  assert.match(await page.locator('dl.kv').textContent(), new RegExp(name));
  await shot(page, 'hub-dossier-phone');
  clean(page);
});

test('the administrator sends a days-off schedule to one commune; that commune applies it in its next round', async () => {
  const page = await newPage(browser, hub);
  await signIn(page, 'quantri');
  await go(page, '#/tinh/gui-lich');
  const csv = 'date,weekday,status,civil_servant_working_day,occasion,source\n2026-12-24,Thu,holiday,0,Ngày nghỉ thử của tỉnh,QĐ thử\n';
  await page.locator('input[type=file]').setInputFiles({ name: 'nghi-them.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByLabel(/Bổ sung vào lịch hiện có/).check();
  await page.getByLabel('Nguồn (số văn bản)').fill('QĐ thử 24/12');
  // Only some communes, none picked: the form says so and sends nothing.
  await page.getByLabel('Chỉ các xã chọn dưới đây').check();
  await page.getByRole('button', { name: 'Gửi cho các xã' }).click();
  await page.locator('.msg-err', { hasText: 'Chọn ít nhất một xã' }).waitFor();
  assert.equal(Number(sql(hub, "select count(*) from hub_outbox where stream = 'calendar'")), 0);
  await page.getByLabel(/Xã Thử 1 \(000\.31\.45\.H45\)/).check();
  await page.getByRole('button', { name: 'Gửi cho các xã' }).click();
  await page.locator('.msg-ok', { hasText: 'Đã gửi lịch nghỉ QĐ thử 24/12' }).waitFor();
  // A procedure list too: the catalog's fee for one procedure, to every commune.
  await page.getByLabel(/Danh mục TTHC của xã: thời hạn/).check();
  assert.equal(await page.getByLabel(/Bổ sung vào lịch hiện có/).isVisible(), false, 'no add for a list');
  await page.locator('input[type=file]').setInputFiles({ name: 'phi.csv', mimeType: 'text/csv', buffer: Buffer.from('code,fee,source\n2.000815,15000,QĐ phí thử\n') });
  await page.getByLabel('Nguồn (số văn bản)').fill('QĐ phí thử');
  await page.getByLabel('Mọi xã (kể cả xã kết nối sau này)').check();
  await page.getByRole('button', { name: 'Gửi cho các xã' }).click();
  await page.locator('.msg-ok', { hasText: 'Đã gửi danh mục TTHC QĐ phí thử' }).waitFor();
  assert.equal(sql(hub, "select agency || '|' || stream from hub_outbox where stream = 'catalog'"), '*|catalog');
  assert.deepEqual(sql(hub, "select agency || '|' || stream from hub_outbox where stream = 'calendar'").split('\n'), ['000.31.45.H45|calendar']);
  await shot(page, 'hub-publish-calendar');
  clean(page);
  const off = (n) => motcua(['calendar', 'days-off', '2026', '--dir', n.data]);
  assert.doesNotMatch(off(c1), /2026-12-24/);
  motcua(['sync', 'now', '--dir', c1.data]);
  motcua(['sync', 'now', '--dir', c2.data]);
  assert.match(off(c1), /2026-12-24/, 'commune 1 applied it');
  assert.doesNotMatch(off(c2), /2026-12-24/, 'commune 2 was not sent it');
  assert.equal(sql(c1, "select actor || '|' || kind from event where kind = 'calendar.imported' order by seq desc limit 1"), 'hub|calendar.imported');
  for (const n of [c1, c2]) {
    assert.equal(sql(n, "select actor || '|' || kind from event where kind = 'procedure.local' order by seq desc limit 1"), 'hub|procedure.local', 'every commune took the list');
    assert.equal(sql(n, `select fee || '|' || source || '|' || updated_by from procedure_local where agency = '${n.agency}' and code = '2.000815'`), '15000|QĐ phí thử|hub');
  }
});

test('a commune\'s administrator reads its sync with the province and starts a round', async () => {
  const page = await newPage(browser, c2);
  await signIn(page, 'quantri');
  await go(page, '#/quan-tri/dong-bo');
  const kv = await page.locator('dl.kv').textContent();
  const s = status(c2);
  assert.match(kv, new RegExp(`Sự kiện tỉnh đã nhận${s.acked_seq.toLocaleString('vi-VN').replace('.', '\\.')} / `));
  assert.match(kv, new RegExp(hub.base.replace(/[.:/]/g, '\\$&')));
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await page.locator('.msg-ok', { hasText: 'Đã bắt đầu một lần đồng bộ' }).waitFor();
  await shot(page, 'node-sync-page');
  clean(page);
});

test('a commune cut off from the province says so, and the banner goes once it has caught up', async () => {
  await startServer(c1);
  await stopServer(hub);
  const page = await newPage(browser, c1);
  await signIn(page, 'tiepnhan');
  // A step on the desk: one more event for the hub.
  const code = sql(c1, `select code from dossier where status = 'received' and agency = '${c1.agency}' order by code limit 1`);
  motcua(['dossier', 'act', code, 'assign', '--to', 'chuyenvien', '--as', 'tiepnhan', '--dir', c1.data]);
  await until('a failed round', () => status(c1).offline);
  await page.reload();
  const banner = page.locator('#sync-banner .sync-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /^Mất kết nối với tỉnh — \d+ sự kiện đang chờ gửi/);
  await shot(page, 'node-banner-offline');
  const port = hub.port;
  await startServer(hub);
  assert.notEqual(hub.port, 0);
  // The hub is back on another port: the node learns nothing of it until
  // pointed there; enrol again with the new address (same key, same hub).
  if (hub.port !== port) motcua(['enrol', '--hub', hub.base, '--dir', c1.data]);
  motcua(['sync', 'now', '--dir', c1.data]);
  await until('the commune to catch up', () => status(c1).waiting === 0 && !status(c1).offline);
  await page.reload();
  await page.locator('h1', { hasText: 'Xin chào' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  await sleep(300);
  assert.equal(await page.locator('#sync-banner .sync-banner').count(), 0);
  page.problems = page.problems.filter((p) => !/Failed to load resource/.test(p));
  clean(page);
});
