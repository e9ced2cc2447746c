// files.test.mjs - digitization as the officer does it (issue 12): the
// dossier page's "Số hoá hồ sơ" panel uploads a multi-page PDF and a PNG
// (listed with their pages and source), a second click while sending does
// nothing, a link dropped in the middle of an upload resumes from the
// server's offset and the file is stored once; at reception the papers of
// the same ID number digitized before are offered and, ticked, attached as
// "Tái sử dụng"; a reload mid-upload goes on where the server stands when
// the same file is chosen again. Screenshots at 1366 and 360 px (build/screenshots/).
import { createHash } from 'node:crypto';
import { readdirSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, before, after, afterEach } from 'node:test';
import { SHOTS, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, openDossier, apiLogin, receive, fillReception } from './helpers.mjs';
import { png, pdf } from '../api/scans.mjs';

let node, browser, rec;
before(async () => {
  // No OCR workers: their thumbnails and searchable PDFs would change the
  // blob counts checked here (tests/ui/ocr.test.mjs has them).
  node = await startNode({ env: { MOTCUA_OCR_WORKERS: '0' } }); browser = await launch();
  rec = await apiLogin(node, 'tiepnhan');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });
// Each test's pages are closed after it: a browser context keeps up to six
// connections alive, and the server takes 32 from one address (srv.c
// CONN_PER_ADDRESS); the contexts of earlier tests held the slots a later
// page's requests needed, which the server refused (connection reset).
const opened = [];
const open = async (viewport) => { const p = await newPage(browser, node, viewport); opened.push(p); return p; };
afterEach(async () => { for (const p of opened.splice(0)) await p.context().close().catch(() => {}); });

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };
const sha = (b) => createHash('sha256').update(b).digest('hex');
const D = '/api/v1/dossiers';

async function dossier(idNumber) {
  const r = await rec.post(D, {
    procedure: '1.000253', channel: 'direct',
    applicant: { name: 'Hà Thị Số Hoá', id_number: idNumber, phone: '0912345670' },
    components: [{ name: 'Tờ khai thay đổi thông tin cư trú', originals: 1, copies: 0 }, { name: 'Giấy tờ chứng minh chỗ ở hợp pháp', originals: 0, copies: 1 }],
  });
  assert.equal(r.status, 201, r.text);
  return r.json.code;
}
const files = async (code) => (await rec.get(`${D}/${encodeURIComponent(code)}/files`)).json.items;
function blobs() { // the content-addressed store: files/XX/REST, parts under files/tmp
  const root = join(node.data, 'files');
  const out = { blobs: [], parts: [] };
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root)) for (const f of readdirSync(join(root, d))) (d === 'tmp' ? out.parts : out.blobs).push(d + f);
  return out;
}
// The row of component i (-1: the result) in the panel.
const comp = (page, i) => page.locator(`#files li.fcomp[data-component="${i}"]`);

// Chooses bytes as a file in component i's control and presses "Tải lên";
// waits for the message that it is stored.
async function uploadIn(page, i, name, mimeType, buffer, source) {
  const row = comp(page, i);
  await row.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
  if (source) await row.locator('select[name=source]').selectOption(source);
  await row.locator('button[data-upload]').click();
  await row.locator('.msg-ok', { hasText: 'Đã tải lên' }).waitFor({ timeout: 30000 });
}

// The browser reports each refused or aborted request of a test that cuts
// the link on purpose as a console error: those are expected there.
const dropExpected = (page) => { page.problems = page.problems.filter((p) => !/Failed to load resource/.test(p)); };

