// recommendations.test.mjs - recommendations (kiến nghị) in the browser: a
// hub and two demo communes enrolled with it. On commune A its leader files
// one with the form (department picker, a field, an attachment), sees it on
// the list and on its page; once the province has routed and answered it,
// closes it from the page. On the hub the supervisor reads the board (by
// department, by commune, department x commune, the overdue answers
// highlighted), a leader routes a recommendation with the page's form and
// the department's officer answers it. Screenshots at 1366 and 360 px in
// /tmp/shots-recs/ (RECS_SHOTS to change).
import { test, before, after } from 'node:test';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, clean, go, assert, PASSWORD, PHONE } from './helpers.mjs';
import { spawn } from 'node:child_process';
import { motcua, BIN, freePort, stopServer, login, loadContract } from '../api/harness.mjs';
import { png } from '../api/scans.mjs';

const SHOTS = process.env.RECS_SHOTS || '/tmp/shots-recs';
const WIDE = { width: 1366, height: 900 };
const T0 = '2026-03-02 09:00'; // the communes file (a Monday)
const ROUTED = '2026-03-04 14:30'; // the province routes
const ANSWERED = '2026-03-09 10:15'; // and answers one
const T1 = '2026-03-10 08:30'; // the communes' clock in the tests
const LATER = '2026-04-20 10:00'; // the board: answers due in March are overdue
let root, hub, a, b, browser;
const sql = (n, q) => execFileSync('sqlite3', [join(n.data, 'motcua.db'), q], { encoding: 'utf8' }).trim();
const keyOf = (n) => sql(n, "select value from setting where key = 'public_key'");
const sync = (n) => new Promise((resolve) => execFile(BIN, ['sync', 'now', '--dir', n.data], { env: { ...process.env, ...n.env } }, () => resolve()));
async function syncAll(...ns) { for (let i = 0; i < 2; i++) for (const n of ns) await sync(n); }
async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true });
}
async function signIn(page, user) {
  await page.goto(page.base + '/');
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
}
// A server on the port it had before (the communes know the hub by it).
async function startServer(n) {
  n.port ||= await freePort();
  n.base = `http://127.0.0.1:${n.port}`;
  n.log = '';
  n.proc = spawn(BIN, ['serve', '--dir', n.data, '--listen', `127.0.0.1:${n.port}`], { env: { ...process.env, ...n.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  n.proc.stderr.on('data', (d) => { n.log = (n.log + d).slice(-20000); });
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(n.base + '/healthz', { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) { await loadContract(n).catch(() => {}); return n; }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not start: ' + n.log);
}
// A server restarted at another clock.
async function restart(n, clock) {
  await stopServer(n);
  n.env = { MOTCUA_TEST_NOW: clock };
  await startServer(n);
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-recsui-'));
  hub = { dir: root, data: join(root, 'hub'), env: { MOTCUA_TEST_NOW: T0 } };
  motcua(['init', '--hub', '--agency', '000.00.00.H45', '--name', 'Tỉnh Phú Thọ', '--dir', hub.data]);
  for (const [u, role, name] of [['quantri', 'admin', 'Quản trị tỉnh'], ['giamsat', 'supervisor', 'Giám sát tỉnh'], ['lanhdao', 'leader', 'Lãnh đạo Văn phòng tỉnh'], ['sxd', 'specialist', 'Chuyên viên Sở Xây dựng']]) {
    motcua(['user', 'add', u, '--role', role, '--name', name, '--dir', hub.data], { input: PASSWORD + '\n' });
  }
  await startServer(hub);
  assert.equal((await (await login(hub, 'quantri')).patch('/api/v1/users/sxd', { unit: 'SXD' })).status, 200);
  const commune = async (i, name) => {
    const n = { dir: root, data: join(root, 'c' + i), env: { MOTCUA_TEST_NOW: T0 }, agency: `000.4${i}.45.H45` };
    motcua(['init', '--demo', '--agency', n.agency, '--name', name, '--dir', n.data], { env: { ...process.env, MOTCUA_TEST_NOW: T0 } });
    motcua(['enrol', '--hub', hub.base, '--dir', n.data]);
    motcua(['hub', 'approve', keyOf(n), '--dir', hub.data]);
    await startServer(n);
    return n;
  };
  a = await commune(1, 'Xã Thanh Sơn');
  b = await commune(2, 'Xã Tân Lập');
  // Recommendations already under way: some routed, one answered, one
  // waiting to be routed, from both communes.
  const la = await login(a, 'lanhdao'), lb = await login(b, 'lanhdao');
  const file = async (c, topic, concerns, field) => {
    const r = await c.post('/api/v1/recommendations', { topic, content: `Nội dung: ${topic}. Đề nghị tỉnh xem xét, hướng dẫn.`, concerns, field });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const ids = {
    land: await file(la, 'Hướng dẫn chuyển mục đích sử dụng đất vườn', 'SNNMT', 'Đất đai'),
    school: await file(la, 'Bổ sung giáo viên cho trường tiểu học', 'SGDDT', 'Giáo dục'),
    road: await file(lb, 'Sửa chữa tuyến đường liên xã', 'SXD', 'Giao thông'),
    clinic: await file(lb, 'Trang thiết bị trạm y tế xã', 'SYT', 'Y tế'),
    permit: await file(la, 'Thẩm quyền cấp giấy phép xây dựng nhà ở', 'SXD', 'Xây dựng'),
  };
  await syncAll(a, b);
  await restart(hub, ROUTED);
  const hl = await login(hub, 'lanhdao');
  for (const [k, d] of [['land', 'SNNMT'], ['school', 'SGDDT'], ['road', 'SXD'], ['permit', 'SXD']]) {
    const r = await hl.post(`/api/v1/recommendations/${ids[k]}/route`, { department: d });
    assert.equal(r.status, 200, r.text);
  }
  await restart(hub, ANSWERED);
  const sx = await login(hub, 'sxd');
  assert.equal((await sx.post(`/api/v1/recommendations/${ids.permit}/answer`, { answer: 'Theo Luật Xây dựng, UBND cấp xã cấp phép xây dựng nhà ở riêng lẻ trên địa bàn.', document: '215/SXD-QLXD' })).status, 200);
  await syncAll(a, b);
  for (const c of [a, b]) await restart(c, T1);
  hub.ids = ids;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const n of [a, b, hub]) if (n?.proc) await stopServer(n);
  if (root) rmSync(root, { recursive: true, force: true });
});

test('a commune files a recommendation with the form, sees it on its list and page, and closes it once answered', async () => {
  const page = await newPage(browser, a, WIDE);
  await signIn(page, 'lanhdao');
  await page.getByRole('link', { name: 'Kiến nghị với tỉnh' }).click();
  await page.locator('h1', { hasText: 'Kiến nghị với tỉnh' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  assert.equal(await page.locator('table.recs tbody tr').count(), 3);
  await page.getByRole('link', { name: 'Gửi kiến nghị mới' }).click();
  await page.locator('h1', { hasText: 'Gửi kiến nghị với tỉnh' }).waitFor();
  // The form says what is missing.
  await page.getByRole('button', { name: 'Gửi kiến nghị' }).click();
  assert.match(await page.locator('.ferr').first().textContent(), /Nhập chủ đề/);
  await page.getByLabel('Chủ đề').fill('Đề nghị hướng dẫn thủ tục đăng ký hộ kinh doanh');
  await page.getByLabel('Nội dung kiến nghị').fill('Người dân phản ánh thành phần hồ sơ chưa thống nhất.\nĐề nghị Sở hướng dẫn.');
  await page.getByLabel('Sở, ngành liên quan').selectOption({ label: 'Sở Tài chính' });
  await page.getByLabel('Lĩnh vực').fill('Thành lập và hoạt động của hộ kinh doanh');
  const scan = join(root, 'to-trinh.png');
  writeFileSync(scan, png(400, 300, 3));
  await page.locator('#rec-att').setInputFiles(scan);
  await page.locator('ul.atts li', { hasText: 'to-trinh.png' }).waitFor();
  await page.getByRole('button', { name: 'Gửi kiến nghị' }).click();
  await page.locator('h1', { hasText: 'Kiến nghị' }).locator('.mono').waitFor();
  const id = (await page.locator('h1 .mono').textContent()).trim();
  assert.match(id, /^000\.41\.45\.H45\/KN-2026-0004$/);
  assert.match(await page.locator('.dstate').textContent(), /Đã gửi tỉnh/);
  assert.ok(await page.locator('ul.atts a', { hasText: 'to-trinh.png' }).count());
  assert.ok(await page.getByRole('button', { name: 'Rút kiến nghị' }).count());
  await shot(page, 'commune-new-page-1366');

  // The answered one: its page shows the answer and the time each stage took.
  await go(page, '#/kien-nghi/' + hub.ids.permit);
  await page.locator('#rec-answer').waitFor();
  assert.match(await page.locator('#rec-answer').textContent(), /UBND cấp xã/);
  assert.deepEqual(await page.locator('#rec-times tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.stage)), ['route', 'answer', 'close']);
  assert.deepEqual(await page.locator('#rec-timeline li').evaluateAll((ls) => ls.map((l) => l.dataset.action)), ['file', 'route', 'answer']);
  await shot(page, 'commune-page-answered-1366');
  await page.getByRole('button', { name: 'Kết thúc' }).click();
  await page.getByLabel('Ý kiến của xã (nếu có)').fill('Xã đã rõ, cảm ơn Sở.');
  await page.getByRole('button', { name: 'Xác nhận: Kết thúc' }).click();
  await page.locator('.msg-ok', { hasText: 'Kết thúc: đã ghi nhận' }).waitFor();
  assert.match(await page.locator('.dstate').textContent(), /Đã kết thúc/);
  assert.ok(await page.getByRole('button', { name: 'Kiến nghị lại' }).count(), 'a closed one can be reopened');

  await go(page, '#/kien-nghi');
  assert.equal(await page.locator('table.recs tbody tr').count(), 4);
  await shot(page, 'commune-list-1366');
  // The list filtered by state.
  await go(page, '#/kien-nghi?state=closed');
  assert.equal(await page.locator('table.recs tbody tr').count(), 1);
  clean(page);

  const phone = await newPage(browser, a, PHONE);
  await signIn(phone, 'lanhdao');
  await go(phone, '#/kien-nghi');
  await shot(phone, 'commune-list-360');
  await go(phone, '#/kien-nghi/' + hub.ids.permit);
  await shot(phone, 'commune-page-360');
  await go(phone, '#/kien-nghi/moi');
  await shot(phone, 'commune-new-360');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 362, `no sideways scrolling at 360 px (${wide})`);
  clean(phone);

  // A reception officer reads them but files nothing.
  const rec = await newPage(browser, a, WIDE);
  await signIn(rec, 'tiepnhan');
  await go(rec, '#/kien-nghi');
  assert.equal(await rec.getByRole('link', { name: 'Gửi kiến nghị mới' }).count(), 0);
  clean(rec);
});

test('the hub: the board with the overdue answers, a leader routes with the form, the department answers', async () => {
  await syncAll(a, b);
  await restart(hub, LATER);
  const page = await newPage(browser, hub, WIDE);
  await signIn(page, 'giamsat');
  await page.getByRole('link', { name: 'Kiến nghị của các xã' }).click();
  await page.locator('h1', { hasText: 'Bảng theo dõi kiến nghị' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading'));
  // Three routed in March, unanswered: overdue by April 20.
  assert.equal(await page.locator('#rec-overdue table.recs tbody tr').count(), 3);
  assert.equal(await page.locator('#rec-overdue tr.over').count(), 3);
  const snn = await page.locator('#rec-by-dept tr[data-dept="SNNMT"] td').allTextContents();
  assert.deepEqual(snn.slice(1, 4).map((t) => t.trim()), ['1', '1', '1'], 'SNNMT: open, routed, overdue');
  assert.ok(await page.locator('#rec-by-dept tr[data-dept="SNNMT"].over').count(), 'overdue rows highlighted');
  const pending = await page.locator('#rec-by-dept tr[data-dept=""] td').allTextContents();
  assert.match(pending[0], /Chưa chuyển|Chờ chuyển/);
  const cA = await page.locator('#rec-by-commune tr[data-agency="000.41.45.H45"] td').allTextContents();
  assert.match(cA[0], /Xã Thanh Sơn/);
  assert.ok(await page.locator('#rec-matrix table.matrix').count());
  await shot(page, 'hub-board-1366');
  clean(page);

  const phone = await newPage(browser, hub, PHONE);
  await signIn(phone, 'giamsat');
  await go(phone, '#/kien-nghi');
  await shot(phone, 'hub-board-360');
  clean(phone);

  // A leader routes the clinic recommendation with the form.
  const lead = await newPage(browser, hub, WIDE);
  await signIn(lead, 'lanhdao');
  await go(lead, '#/kien-nghi/' + hub.ids.clinic);
  await lead.getByRole('button', { name: 'Chuyển sở, ngành', exact: true }).click();
  assert.equal(await lead.getByLabel('Sở, ngành').inputValue(), 'SYT', 'the department the commune named is offered first');
  await lead.getByLabel('Sở, ngành').selectOption('SXD');
  await lead.getByLabel('Ý kiến chỉ đạo (nếu có)').fill('Giao Sở Xây dựng chủ trì.');
  await lead.getByRole('button', { name: 'Xác nhận: Chuyển sở, ngành' }).click();
  await lead.locator('.msg-ok').waitFor();
  assert.match(await lead.locator('.dstate').textContent(), /Đã chuyển sở, ngành/);
  await shot(lead, 'hub-page-routed-1366');
  clean(lead);

  // The department's officer answers it.
  const sxd = await newPage(browser, hub, WIDE);
  await signIn(sxd, 'sxd');
  await sxd.getByRole('link', { name: 'Kiến nghị chuyển đến' }).click();
  await sxd.locator('h1', { hasText: 'Kiến nghị chuyển đến đơn vị' }).waitFor();
  await sxd.waitForFunction(() => !document.querySelector('.loading'));
  assert.ok(await sxd.locator(`tr[data-id="${hub.ids.clinic}"]`).count());
  await go(sxd, '#/kien-nghi/' + hub.ids.clinic);
  await sxd.getByRole('button', { name: 'Trả lời kiến nghị' }).click();
  await sxd.getByLabel('Nội dung trả lời').fill('Sở Xây dựng phối hợp Sở Y tế bố trí kinh phí năm 2026.');
  await sxd.getByLabel('Số, ký hiệu văn bản trả lời').fill('301/SXD-KHTC');
  await sxd.getByRole('button', { name: 'Xác nhận: Trả lời kiến nghị' }).click();
  await sxd.locator('.msg-ok').waitFor();
  assert.match(await sxd.locator('#rec-answer').textContent(), /phối hợp Sở Y tế/);
  await shot(sxd, 'hub-page-answered-1366');
  const p2 = await newPage(browser, hub, PHONE);
  await signIn(p2, 'sxd');
  await go(p2, '#/kien-nghi/' + hub.ids.clinic);
  await shot(p2, 'hub-page-360');
  clean(sxd);
  clean(p2);
});
