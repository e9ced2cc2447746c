// identity.test.mjs - the applicant's identity on the reception form, and
// the officer's screen (issue 10): every case of
// tests/data/identity_cases.json the form can send gets the verdict the API
// and the CLI give (refused: the message at its field, nothing sent;
// accepted: the receipt shows what was stored); the form's own checks agree
// with the table on every case; a half-filled form survives a reload and
// leaving it asks first; at 360 px the staff pages fit the width and their
// touch targets are at least 40 px tall. Screenshots at 1366 and 360 px.
import { test, before, after } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, go, launch, newPage, clean, shot, signIn, signOut, startNode, stopNode, assert, settled, apiLogin, PHONE } from './helpers.mjs';

const T = JSON.parse(readFileSync(join(ROOT, 'tests/data/identity_cases.json'), 'utf8'));
const WIDE = { width: 1366, height: 900 };
const ID_LABEL = { cccd: 'Số CCCD / định danh cá nhân *', cmnd: 'Số CMND *', passport: 'Số hộ chiếu / giấy tờ *' };

let node, browser, page;
before(async () => {
  node = await startNode(); browser = await launch();
  page = await newPage(browser, node);
  await signIn(page, 'tiepnhan');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); });

// A reception form with the procedure already chosen (through the draft the
// form keeps, as after a reload), the rest empty.
async function freshForm(p, login = 'tiepnhan') {
  await p.evaluate((k) => sessionStorage.setItem(k, JSON.stringify({ proc: '1.000253', channel: 'direct' })), 'motcua.draft.reception.' + login);
  await go(p, '#/tiep-nhan');
  await p.locator('.chosen h3').waitFor();
}

// Fills the applicant as the case gives it (the form's own fields).
async function fillApplicant(p, ap) {
  const a = { ...T.base, ...ap };
  await p.locator('select[name="kind"]').selectOption(a.kind || 'person');
  await p.locator('select[name="id_type"]').selectOption(a.id_type || 'cccd');
  await p.getByLabel('Họ và tên *').fill(a.name);
  if ((a.id_type || 'cccd') !== 'none') await p.getByLabel(ID_LABEL[a.id_type || 'cccd'], { exact: true }).fill(a.id_number || '');
  if (a.kind === 'organisation') {
    await p.getByLabel('Tên tổ chức *').fill(a.org_name || '');
    await p.getByLabel('Mã số thuế / mã số doanh nghiệp *').fill(a.tax_code || '');
    await p.getByLabel('Người đại diện *').fill(a.representative || '');
  }
  await p.getByLabel('Số điện thoại *').fill(a.phone);
}

test('the form\'s checks give the table\'s verdict on every case', async () => {
  await go(page, '#/trang-chu');
  const got = await page.evaluate(async (cases) => {
    const lib = await import('/assets/lib.js');
    return cases.map((c) => {
      const a = c.applicant, org = a.kind === 'organisation';
      const errs = [lib.idError(a.id_type || 'cccd', a.id_number || '')];
      if (org) errs.push(a.org_name ? '' : 'name', lib.taxCodeError(a.tax_code || ''), a.representative ? '' : 'rep');
      if (a.kind && a.kind !== 'person' && !org) errs.push('kind');
      if (!org && (a.org_name || a.tax_code || a.representative)) errs.push('org fields on a person');
      return [c.name, errs.every((e) => !e)];
    });
  }, T.cases);
  assert.deepEqual(got, T.cases.map((c) => [c.name, c.ok]));
  clean(page);
});