test('the dossier page: a 3-page PDF and a PNG uploaded, listed with pages and source, downloadable; a second click does nothing', async () => {
  const code = await dossier('025090004321');
  const page = await open(WIDE);
  await signIn(page, 'tiepnhan');
  await openDossier(page, code);
  await page.locator('#files h2', { hasText: 'Số hoá hồ sơ' }).waitFor();
  assert.equal(await comp(page, 0).locator('.empty').textContent(), 'Chưa có bản số hoá.');
  // The result is not theirs (reception) nor due yet (received): no row.
  assert.equal(await comp(page, -1).count(), 0);

  const begins = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/uploads$/.test(r.url())) begins.push(r.url()); });
  const doc = pdf(3, 30000);
  const row0 = comp(page, 0);
  await row0.locator('input[type=file]').setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: doc });
  // Two clicks in a row (an impatient officer): one upload.
  await row0.locator('button[data-upload]').evaluate((b) => { b.click(); b.click(); });
  await row0.locator('.msg-ok', { hasText: 'Đã tải lên «to-khai.pdf»: 3 trang.' }).waitFor();
  assert.equal(begins.length, 1, 'one upload begun for two clicks');
  const bar = row0.locator('[role=progressbar]');
  assert.equal(await bar.getAttribute('aria-valuenow'), '100');
  await row0.locator('li.file').waitFor();
  const item = await row0.locator('li.file').textContent();
  assert.match(item, /to-khai\.pdf/);
  assert.match(item, /PDF · 3 trang/);
  assert.match(item, /Đã số hoá/);

  const pic = png(700, 500, 5);
  // This one was taken from the citizen data store, not scanned here.
  await uploadIn(page, 1, 'giay-to-cho-o.png', 'image/png', pic, 'data_store');
  await comp(page, 1).locator('li.file').waitFor();
  assert.match(await comp(page, 1).locator('li.file').textContent(), /PNG · 1 trang · 35\d,\d KB/);
  assert.equal(await comp(page, 1).locator('li.file .src').textContent(), 'Từ kho dữ liệu công dân');

  const got = await files(code);
  assert.deepEqual(got.map((f) => [f.component, f.mime, f.pages, f.source, f.sha256]),
    [[0, 'application/pdf', 3, 'digitized', sha(doc)], [1, 'image/png', 1, 'data_store', sha(pic)]]);
  // The link downloads the very bytes.
  const href = await comp(page, 1).locator('a.flink').getAttribute('href');
  const r = await page.request.get(new URL(href, page.base).href);
  assert.equal(r.status(), 200);
  assert.equal(sha(await r.body()), sha(pic));
  // The timeline names the step.
  await openDossier(page, code);
  assert.match(await page.locator('ol.timeline').textContent(), /Đính kèm bản số hoá.*Tờ khai thay đổi thông tin cư trú: PDF, 3 trang/s);
  await shot(page, 'files-dossier-1366');
  clean(page);

  // A file of a type the server refuses: the message in Vietnamese, nothing kept.
  const before = blobs().blobs.length;
  await comp(page, 0).locator('input[type=file]').setInputFiles({ name: 'ghi-chu.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Đây là văn bản, không phải PDF\n') });
  await comp(page, 0).locator('button[data-upload]').click();
  const err = await comp(page, 0).locator('.msg-err').textContent();
  assert.match(err, /chỉ nhận PDF, JPEG, PNG hoặc TIFF\.$/);
  assert.equal(blobs().blobs.length, before);
  dropExpected(page);
  clean(page);

  // At 360 px: nothing wider than the screen.
  const phone = await open(PHONE);
  await signIn(phone, 'tiepnhan');
  await openDossier(phone, code);
  await comp(phone, 1).locator('li.file').waitFor();
  const over = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 0, `the page scrolls sideways by ${over} px at 360`);
  await shot(phone, 'files-dossier-360');
  await phone.locator('#files').screenshot({ path: join(SHOTS, 'files-panel-360.png') });
  clean(phone);
});

