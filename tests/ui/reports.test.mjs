// reports.test.mjs - issue 13's reports screen '#/bao-cao' in the browser:
// the demo leader's Biểu II.06a equals the API's JSON for the same period,
// every number opens as many dossiers as it says, the grouping changes, the
// Excel and CSV links carry the period and download real files, a list's
// "Xuất CSV" gives a UTF-8 CSV with its BOM; the 766 scorecard's numerators
// and denominators are the JSON's, the charts are SVG in the page; the trend
// shows 12 months. At 360 px nothing is wider than the screen. On a hub with
// two demo communes synced, the supervisor sees one row per commune.
// Screenshots and printed pages (A4 landscape) in build/screenshots/.
import { test, before, after } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, SHOTS, PHONE, PASSWORD } from './helpers.mjs';
import { motcua, BIN, freePort } from '../api/harness.mjs';
import { makeHub } from '../api/sync-helpers.mjs';

const NOW = '2026-12-07 10:00'; // a Monday: the demo's dossiers run from September
const FROM = '2026-09-01', TO = '2026-12-31';
const WIDE = { width: 1366, height: 900 };
let node, browser;

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  browser = await launch();
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const getJson = (page, path) => page.evaluate(async (p) => (await fetch('/api/v1' + p)).json(), path);
const num = (t) => Number(String(t).replace(/\D/g, ''));
const waitDrill = (page) => page.waitForFunction(() => {
  const d = document.getElementById('rpt-drill');
  return d && !d.hidden && !d.querySelector('.loading');
});
async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}
async function pdf(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: join(SHOTS, name + '.pdf'), format: 'A4', landscape: true, preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
}