for (const c of T.cases.filter((x) => x.ui !== false)) {
  test(`reception form, ${c.ok ? 'accepted' : 'refused'}: ${c.name}`, async () => {
    let posts = 0;
    const count = (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/dossiers')) posts++; };
    page.on('request', count);
    try {
      await freshForm(page);
      await fillApplicant(page, c.applicant);
      await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
      if (!c.ok) {
        const inp = page.locator(`[name="${c.field}"]`);
        await page.waitForFunction((n) => document.querySelector(`[name="${n}"]`).getAttribute('aria-invalid') === 'true', c.field);
        const msg = await page.locator(`#${await inp.getAttribute('id')}-err`).textContent();
        assert.ok(msg.trim().length > 5, `a message at ${c.field}: '${msg}'`);
        assert.equal(posts, 0, 'nothing was sent');
        return;
      }
      const code = (await page.locator('#new-code').textContent()).trim();
      assert.match(code, /^000\.31\.45\.H45-\d{6}-\d{4}$/);
      assert.equal(posts, 1);
      const receipt = await page.locator('.receipt').textContent();
      for (const k of ['id_number', 'tax_code', 'org_name']) {
        if (c.stored[k]) assert.ok(receipt.includes(c.stored[k]), `the receipt shows ${k} ${c.stored[k]}`);
      }
      if (c.stored.id_type === 'none') assert.match(receipt, /Giấy tờ tùy thân\s*Không có/);
    } finally { page.off('request', count); }
    clean(page);
  });
}

test('the server stays the authority: its refusal is shown at the field', async () => {
  await freshForm(page);
  await fillApplicant(page, T.cases.find((x) => x.name === 'organisation 10-digit tax code').applicant);
  const message = 'mã số thuế 0101234567 không có trong cơ sở dữ liệu (máy chủ)';
  await page.route('**/api/v1/dossiers', (route) => route.fulfill({ status: 400, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'text.bad_tax_code', message } }) }));
  try {
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
    await page.locator('.msg-err', { hasText: 'Mã số thuế 0101234567 không có' }).waitFor();
    assert.match(await page.locator(`#${await page.locator('[name="tax_code"]').getAttribute('id')}-err`).textContent(), /không có trong cơ sở dữ liệu/);
    assert.equal(await page.locator('[name="tax_code"]').getAttribute('aria-invalid'), 'true');
  } finally { await page.unroute('**/api/v1/dossiers'); }
  // The browser logs the 400 it was answered: that one is expected.
  const expected = (m) => m === 'console error: Failed to load resource: the server responded with a status of 400 (Bad Request)';
  assert.equal(page.problems.filter(expected).length, 1, 'the refused request');
  page.problems = page.problems.filter((m) => !expected(m));
  clean(page);
});

test('the dossier page names the document and shows an organisation', async () => {
  await freshForm(page); // the last case left a half-filled form: nothing to ask about
  const desk = await apiLogin(node, 'tiepnhan');
  const org = T.cases.find((x) => x.name === 'organisation 13 digits');
  const r = await desk.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { ...T.base, ...org.applicant } });
  assert.equal(r.status, 201, r.text);
  await go(page, '#/ho-so/' + encodeURIComponent(r.json.code));
  const kv = await page.locator('section.panel', { hasText: 'Người nộp hồ sơ' }).locator('dl.kv').textContent();
  assert.match(kv, /Tổ chức\s*Công ty TNHH Dịch vụ Kim Bôi/);
  assert.match(kv, /Mã số thuế \/ mã số doanh nghiệp\s*0101234567-001/);
  assert.match(kv, /Người đại diện\s*Trần Văn Đại/);
  assert.match(kv, /Số CCCD \/ định danh cá nhân\s*025190001234/);
  const pp = T.cases.find((x) => x.name === 'passport lower case');
  const r2 = await desk.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct', applicant: { ...T.base, ...pp.applicant } });
  await go(page, '#/ho-so/' + encodeURIComponent(r2.json.code));
  assert.match(await page.locator('dl.kv').nth(1).textContent(), /Số hộ chiếu \/ giấy tờ\s*B7654321/);
  // The lists show the organisation under the name; never the number.
  await go(page, '#/tim-kiem?q=' + encodeURIComponent('kim boi'));
  await settled(page);
  const row = page.locator(`tr[data-code="${r.json.code}"]`);
  assert.equal((await row.locator('.org').textContent()).trim(), 'Công ty TNHH Dịch vụ Kim Bôi');
  assert.ok(!(await row.textContent()).includes('025190001234'), 'no identity number in the list');
  clean(page);
});