test('a link dropped mid-upload: resumes from the server\'s offset, never from the start; stored once', async () => {
  const code = await dossier('025090004322');
  const page = await open(WIDE);
  await signIn(page, 'tiepnhan');
  await openDossier(page, code);
  const bytes = png(1000, 700, 9); // ~700 KB: 64 KiB, 128 KiB, ... chunks
  const puts = [], statuses = [];
  let n = 0;
  await page.route('**/api/v1/uploads/**', async (route) => {
    const req = route.request();
    if (req.method() === 'GET') { statuses.push(req.url()); return route.continue(); }
    if (req.method() !== 'PUT') return route.continue();
    const offset = Number(new URL(req.url()).searchParams.get('offset'));
    n++;
    puts.push(offset);
    if (n === 2) return route.abort('connectionreset'); // cut before the server has it
    if (n === 4) { await route.fetch(); return route.abort('connectionreset'); } // stored, the answer lost
    if (n === 6) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'server.busy', message: 'máy chủ đang bận' } }) });
    return route.continue();
  });
  const before = blobs();
  const row = comp(page, 0);
  await row.locator('input[type=file]').setInputFiles({ name: 'ban-chup.png', mimeType: 'image/png', buffer: bytes });
  await row.locator('button[data-upload]').click();
  // While it waits to try again the officer is told, in Vietnamese.
  await row.locator('.msg-warn', { hasText: 'Mất kết nối hoặc máy chủ chưa trả lời' }).waitFor();
  assert.match(await row.locator('.msg-warn').textContent(), /không phải gửi lại từ đầu/);
  await row.locator('.msg-ok', { hasText: 'Đã tải lên «ban-chup.png»' }).waitFor({ timeout: 60000 });

  // Each failure asked the server where it stood and went on from there:
  // the chunk cut before the server had it is sent again at its offset;
  // the one stored whose answer was lost is not; nothing from byte 0 again.
  assert.ok(statuses.length >= 3, `a status request after each failure (${statuses.length})`);
  assert.equal(puts[0], 0);
  assert.equal(puts.filter((o) => o === 0).length, 1, `byte 0 sent once: ${puts}`);
  assert.equal(puts[2], puts[1], `the chunk cut is sent again at its offset: ${puts}`);
  assert.ok(puts[4] > puts[3], `the chunk stored before its answer was lost is not sent again: ${puts}`);
  assert.equal(puts[6], puts[5], `after a 503 the same offset: ${puts}`);
  for (let i = 1; i < puts.length; i++) assert.ok(puts[i] >= puts[i - 1], `offsets never go back: ${puts}`);

  const got = await files(code);
  assert.equal(got.length, 1);
  assert.equal(got[0].sha256, sha(bytes));
  const after = blobs();
  assert.deepEqual(after.blobs.filter((b) => !before.blobs.includes(b)), [sha(bytes)], 'one new blob, the file');
  assert.deepEqual(after.parts, [], 'no part file left');
  assert.equal(await row.locator('li.file').count(), 1);
  await shot(page, 'files-resumed-1366');
  await page.locator('#files').screenshot({ path: join(SHOTS, 'files-panel-1366.png') });
  dropExpected(page);
  clean(page);
});

