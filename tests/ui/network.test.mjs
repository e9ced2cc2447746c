// An unstable commune link: the answer to a write is lost after the server
// made it. The UI sends writes with an Idempotency-Key and sends them again
// by itself; when the link stays down it says so, keeps the form, and a
// second press repeats the same request. Either way: one dossier, one step.
import { test, before, after } from 'node:test';
import { launch, newPage, clean, signIn, startNode, stopNode, assert, receive, fillReception, state, apiLogin, openDossier } from './helpers.mjs';

let node, browser, page, api;
before(async () => {
  node = await startNode(); browser = await launch();
  page = await newPage(browser, node);
  await signIn(page, 'tiepnhan');
  api = await apiLogin(node, 'quantri');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

// The browser logs each broken request; those are this test's doing.
const forgetBroken = (p) => { p.problems = p.problems.filter((x) => !/ERR_CONNECTION_RESET|ERR_FAILED/.test(x)); };

async function byName(name) {
  const r = await api.get('/api/v1/dossiers?limit=50&q=' + encodeURIComponent(name));
  assert.equal(r.status, 200);
  return r.json.items;
}

// Passes the request to the server, then breaks the connection: written, answer lost.
async function writeThenBreak(route) {
  const resp = await route.fetch();
  const j = await resp.json();
  await route.abort('connectionreset');
  return j;
}

test('a reception whose answer is lost is sent again by itself and made once', async () => {
  let written = null, posts = 0;
  await page.route('**/api/v1/dossiers', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts++;
    if (!written) written = await writeThenBreak(route);
    else await route.continue();
  });
  const name = 'Tạ Thị Mạng Chập';
  const code = await receive(page, { name, phone: '0913000111' });
  await page.unroute('**/api/v1/dossiers');
  assert.ok(written && written.code, 'the first request reached the server');
  assert.equal(code, written.code, 'the receipt shows the dossier the lost answer named');
  assert.equal(posts, 2, 'sent twice');
  const found = await byName(name);
  assert.deepEqual(found.map((d) => d.code), [code], 'exactly one dossier');
  forgetBroken(page);
  clean(page);
});

test('a link down through every retry: the form stays, a second press makes the dossier once', async () => {
  let written = null, posts = 0;
  await page.route('**/api/v1/dossiers', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts++;
    if (!written) written = await writeThenBreak(route);
    else await route.abort('connectionreset');
  });
  const name = 'Lò Văn Đứt Mạng';
  await fillReception(page, { name, phone: '0913000222' });
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  const msg = page.locator('.msg-err', { hasText: 'Không kết nối được máy chủ' });
  await msg.waitFor({ timeout: 20000 });
  assert.match(await msg.textContent(), /không bị ghi hai lần/);
  assert.equal(posts, 4, 'the first try and three retries');
  assert.equal(await page.getByLabel('Họ và tên *').inputValue(), name, 'the form keeps what was typed');
  // The link is back; the officer presses again.
  await page.unroute('**/api/v1/dossiers');
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
  const code = (await page.locator('#new-code').textContent()).trim();
  assert.equal(code, written.code, 'the same dossier as the lost first answer');
  assert.deepEqual((await byName(name)).map((d) => d.code), [code], 'exactly one dossier');
  forgetBroken(page);
  clean(page);
});

test('a refusal at the desk whose second step cannot be sent: pressing again makes no second dossier', async () => {
  let aborted = 0;
  await page.route('**/actions', async (route) => { aborted++; await route.abort('connectionreset'); });
  const name = 'Vi Thị Hai Bước';
  await fillReception(page, { name, phone: '0913000444', tick: 'none' });
  await page.getByRole('button', { name: 'Từ chối tiếp nhận', exact: true }).click();
  const form = page.locator('[data-form="refuse"]');
  await form.locator('textarea').fill('Không thuộc thẩm quyền');
  await form.locator('button.danger').click();
  const msg = page.locator('.msg-err', { hasText: 'chưa ghi được bước tiếp theo' });
  await msg.waitFor({ timeout: 20000 });
  assert.equal(aborted, 4, 'the step was tried four times');
  const first = await byName(name);
  assert.equal(first.length, 1);
  assert.equal(first[0].status, 'submitted', 'made (waiting for reception, never received), not yet refused');
  await page.unroute('**/actions');
  await form.locator('button.danger').click();
  const code = (await page.locator('#new-code').textContent()).trim();
  assert.equal(code, first[0].code, 'the same dossier');
  const all = await byName(name);
  assert.deepEqual(all.map((d) => [d.code, d.status]), [[code, 'refused']], 'one dossier, refused');
  forgetBroken(page);
  clean(page);
});

test('an action whose answer is lost is done once', async () => {
  const recv = await apiLogin(node, 'tiepnhan');
  const r = await recv.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { name: 'Hà Văn Một Lần', id_number: '025090001234', phone: '0913000333' } });
  assert.equal(r.status, 201);
  const lead = await newPage(browser, node);
  await signIn(lead, 'lanhdao');
  await openDossier(lead, r.json.code);
  let broke = false;
  await lead.route('**/actions', async (route) => {
    if (!broke) { broke = true; await writeThenBreak(route); } else await route.continue();
  });
  await lead.locator('#act-buttons button[data-action="assign"]').click();
  await lead.locator('form[data-form="assign"] select[name="to"]').selectOption('chuyenvien');
  await lead.locator('form[data-form="assign"] button[type=submit]').click();
  await lead.locator('.msg-ok', { hasText: 'Đã thực hiện' }).waitFor();
  assert.ok(broke);
  assert.equal(await state(lead), 'Đang xử lý');
  const d = (await api.get('/api/v1/dossiers/' + encodeURIComponent(r.json.code))).json;
  assert.deepEqual(d.history.map((e) => e.action), ['receive', 'assign'], 'assigned once');
  forgetBroken(lead);
  clean(lead);
  await lead.context().close();
});
