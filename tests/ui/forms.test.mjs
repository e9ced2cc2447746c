// forms.test.mjs - the printed forms as the officer reaches them (issue 12):
// after a reception the "In phiếu" button is the receipt's PDF; the dossier
// page lists the forms it has (each a PDF in a new tab); the register
// screen opens form 7 for a period. Each PDF is fetched with the page's own
// session and checked to be a PDF. Screenshots at 1366 and 360 px.
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, openDossier, apiLogin, receive } from './helpers.mjs';

let node, browser, admin;
before(async () => {
  node = await startNode(); browser = await launch();
  admin = await apiLogin(node, 'quantri');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };

// GETs href with the page's cookies: the PDF the browser would open.
async function pdfAt(page, href) {
  const r = await page.request.get(new URL(href, page.base).href);
  const body = await r.body();
  return { status: r.status(), type: r.headers()['content-type'], magic: body.subarray(0, 5).toString('latin1') };
}

test('after a reception "In phiếu" is the receipt PDF; a refusal at the desk prints form 3', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'tiepnhan');
  const code = await receive(page, { name: 'Trịnh Thị Thu Hường' });
  const print = page.locator('#print-form');
  assert.equal(await print.getAttribute('target'), '_blank');
  const href = await print.getAttribute('href');
  assert.equal(href, `/api/v1/dossiers/${encodeURIComponent(code)}/forms/1.pdf`);
  assert.deepEqual(await pdfAt(page, href), { status: 200, type: 'application/pdf', magic: '%PDF-' });
  await shot(page, 'forms-after-reception-1366');

  const refused = await receive(page, { action: 'refuse', reason: 'Hồ sơ không thuộc thẩm quyền của xã' });
  const h3 = await page.locator('#print-form').getAttribute('href');
  assert.equal(h3, `/api/v1/dossiers/${encodeURIComponent(refused)}/forms/3.pdf`);
  assert.equal((await pdfAt(page, h3)).status, 200);
  clean(page);
});

test('the dossier page lists the forms it has, each a PDF; at 360 px too', async () => {
  const r = await admin.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { name: 'Lò Văn Pấng', id_number: '025090001234', phone: '0912345670' } });
  assert.equal(r.status, 201, r.text);
  const code = r.json.code;
  const f = await admin.post(`/api/v1/dossiers/${encodeURIComponent(code)}/fees`, { amount: 50000, method: 'cash', receipt_no: 'BL-0099' });
  assert.equal(f.status, 201, f.text);
  for (const vp of [WIDE, PHONE]) {
    const page = await newPage(browser, node, vp);
    await signIn(page, 'lanhdao');
    await openDossier(page, code);
    const links = page.locator('#forms a[data-form]');
    const forms = await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-form')));
    assert.deepEqual(forms, ['1', '6', 'fee'], 'received, with a fee: receipt, control sheet, fee slip');
    assert.match(await page.locator('#forms').textContent(), /Phiếu kiểm soát quá trình giải quyết hồ sơ/);
    for (let i = 0; i < forms.length; i++) {
      const got = await pdfAt(page, await links.nth(i).getAttribute('href'));
      assert.deepEqual(got, { status: 200, type: 'application/pdf', magic: '%PDF-' }, `form ${forms[i]}`);
    }
    // Nothing wider than the screen.
    // The page itself never scrolls sideways (a wide table scrolls in its own box).
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `the page scrolls sideways by ${over} px at ${vp.width}`);
    await shot(page, `forms-dossier-${vp.width}`);
    clean(page);
  }
});

test('the register screen opens form 7 for a period; a wrong date is caught before anything opens', async () => {
  const page = await newPage(browser, node, WIDE);
  await signIn(page, 'giamsat');
  await go(page, '#/so-theo-doi');
  await page.locator('h1', { hasText: 'Sổ theo dõi hồ sơ' }).waitFor();
  await page.locator('input[name="from"]').fill('31/02/2026');
  await page.locator('#register-open').click();
  await page.locator('.ferr', { hasText: 'Ngày không đúng' }).first().waitFor();
  await page.locator('input[name="from"]').fill('01/01/2026');
  const popup = page.waitForEvent('popup');
  await page.locator('#register-open').click();
  await (await popup).close();
  const href = await page.locator('#register-link').getAttribute('href');
  assert.match(href, /^\/api\/v1\/register\.pdf\?from=2026-01-01&to=\d{4}-\d\d-\d\d$/);
  assert.deepEqual(await pdfAt(page, href), { status: 200, type: 'application/pdf', magic: '%PDF-' });
  await shot(page, 'forms-register-1366');
  clean(page);
});
