// search.test.mjs - full-text results on the search screen (issue 12): a
// keyword typed without diacritics finds a dossier by its applicant and
// summary, the words found are <mark>ed in the name and the snippet as
// written (with their diacritics), markup in a citizen's text stays text,
// more pages come with "Xem thêm", a blank keyword shows no such section.
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, settled, apiLogin } from './helpers.mjs';

let node, browser, page, code;
const EVIL = '<img src=x onerror=alert(1)>';

before(async () => {
  node = await startNode(); browser = await launch();
  const desk = await apiLogin(node, 'tiepnhan');
  const r = await desk.post('/api/v1/dossiers', {
    procedure: '1.000253', channel: 'direct',
    applicant: { name: 'Đặng Thị Huyền Trâm', id_number: '025090001234', phone: '0912345678', address: 'Thôn Đồng Tâm' },
    summary: `Xin cấp bản trích lục ${EVIL} khai sinh`,
  });
  assert.equal(r.status, 201, r.text);
  code = r.json.code;
  page = await newPage(browser, node);
  await signIn(page, 'chuyenvien');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

const marks = (loc) => loc.locator('mark').allTextContents();

test('words typed without diacritics are found and marked as written', async () => {
  await go(page, '#/tim-kiem?q=' + encodeURIComponent('dang huyen trich'));
  await settled(page);
  const sec = page.locator('section.ftsearch');
  assert.equal((await sec.locator('h2').textContent()).trim(), 'Tìm theo nội dung');
  const hit = sec.locator(`li.fthit[data-code="${code}"]`);
  await hit.waitFor();
  assert.equal(await sec.locator('li.fthit').count(), 1);
  assert.match(await sec.locator('p.sub[aria-live]').textContent(), /Tìm thấy 1 kết quả/);
  assert.equal((await hit.locator('.aname').textContent()), 'Đặng Thị Huyền Trâm');
  assert.deepEqual(await marks(hit.locator('.aname')), ['Đặng', 'Huyền']);
  assert.deepEqual(await marks(hit.locator('.snip')), ['trích']);
  assert.ok((await hit.locator('.snip').textContent()).includes(EVIL), 'markup shown as text');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element made from the text');
  assert.equal(await hit.locator('a.code').getAttribute('href'), '#/ho-so/' + encodeURIComponent(code));
  await shot(page, 'search-fulltext');
  clean(page);
});

test('the form: upper case and decomposed input, then more pages', async () => {
  await go(page, '#/tim-kiem');
  assert.equal(await page.locator('section.ftsearch').count(), 0, 'no keyword, no full-text section');
  await page.locator('input[name="q"]').fill('ĐỒNG TÂM'.normalize('NFD'));
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  const hit = page.locator(`section.ftsearch li.fthit[data-code="${code}"]`);
  await hit.waitFor();
  await settled(page);
  // diacritics ignored: the procedure's "tạm" (trú) is marked as well
  const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  const m = await marks(hit.locator('.snip'));
  assert.ok(m.includes('Đồng') && m.includes('Tâm'), m.join(' '));
  for (const w of m) assert.ok(['dong', 'tam'].includes(fold(w)), w);
  // Every demo address: pages of 20 and "Xem thêm".
  await go(page, '#/tim-kiem?q=' + encodeURIComponent('kim boi'));
  await settled(page);
  const sec = page.locator('section.ftsearch');
  const total = Number((await sec.locator('p.sub[aria-live]').textContent()).match(/(\d+)/)[1]);
  assert.ok(total > 20, `the demo has more than 20 dossiers in Kim Bôi (${total})`);
  assert.equal(await sec.locator('li.fthit').count(), 20);
  for (const w of await marks(sec.locator('.snip'))) assert.ok(['Kim', 'Bôi'].includes(w), w);
  await sec.getByRole('button', { name: 'Xem thêm' }).click();
  await page.waitForFunction(() => document.querySelectorAll('section.ftsearch li.fthit').length > 20);
  const codes = await sec.locator('li.fthit').evaluateAll((l) => l.map((x) => x.dataset.code));
  assert.equal(new Set(codes).size, codes.length, 'no dossier twice');
  clean(page);
});

test('punctuation alone finds nothing, and says so', async () => {
  await go(page, '#/tim-kiem?q=' + encodeURIComponent('"*'));
  await settled(page);
  await page.locator('section.ftsearch .empty').waitFor();
  assert.equal(await page.locator('section.ftsearch li.fthit').count(), 0);
  clean(page);
});