// A page whose dialogs the test answers (confirm / beforeunload) and records.
async function dialogPage(viewport) {
  const p = await newPage(browser, node, viewport);
  p.removeAllListeners('dialog');
  p.dialogs = [];
  p.answer = true;
  p.on('dialog', (d) => { p.dialogs.push(d.type()); (p.answer ? d.accept() : d.dismiss()).catch(() => {}); });
  return p;
}

test('a half-filled reception form survives a reload, leaving it asks first, signing out clears it', async () => {
  const p = await dialogPage();
  await signIn(p, 'tiepnhan');
  await go(p, '#/tiep-nhan');
  await p.getByLabel('Tìm thủ tục theo mã hoặc tên').fill('1.000253');
  await p.locator('button.pick[data-code="1.000253"]').click();
  await p.locator('.chosen h3').waitFor();
  await p.locator('.checklist input[type=checkbox]').first().check();
  await fillApplicant(p, T.cases.find((x) => x.name === 'organisation NNNNNNNNNN-NNN').applicant);
  await p.getByLabel('Nội dung yêu cầu, trích yếu').fill('Đăng ký dở dang');
  // Reload: the browser asks (beforeunload); yes: everything is back.
  await p.reload();
  await p.locator('#draft-note').waitFor();
  assert.deepEqual(p.dialogs, ['beforeunload'], 'the reload asked first');
  assert.equal(await p.locator('select[name="kind"]').inputValue(), 'organisation');
  assert.equal(await p.getByLabel('Tên tổ chức *').inputValue(), 'Công ty TNHH Dịch vụ Kim Bôi');
  assert.equal(await p.getByLabel('Mã số thuế / mã số doanh nghiệp *').inputValue(), '0101234567-001');
  assert.equal(await p.getByLabel('Họ và tên *').inputValue(), T.base.name);
  assert.equal(await p.getByLabel('Số điện thoại *').inputValue(), T.base.phone);
  assert.equal(await p.getByLabel('Nội dung yêu cầu, trích yếu').inputValue(), 'Đăng ký dở dang');
  assert.equal(await p.locator('.chosen h3').count(), 1, 'the procedure is chosen again');
  assert.equal(await p.locator('.checklist input[type=checkbox]').first().isChecked(), true, 'the ticks are back');
  // Another screen of the app: asks; "no" stays with everything typed.
  p.dialogs = []; p.answer = false;
  await p.getByRole('link', { name: 'Trang chủ' }).click();
  await p.waitForFunction(() => location.hash === '#/tiep-nhan');
  assert.deepEqual(p.dialogs, ['confirm']);
  assert.equal(await p.getByLabel('Tên tổ chức *').inputValue(), 'Công ty TNHH Dịch vụ Kim Bôi', 'still there');
  // "Yes" leaves.
  p.dialogs = []; p.answer = true;
  await p.getByRole('link', { name: 'Trang chủ' }).click();
  await p.locator('h1', { hasText: 'Xin chào' }).waitFor();
  assert.deepEqual(p.dialogs, ['confirm']);
  // Nothing typed: leaves without asking.
  p.dialogs = [];
  await go(p, '#/tiep-nhan');
  assert.equal(await p.getByLabel('Họ và tên *').inputValue(), '', 'left on purpose: a fresh form');
  await p.getByRole('link', { name: 'Trang chủ' }).click();
  await p.locator('h1', { hasText: 'Xin chào' }).waitFor();
  assert.deepEqual(p.dialogs, [], 'an empty form does not ask');
  // Signing out with a half-filled form asks, then forgets it.
  await go(p, '#/tiep-nhan');
  await p.getByLabel('Họ và tên *').fill('Người Sắp Đăng Xuất');
  await signOut(p);
  assert.deepEqual(p.dialogs, ['confirm']);
  assert.deepEqual(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('motcua.draft.'))), [], 'no draft kept');
  await signIn(p, 'tiepnhan');
  await go(p, '#/tiep-nhan');
  assert.equal(await p.getByLabel('Họ và tên *').inputValue(), '');
  assert.equal(await p.locator('#draft-note').count(), 0);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});