test('Biểu II.06a: the total row is the JSON\'s, a number opens its dossiers, by and exports', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'lanhdao');
  // The menu leads there; the period is typed in.
  await page.locator('nav.side a', { hasText: 'Báo cáo thống kê' }).click();
  await page.locator('#ii06a, .rpt .empty').first().waitFor();
  await page.getByLabel('Từ ngày').fill('01/09/2026');
  await page.getByLabel('Đến ngày').fill('31/12/2026');
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  await page.waitForFunction(() => location.hash.includes('from=2026-09-01') && document.querySelector('#ii06a'));
  await page.locator('.rpt-sub', { hasText: 'từ ngày 01/09/2026 đến ngày 31/12/2026' }).waitFor();

  const j = await getJson(page, `/reports/ii06a?from=${FROM}&to=${TO}&by=field`);
  assert.ok(j.total.received > 50, 'the demo has dossiers in the period');
  // The official form: three heading rows and the numbered row (1)…(13).
  assert.equal(await page.locator('#ii06a thead tr:not(.numbered)').count(), 3);
  assert.deepEqual(await page.locator('#ii06a tr.numbered td').allTextContents(), Array.from({ length: 13 }, (_, i) => `(${i + 1})`));
  assert.equal(await page.locator('#ii06a tbody tr').count(), j.rows.length);
  const total = page.locator('#ii06a tfoot tr.total');
  assert.match(await total.locator('th').textContent(), /Tổng cộng/);
  for (const c of j.columns) {
    assert.equal(num(await total.locator(`td[data-col="${c.key}"]`).textContent()), j.total[c.key], 'total ' + c.key);
  }
  for (const row of j.rows) {
    const tr = page.locator(`#ii06a tbody tr[data-key="${row.key}"]`);
    assert.equal(num(await tr.locator('td[data-col="received"]').textContent()), row.values.received, row.key);
  }
  // The chart is an SVG element in the page, not a markup string.
  assert.equal(await page.locator('figure.rpt-chart svg[role=img]').count(), 1);
  await shot(page, 'reports-ii06a-1366');
  await pdf(page, 'reports-ii06a');

  // A row's number: its label says what it counts, the list has that many.
  const row = j.rows.find((r) => r.values.late > 0);
  const btn = page.locator(`#ii06a tbody tr[data-key="${row.key}"] td[data-col="late"] button`);
  assert.equal(await btn.getAttribute('aria-label'), `${row.values.late} hồ sơ: Lĩnh vực ${row.label}, Trả quá hạn`);
  await btn.click();
  await waitDrill(page);
  assert.equal(await page.locator('#rpt-drill tbody tr').count(), row.values.late);
  assert.match(await page.locator('#rpt-drill h3').textContent(), new RegExp(`^${row.values.late} hồ sơ: Lĩnh vực`));
  assert.match(await page.locator('#rpt-drill tbody tr a').first().getAttribute('href'), /^#\/ho-so\//);
  assert.equal(await page.locator('#rpt-drill td.rs', { hasText: 'Quá hạn' }).count(), row.values.late);

  // The total row's number: every dossier received (or the first 2000).
  await total.locator('td[data-col="received"] button').click();
  await page.waitForFunction((n) => document.querySelectorAll('#rpt-drill tbody tr').length === n, Math.min(j.total.received, 2000));
  // The list as CSV: BOM, CRLF, a heading line and one line a dossier.
  const csv = await download(page, () => page.locator('#rpt-drill').getByRole('button', { name: 'Xuất CSV' }).click());
  assert.match(csv.name, /\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(lines.length - 2, Math.min(j.total.received, 2000));
  assert.equal(lines[0], 'STT,Mã hồ sơ,Thủ tục,Kênh,Người xử lý,Tiếp nhận,Hạn giải quyết,Hoàn thành,Kết quả');

  // Another grouping: the table and the exports follow.
  await page.locator('#rpt-by').selectOption('procedure');
  await page.waitForFunction(() => location.hash.includes('by=procedure') && document.querySelector('#ii06a'));
  const jp = await getJson(page, `/reports/ii06a?from=${FROM}&to=${TO}&by=procedure`);
  assert.equal(await page.locator('#ii06a tbody tr').count(), jp.rows.length);
  assert.equal(num(await page.locator('#ii06a tfoot td[data-col="resolved"]').textContent()), jp.total.resolved);
  const href = await page.locator('a#xlsx').getAttribute('href');
  const u = new URL(href, node.base);
  assert.equal(u.pathname, '/api/v1/reports/ii06a.xlsx');
  assert.equal(u.searchParams.get('from'), FROM);
  assert.equal(u.searchParams.get('to'), TO);
  assert.equal(u.searchParams.get('by'), 'procedure');
  const x = await download(page, () => page.locator('a#xlsx').click());
  assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip');
  assert.match(x.name, /\.xlsx$/);
  const c = await download(page, () => page.locator('a#csv').click());
  assert.deepEqual([...c.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  clean(page);
});

test('Chỉ số 766: numerators and denominators are the JSON\'s and open their dossiers; the trend has 12 months', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'lanhdao');
  await go(page, `#/bao-cao?tab=766&from=${FROM}&to=${TO}`);
  await page.locator('#t766').waitFor();
  const j = await getJson(page, `/reports/766?from=${FROM}&to=${TO}`);
  assert.equal(await page.locator('#t766 tr[data-ind]').count(), j.indicators.length);
  for (const ind of j.indicators) {
    const tr = page.locator(`#t766 tr[data-ind="${ind.id}"]`);
    assert.equal(num(await tr.locator('td[data-part=numerator]').textContent()), ind.numerator, ind.id + ' numerator');
    assert.equal(num(await tr.locator('td[data-part=denominator]').textContent()), ind.denominator, ind.id + ' denominator');
    assert.ok((await tr.locator('th').textContent()).includes(ind.source), ind.id + ' source');
  }
  assert.equal(await page.locator('#t766 tbody[data-group]').count(), j.groups.length);
  const ind = j.indicators.find((i) => i.numerator > 0 && i.numerator <= 2000);
  await page.locator(`#t766 tr[data-ind="${ind.id}"] td[data-part=numerator] button`).click();
  await waitDrill(page);
  assert.equal(await page.locator('#rpt-drill tbody tr').count(), ind.numerator);
  assert.ok(await page.locator('figure.rpt-chart svg[role=img]').count() >= 1, 'the groups chart');
  assert.equal(await page.locator('figure.rpt-chart svg script').count(), 0);
  await page.locator('#rpt-drill').getByRole('button', { name: 'Đóng danh sách' }).click();
  await shot(page, 'reports-766-1366');
  await pdf(page, 'reports-766');

  await page.locator('a[role=tab][data-tab=trend]').click();
  await page.locator('#trend').waitFor();
  assert.equal(await page.locator('#trend tbody tr').count(), 12);
  const jt = await getJson(page, `/reports/trend?from=${FROM}&to=${TO}`);
  assert.deepEqual(await page.locator('#trend tbody th').allTextContents(), jt.months.map((m) => m.month));
  assert.equal(await page.locator('figure.rpt-chart svg[role=img]').count(), 3);
  await shot(page, 'reports-trend-1366');
  clean(page);
});