test('reception offers the earlier papers of the same ID number; ticked ones are attached as "Tái sử dụng"', async () => {
  const ID = '025090004323';
  const page = await open(WIDE);
  await signIn(page, 'tiepnhan');
  // A first dossier of this person, received at the desk, its first paper scanned.
  const first = await receive(page, { id: ID, name: 'Đặng Thị Tái Dụng', tick: 'all' });
  await openDossier(page, first);
  const paperName = (await comp(page, 0).locator('h3').textContent()).trim();
  const scan = png(400, 300, 13);
  await uploadIn(page, 0, 'giay-to.png', 'image/png', scan);

  // Back at reception for the same person: the paper is offered.
  await fillReception(page, { id: ID, name: 'Đặng Thị Tái Dụng', tick: 'none' });
  const offer = page.locator('#papers');
  await offer.waitFor();
  assert.match(await offer.locator('h3').textContent(), /Giấy tờ đã số hoá của công dân/);
  const li = offer.locator('li.paper');
  assert.equal(await li.count(), 1);
  const text = await li.textContent();
  assert.ok(text.includes(paperName), text);
  assert.match(text, /1 trang/);
  assert.match(text, new RegExp(first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // Matched by name to the same component of the checklist.
  const sel = li.locator('select');
  assert.equal(await sel.locator('option:checked').textContent(), paperName);
  await shot(page, 'files-reception-offer-1366');
  await li.locator('input[type=checkbox]').check();
  // Ticking the paper ticks its component: it is in the dossier, held digitally.
  const box = page.locator('.checklist input[type=checkbox]').first();
  assert.equal(await box.isChecked(), true);
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  const second = (await page.locator('#new-code').textContent()).trim();
  await page.locator('.msg-ok', { hasText: 'Đã gắn 1 giấy tờ đã số hoá vào hồ sơ (Tái sử dụng).' }).waitFor();

  const got = await files(second);
  assert.deepEqual(got.map((f) => [f.component, f.source, f.sha256]), [[0, 'reused', sha(scan)]]);
  await openDossier(page, second);
  await comp(page, 0).locator('li.file').waitFor();
  assert.match(await comp(page, 0).locator('li.file .src').textContent(), /Tái sử dụng/);
  clean(page);

  // At 360 px the offer fits the screen.
  const phone = await open(PHONE);
  await signIn(phone, 'tiepnhan');
  await fillReception(phone, { id: ID, name: 'Đặng Thị Tái Dụng', tick: 'none' });
  await phone.locator('#papers li.paper').first().waitFor();
  const over = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 0, `the reception page scrolls sideways by ${over} px at 360`);
  await phone.locator('#papers').scrollIntoViewIfNeeded();
  await shot(phone, 'files-reception-offer-360');
  await phone.locator('#papers').screenshot({ path: join(SHOTS, 'files-papers-360.png') });
  clean(phone);
});

test('the electronic result: the assigned specialist uploads it; others do not see the control', async () => {
  const code = await dossier('025090004324');
  const a = await rec.post(`${D}/${encodeURIComponent(code)}/actions`, { action: 'assign', to: 'chuyenvien' });
  assert.equal(a.status, 200, a.text);
  const page = await open(WIDE);
  await signIn(page, 'chuyenvien');
  await openDossier(page, code);
  // A specialist uploads no scans, only the result.
  assert.equal(await comp(page, 0).locator('input[type=file]').count(), 0);
  await comp(page, -1).locator('h3', { hasText: 'Kết quả điện tử' }).waitFor();
  await uploadIn(page, -1, 'ket-qua.pdf', 'application/pdf', pdf(2, 5000));
  await comp(page, -1).locator('li.file').waitFor();
  assert.match(await comp(page, -1).locator('li.file').textContent(), /PDF · 2 trang/);
  assert.deepEqual((await files(code)).map((f) => [f.kind, f.component, f.pages]), [['result', -1, 2]]);
  clean(page);
  // The supervisor reads the list, uploads nothing.
  const sup = await open(WIDE);
  await signIn(sup, 'giamsat');
  await openDossier(sup, code);
  await comp(sup, -1).locator('li.file').waitFor();
  assert.equal(await sup.locator('#files input[type=file]').count(), 0);
  clean(sup);
});

test('a reload in the middle of an upload: the same file chosen again goes on from the server\'s offset', async () => {
  const code = await dossier('025090004325');
  // A real file, so that its name, size and date are the same when chosen again.
  const dir = mkdtempSync(join(tmpdir(), 'motcua-ui-files-'));
  const path = join(dir, 'ho-so-dai.pdf');
  const bytes = pdf(12, 30000); // ~360 KB
  writeFileSync(path, bytes);
  try {
    const page = await open(WIDE);
    await signIn(page, 'tiepnhan');
    await openDossier(page, code);
    // The link dies after the first chunk.
    let n = 0;
    await page.route('**/api/v1/uploads/**', (route) => (route.request().method() === 'PUT' && ++n > 1 ? route.abort('connectionreset') : route.continue()));
    const row = comp(page, 0);
    await row.locator('input[type=file]').setInputFiles(path);
    await row.locator('button[data-upload]').click();
    await row.locator('.msg-warn').waitFor();
    await page.unroute('**/api/v1/uploads/**');
    // The officer reloads the page (or the PC restarts) and chooses the file again.
    await page.reload();
    await page.locator('h1', { hasText: code }).waitFor();
    assert.match(await comp(page, 0).locator('.upnote').textContent(), /«ho-so-dai\.pdf» chưa tải xong/);
    const seen = [];
    page.on('request', (r) => { if (/\/uploads/.test(r.url())) seen.push(`${r.method()} ${new URL(r.url()).pathname.replace(/[0-9a-f]{32}/, 'ID')}${new URL(r.url()).search}`); });
    await comp(page, 0).locator('input[type=file]').setInputFiles(path);
    await comp(page, 0).locator('button[data-upload]').click();
    await comp(page, 0).locator('.msg-ok', { hasText: 'Đã tải lên «ho-so-dai.pdf»: 12 trang.' }).waitFor();
    assert.equal(seen[0], 'GET /api/v1/uploads/ID', `asks where the upload stands first: ${seen}`);
    assert.ok(!seen.some((s) => s.startsWith('POST')), `no new upload: ${seen}`);
    assert.equal(seen[1], 'PUT /api/v1/uploads/ID?offset=65536', `goes on after the first chunk: ${seen}`);
    assert.deepEqual((await files(code)).map((f) => [f.sha256, f.pages]), [[sha(bytes), 12]]);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('motcua.upload.')).length), 0, 'the pending upload forgotten once stored');
    dropExpected(page);
    clean(page);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
