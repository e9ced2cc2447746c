// tasks.test.mjs - the task screens (issue 14) in headless Chromium: the
// lists by tab, a task with its progress history and the buttons its state
// allows, progress reported from the page, the form that assigns a task
// (the due time previewed from the node's calendar), the leader's overdue
// board; on a hub, a task assigned to a chosen commune and that commune's
// progress after it syncs. At 1366 and 360 pixels wide; screenshots in
// /tmp/shots-tasks/ (SHOTS_TASKS to change it).
import { test, before, after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { go, launch, newPage, clean, signIn, startNode, stopNode, assert, apiLogin } from './helpers.mjs';
import { startServer, stopServer, motcua, BIN } from '../api/harness.mjs';
import { makeHub, sql } from '../api/sync-helpers.mjs';
import { pdf } from '../api/scans.mjs';

const SHOTS = process.env.SHOTS_TASKS || '/tmp/shots-tasks';
const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 760 };
let node, browser;
const ids = {};

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${what}: no sideways scrolling at 360 px (${w} px wide)`);
}
// Signs in on a hub straight to the tasks (its home, the communes'
// dashboard, is the supervisors' and administrators').
async function hubSignIn(page, user) {
  await page.goto(page.base + '/#/cong-viec');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill('motcua-demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.locator('nav.side a', { hasText: 'Nhiệm vụ giao các xã' }).waitFor({ state: 'attached' });
}
const ok = (r, status, what) => { assert.equal(r.status, status, `${what}: ${r.text.slice(0, 300)}`); return r.json; };

before(async () => {
  // A week earlier, tasks are assigned; some are overdue by Monday.
  node = await startNode({ env: { MOTCUA_TEST_NOW: '2026-02-23 09:00', MOTCUA_NOTIFY_SWEEP: '0' } });
  browser = await launch();
  const lead = await apiLogin(node, 'lanhdao');
  const mk = async (body) => ok(await lead.post('/api/v1/tasks', body), 201, 'create').id;
  const kl = { kind: 'meeting', ref: 'Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 20/02/2026', date: '2026-02-20' };
  const kh = { kind: 'document', ref: 'Kế hoạch 12/KH-UBND về rà soát nhiệm vụ năm 2026', date: '2026-02-10' };
  ids.main = await mk({ title: 'Rà soát tiến độ giải ngân vốn đầu tư công', content: 'Rà soát từng dự án, nêu rõ nguyên nhân chậm và giải pháp.\nBáo cáo bằng văn bản.', source: kl, unit: 'KT', officer: 'chuyenvien', coworkers: ['tiepnhan'], deadline: { time: 10, unit: 'working_days' } });
  ids.late = await mk({ title: 'Tổng hợp kiến nghị cử tri trước kỳ họp', source: kl, unit: 'VP', officer: 'lanhdao', deadline: { date: '2026-02-26' } });
  ids.late2 = await mk({ title: 'Kiểm tra an toàn thực phẩm bếp ăn trường học', source: kh, unit: 'VHXH', deadline: { date: '2026-02-27' } });
  ids.near = await mk({ title: 'Chuẩn bị hồ sơ bầu cử đại biểu HĐND', source: kh, unit: 'KT', officer: 'chuyenvien', deadline: { date: '2026-03-02' } });
  const cv = await apiLogin(node, 'chuyenvien');
  const att = ok(await cv.req('POST', '/api/v1/attachments?filename=bao-cao-tuan-1.pdf', pdf(1), { headers: { 'Content-Type': 'application/octet-stream' } }), 201, 'attachment');
  ok(await cv.post(`/api/v1/tasks/${ids.main}/start`, {}), 200, 'start');
  ok(await cv.post(`/api/v1/tasks/${ids.main}/progress`, { percent: 30, text: 'Đã rà soát 4/12 dự án; 2 dự án vướng giải phóng mặt bằng.', attachments: [att.sha256] }), 200, 'progress');
  await stopServer(node);
  node.env = { MOTCUA_TEST_NOW: '2026-03-02 09:00', MOTCUA_NOTIFY_SWEEP: '0' };
  await startServer(node);
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

test('the lists by tab; a task with its history; progress reported from the page (1366 px)', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'chuyenvien');
  await page.locator('nav.side a', { hasText: 'Công việc' }).click();
  await page.locator('h1', { hasText: 'Công việc được giao' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  const rows = page.locator('table.tasks tbody tr');
  assert.deepEqual(await rows.evaluateAll((r) => r.map((x) => x.dataset.id)), [ids.near, ids.main], 'mine, soonest due first');
  await shot(page, 'tasks-mine-1366');
  await page.locator('nav.tabs a', { hasText: 'Quá hạn' }).click();
  await page.locator('nav.tabs a[aria-current="page"]', { hasText: 'Quá hạn' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  assert.equal(await page.locator('table.tasks tbody tr').count(), 0, 'none of mine overdue');
  await page.locator('p.empty', { hasText: 'Không có nhiệm vụ nào quá hạn.' }).waitFor();

  await go(page, '#/cong-viec/' + ids.main);
  await page.locator('h1', { hasText: 'Rà soát tiến độ giải ngân' }).waitFor();
  assert.equal((await page.locator('.dstate .badge').first().textContent()).trim(), 'Đang thực hiện');
  assert.deepEqual(await page.locator('.panel button[data-action]').evaluateAll((b) => b.map((x) => x.dataset.action)), ['progress', 'report_done']);
  await page.locator('button[data-action="progress"]').click();
  const form = page.locator('form.actform[data-action="progress"]');
  await form.locator('input[name="percent"]').fill('80');
  await form.locator('textarea').fill('Đã rà soát 10/12 dự án; đề xuất điều chuyển vốn 2 dự án.');
  await form.locator('button[type=submit]').click();
  await page.locator('.history li', { hasText: 'Đã rà soát 10/12 dự án' }).waitFor();
  assert.equal(await page.locator('.history li').count(), 4);
  assert.equal(await page.locator('.progress-big progress').getAttribute('value'), '80');
  assert.equal(await page.locator('.history li a', { hasText: 'bao-cao-tuan-1.pdf' }).count(), 1, 'the attachment links');
  await shot(page, 'task-history-1366');
  // A reason is required to return: the leader's form says so.
  clean(page);
  await page.context().close();
});

test('a leader assigns a task through the form: the due time from the calendar', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'lanhdao');
  await go(page, '#/cong-viec');
  await page.getByRole('link', { name: 'Giao việc mới' }).click();
  await page.locator('h1', { hasText: 'Giao việc' }).waitFor();
  await page.getByLabel('Tên nhiệm vụ').fill('Rà soát danh sách hộ nghèo, cận nghèo năm 2026');
  await page.locator('#src-document').check();
  await page.getByLabel('Số, ký hiệu và trích yếu văn bản').fill('Công văn 88/UBND-VHXH ngày 25/02/2026');
  await page.getByLabel('Đơn vị chủ trì').selectOption('VHXH');
  await page.getByLabel('Cán bộ chủ trì').selectOption('chuyenvien');
  await page.locator('input[name="days"]').fill('10');
  const want = motcua(['calendar', 'due', '--at', '2026-03-02 09:00', '--time', '10', '--unit', 'working_days', '--dir', node.data]).trim();
  const [d, t] = want.split(' ');
  const vi = d.split('-').reverse().join('/') + ' ' + t;
  await page.locator('.hint', { hasText: 'Hạn hoàn thành: ' + vi }).waitFor();
  await shot(page, 'task-create-1366');
  await page.getByRole('button', { name: 'Giao việc', exact: true }).click();
  await page.locator('h1', { hasText: 'Rà soát danh sách hộ nghèo' }).waitFor();
  assert.match(await page.locator('dl.kv').textContent(), new RegExp(vi.replace(/\//g, '\\/')));
  assert.equal((await page.locator('.dstate .badge').first().textContent()).trim(), 'Mới giao');
  clean(page);
  await page.context().close();
});

test('the leader\'s overdue board by unit and by directive (1366 and 360 px)', async () => {
  for (const [vp, name] of [[WIDE, '1366'], [PHONE, '360']]) {
    const page = await newPage(browser, node, vp);
    await signIn(page, 'lanhdao');
    await go(page, '#/cong-viec/theo-doi');
    await page.locator('h1', { hasText: 'Theo dõi thực hiện nhiệm vụ' }).waitFor();
    const over = page.locator('.kpi-over .n');
    assert.equal((await over.textContent()).trim(), '2');
    const units = await page.locator('section', { hasText: 'Theo đơn vị chủ trì' }).locator('tbody th').allTextContents();
    assert.ok(units.includes('Văn phòng HĐND và UBND') && units.includes('Phòng Văn hóa - Xã hội'), units.join('|'));
    assert.equal(await page.locator('.panel-over table.tasks tbody tr').count(), 2);
    await shot(page, `tasks-board-${name}`);
    if (vp === PHONE) await noSideScroll(page, 'the board');
    clean(page);
    await page.context().close();
  }
});

test('a task and its history at 360 px; the list and its tabs', async () => {
  const page = await newPage(browser, node, PHONE);
  await signIn(page, 'chuyenvien');
  await go(page, '#/cong-viec/' + ids.main);
  await page.locator('.history li').first().waitFor();
  await shot(page, 'task-history-360');
  await noSideScroll(page, 'a task');
  await go(page, '#/cong-viec?tab=all');
  await shot(page, 'tasks-all-360');
  await noSideScroll(page, 'the list');
  clean(page);
  await page.context().close();
});

test('on a hub: a task for a chosen commune, and its progress after the commune syncs', { timeout: 180000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'motcua-ui-tasks-'));
  const hub = makeHub(root, 'hub');
  hub.env = { MOTCUA_NOTIFY_SWEEP: '0' };
  await startServer(hub);
  const communes = [];
  try {
    for (const [sub, agency, name] of [['a', '000.31.01.H45', 'Xã Hợp Thành'], ['b', '000.32.01.H45', 'Xã Kim Long']]) {
      const n = { data: join(root, sub) };
      motcua(['init', '--demo', '--agency', agency, '--name', name, '--dir', n.data]);
      const r = spawnSync(BIN, ['enrol', '--hub', hub.base, '--dir', n.data], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const key = sql(n, "select value from setting where key = 'public_key'");
      assert.equal(spawnSync(BIN, ['hub', 'approve', key, '--dir', hub.data]).status, 0);
      communes.push({ ...n, agency, name });
    }
    const page = await newPage(browser, hub, WIDE);
    await hubSignIn(page, 'lanhdao');
    await go(page, '#/cong-viec/giao-viec');
    await page.getByLabel('Tên nhiệm vụ').fill('Đẩy nhanh giải ngân vốn đầu tư công');
    await page.locator('#src-meeting').check();
    await page.getByLabel('Kết luận tại buổi làm việc, cuộc họp').fill('Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 10/3/2026');
    await page.locator('#to-some').check();
    await page.locator('#to-000\\.31\\.01\\.H45').check();
    await shot(page, 'hub-task-create-1366');
    await page.getByRole('button', { name: 'Giao việc cho các xã' }).click();
    await page.locator('h1', { hasText: 'Đẩy nhanh giải ngân' }).waitFor();
    const id = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/cong-viec/'.length)));
    assert.equal(await page.locator('table.communes-prog tbody tr').count(), 1, 'the chosen commune only');
    // The commune syncs, its leader reports progress, it syncs again.
    const a = communes[0];
    assert.equal(spawnSync(BIN, ['sync', 'now', '--dir', a.data], { encoding: 'utf8' }).status, 0);
    assert.equal(sql(a, `select state from task where id = '${id}'`), 'assigned');
    assert.equal(sql(communes[1], 'select count(*) from task'), '0', 'the other commune has nothing');
    a.env = { MOTCUA_NOTIFY_SWEEP: '0' };
    await startServer(a);
    const al = await apiLogin(a, 'lanhdao');
    ok(await al.post(`/api/v1/tasks/${id}/progress`, { percent: 60, text: 'Đã giải ngân 60% kế hoạch vốn' }), 200, 'progress on the commune');
    await stopServer(a);
    assert.equal(spawnSync(BIN, ['sync', 'now', '--dir', a.data], { encoding: 'utf8' }).status, 0);
    await go(page, '#/cong-viec/' + id);
    await page.locator('table.communes-prog tbody tr', { hasText: 'Đang thực hiện' }).waitFor();
    assert.equal(await page.locator('table.communes-prog progress').getAttribute('value'), '60');
    await page.locator('.history li', { hasText: 'Đã giải ngân 60% kế hoạch vốn' }).waitFor();
    await shot(page, 'hub-task-1366');
    const phone = await newPage(browser, hub, PHONE);
    await hubSignIn(phone, 'lanhdao');
    await go(phone, '#/cong-viec/' + id);
    await phone.locator('table.communes-prog tbody tr').waitFor();
    await shot(phone, 'hub-task-360');
    await noSideScroll(phone, 'the hub\'s task');
    clean(page);
    clean(phone);
    await page.context().close();
    await phone.context().close();
  } finally {
    for (const c of communes) await stopServer(c);
    await stopServer(hub);
    rmSync(root, { recursive: true, force: true });
  }
});