test('at 360 px the report scrolls inside its frame; other roles have no reports', async () => {
  const page = await newPage(browser, node, PHONE);
  await signIn(page, 'lanhdao');
  await go(page, `#/bao-cao?tab=ii06a&from=${FROM}&to=${TO}`);
  await page.locator('#ii06a').waitFor();
  const [doc, vw, wrap, inner] = await page.evaluate(() => {
    const w = document.querySelector('#ii06a').closest('.tablewrap');
    return [document.documentElement.scrollWidth, innerWidth, w.clientWidth, w.scrollWidth];
  });
  assert.ok(doc <= vw, `page ${doc} px wide in a ${vw} px screen`);
  assert.ok(inner > wrap, 'the table scrolls inside its wrapper');
  await shot(page, 'reports-ii06a-360');
  clean(page);

  const sp = await newPage(browser, node, WIDE);
  await signIn(sp, 'chuyenvien');
  assert.equal(await sp.locator('nav.side a', { hasText: 'Báo cáo thống kê' }).count(), 0);
  await go(sp, '#/bao-cao');
  await sp.locator('.msg-err').waitFor();
  sp.problems = sp.problems.filter((p) => !/403/.test(p)); // the refused request is logged by the browser
  clean(sp);
});

test('a dossier list\'s "Xuất CSV" gives its rows as CSV', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'lanhdao');
  await go(page, '#/ds/qua-han');
  await page.locator('.plist table').waitFor();
  const rows = await page.locator('.plist tbody tr').count();
  const csv = await download(page, () => page.getByRole('button', { name: 'Xuất CSV' }).click());
  const text = csv.bytes.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  const lines = text.slice(1).split('\r\n');
  assert.equal(lines[0], 'Hồ sơ,Thủ tục,Trạng thái,Hạn xử lý');
  assert.equal(lines.length - 2, rows);
  assert.match(lines[1], /^000\.31\.45\.H45-\d{6}-\d{4} · /, 'a cell\'s lines joined');
  // The quoting (RFC 4180) and the formula guard, through the same helper.
  const q = await download(page, () => page.evaluate(async () => {
    const { exportCsv } = await import('/assets/lib.js');
    exportCsv([['=SUM(A1)', 'a,"b"', '-5', '+84 912', '@x', 'dòng 1\ndòng 2', 'Hộ tịch']], 'thu.csv');
  }));
  assert.equal(q.name, 'thu.csv');
  assert.equal(q.bytes.toString('utf8'), '\ufeff\'=SUM(A1),"a,""b""",-5,\'+84 912,\'@x,"dòng 1\ndòng 2",Hộ tịch\r\n');
  clean(page);
});

// ---- the hub ----
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (dir, args, env = {}) => spawnSync(BIN, [...args, '--dir', dir], { encoding: 'utf8', timeout: 120000, env: { ...process.env, MOTCUA_TEST_NOW: NOW, ...env } });