// Nothing in the page wider than the window; every control in the main
// content and the header at least 40 px tall (a checkbox counts with its
// label, which toggles it too).
async function fits(p, what) {
  const w = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(w[0] <= w[1], `${what}: ${w[0]} px of content in ${w[1]} px`);
  const small = await p.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('main a, main button, main input, main select, main textarea, main summary, header.top button')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || el.closest('[hidden], .vh, .receipt') || el.classList.contains('vh')) continue;
      let hgt = r.height;
      if (el.type === 'checkbox' || el.type === 'radio') {
        const l = el.id && document.querySelector(`label[for="${el.id}"]`);
        if (l) hgt = Math.max(hgt, l.getBoundingClientRect().height);
      }
      if (hgt < 40) out.push(`${el.tagName.toLowerCase()}${el.name ? '[' + el.name + ']' : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(hgt)}px`);
    }
    return out;
  });
  assert.deepEqual(small, [], `${what}: touch targets under 40 px`);
}

test('at 360 px the staff pages fit the width, the menu folds, touch targets are 40 px; screenshots', async () => {
  const desk = await apiLogin(node, 'tiepnhan');
  const r = await desk.post('/api/v1/dossiers', { procedure: '1.000253', channel: 'direct',
    applicant: { ...T.base, ...T.cases.find((x) => x.name === 'organisation 10-digit tax code').applicant }, summary: 'Đăng ký tạm trú cho chuyên gia nước ngoài' });
  assert.equal(r.status, 201, r.text);
  const code = r.json.code;
  for (const [vp, tag] of [[PHONE, '360'], [WIDE, '1366']]) {
    const p = await newPage(browser, node, vp);
    await signIn(p, 'tiepnhan');
    const narrow = vp === PHONE;
    if (narrow) {
      assert.equal(await p.locator('nav.side').isVisible(), false, 'the menu is folded');
      await p.getByRole('button', { name: 'Menu' }).click();
      assert.equal(await p.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).isVisible(), true, 'open, it lists the links');
      await fits(p, 'menu open');
      await shot(p, `identity-menu-${tag}`, { full: false });
      await p.getByRole('link', { name: 'Trang chủ' }).click();
      await p.waitForFunction(() => !document.querySelector('nav.side.open'));
    } else {
      assert.equal(await p.locator('button.menu-toggle').isVisible(), false, 'no menu button on a wide screen');
    }
    const pages = [['#/trang-chu', 'home'], ['#/ds/sap-den-han', 'list-near'], ['#/ds/truc-tuyen', 'list-online'], ['#/tim-kiem?q=kim', 'search'],
      ['#/ho-so/' + encodeURIComponent(code), 'dossier']];
    for (const [hash, name] of pages) {
      await go(p, hash);
      await settled(p);
      if (narrow) await fits(p, name);
      await shot(p, `identity-${name}-${tag}`);
      if (narrow) await shot(p, `identity-${name}-${tag}-top`, { full: false });
    }
    await freshForm(p);
    await fillApplicant(p, T.cases.find((x) => x.name === 'cccd 12 digits').applicant);
    if (narrow) await fits(p, 'reception, person');
    await shot(p, `identity-reception-person-${tag}`);
    await fillApplicant(p, T.cases.find((x) => x.name === 'organisation 13 digits').applicant);
    if (narrow) await fits(p, 'reception, organisation');
    await shot(p, `identity-reception-org-${tag}`);
    await p.getByRole('button', { name: 'Tiếp nhận hồ sơ', exact: true }).click();
    await p.locator('#new-code').waitFor();
    if (narrow) await fits(p, 'receipt');
    await shot(p, `identity-receipt-${tag}`);
    clean(p);
    await p.context().close();
  }
});