test('on the hub the supervisor\'s reports have one row per commune', async () => {
  const root = mkdtempSync(join(tmpdir(), 'motcua-ui-reports-'));
  const hub = makeHub(root, 'hub');
  try {
    // The hub logs to a file: spawnSync blocks this process, and a pipe would fill.
    hub.port = await freePort();
    hub.base = `http://127.0.0.1:${hub.port}`;
    const fd = openSync(join(hub.data, 'serve.log'), 'a');
    hub.proc = spawn(BIN, ['serve', '--dir', hub.data, '--listen', `127.0.0.1:${hub.port}`], { stdio: ['ignore', 'ignore', fd], env: { ...process.env, MOTCUA_TEST_NOW: NOW } });
    closeSync(fd);
    for (let i = 0; i < 400; i++) {
      try { const r = await fetch(hub.base + '/healthz', { headers: { Connection: 'close' } }); await r.arrayBuffer(); if (r.status === 200) break; } catch { /* not up yet */ }
      await sleep(25);
    }
    const communes = [['a', '000.31.01.H45', 'Xã Thử A'], ['b', '000.32.01.H45', 'Xã Thử B']];
    for (const [sub, agency, name] of communes) {
      const dir = join(root, sub);
      motcua(['init', '--demo', '--agency', agency, '--name', name, '--dir', dir], { env: { ...process.env, MOTCUA_TEST_NOW: NOW } });
      let r = cli(dir, ['enrol', '--hub', hub.base]);
      assert.equal(r.status, 0, r.stderr);
      r = cli(hub.data, ['hub', 'approve', readFileSync(join(dir, 'node.pub'), 'utf8').trim()]);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      for (let i = 0; i < 20; i++) {
        r = cli(dir, ['sync', 'now'], { MOTCUA_TEST_NO_FILES: '1' });
        assert.equal(r.status, 0, r.stderr + r.stdout);
        if (JSON.parse(cli(dir, ['sync', 'status', '--json']).stdout).waiting === 0) break;
      }
    }
    const page = await newPage(browser, hub, WIDE);
    await page.goto(hub.base + '/');
    await page.getByLabel('Tên đăng nhập').fill('giamsat');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await page.locator('nav.side a', { hasText: 'Báo cáo thống kê' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/bao-cao'));
    await go(page, `#/bao-cao?tab=ii06a&from=${FROM}&to=${TO}`);
    await page.locator('#ii06a').waitFor();
    assert.equal(await page.locator('#rpt-by').inputValue(), 'commune');
    const j = await getJson(page, `/reports/ii06a?from=${FROM}&to=${TO}`);
    for (const [, agency, name] of communes) {
      const tr = page.locator(`#ii06a tbody tr[data-key="${agency}"]`);
      assert.equal(await tr.locator('th').textContent(), name);
      assert.equal(num(await tr.locator('td[data-col="received"]').textContent()), j.rows.find((r) => r.key === agency).values.received);
    }
    assert.equal(await page.locator('#ii06a tbody tr').count(), j.rows.length);
    assert.equal(num(await page.locator('#ii06a tfoot td[data-col="received"]').textContent()), j.total.received);
    // A commune's number opens its dossiers, each linking to the hub's view of it.
    const [, a0] = communes[0];
    const n = j.rows.find((r) => r.key === a0).values.resolved;
    await page.locator(`#ii06a tbody tr[data-key="${a0}"] td[data-col="resolved"] button`).click();
    await waitDrill(page);
    assert.equal(await page.locator('#rpt-drill tbody tr').count(), n);
    assert.match(await page.locator('#rpt-drill tbody a').first().getAttribute('href'), /^#\/tinh\/ho-so\/000\.31\.01\.H45-/);

    // The 766 table: communes side by side, the province's row last.
    await page.locator('a[role=tab][data-tab="766"]').click();
    await page.locator('#t766').waitFor();
    const k = await getJson(page, `/reports/766?from=${FROM}&to=${TO}`);
    assert.equal(await page.locator('#t766 tbody tr').count(), k.rows.length);
    for (const [, agency] of communes) {
      const v = k.rows.find((r) => r.key === agency).values['2.1'];
      const td = page.locator(`#t766 tbody tr[data-key="${agency}"] td[data-ind="2.1"]`);
      assert.equal(num(await td.locator('button').first().textContent()), v.numerator);
      assert.equal(num(await td.locator('button').nth(1).textContent()), v.denominator);
    }
    assert.match(await page.locator('#t766 tfoot th').textContent(), /Toàn tỉnh/);
    await go(page, `#/bao-cao?tab=ii06a&from=${FROM}&to=${TO}`);
    await page.locator('#ii06a').waitFor();
    await shot(page, 'hub-reports-1366');
    clean(page);
  } finally {
    if (hub.proc) { const done = new Promise((r) => hub.proc.once('exit', r)); hub.proc.kill('SIGTERM'); await done; }
    rmSync(root, { recursive: true, force: true });
  }
});
