// The whole life of one dossier through the UI only: reception → assignment
// → processing → supplement requested and received → approval → return,
// with the citizen's look-up page checked at each state and a rating at
// the end.
import { test, before, after } from 'node:test';
import { go, launch, newPage, clean, shot, signIn, signOut, startNode, stopNode, assert, settled, receive, act, state, lookup, PHONE } from './helpers.mjs';

let node, browser;
before(async () => { node = await startNode(); browser = await launch(); });
after(async () => { await browser?.close(); if (node) await stopNode(node); });

test('one dossier from reception to return, through the UI', async () => {
  const page = await newPage(browser, node);
  const pub = await newPage(browser, node, PHONE);
  const phone = '0987654321', last4 = '4321';
  const seen = [];
  const check = async (label) => {
    assert.equal(await lookup(pub, code, last4), label, 'the public page shows ' + label);
    seen.push(label);
    assert.equal(await pub.locator('.result').getByText(phone).count(), 0, 'no phone number on the public page');
    assert.equal(await pub.locator('.result').getByText('Lý Thị Mai').count(), 0, 'no name on the public page');
  };

  // Reception.
  await signIn(page, 'tiepnhan');
  await go(page, '#/tiep-nhan');
  await page.getByLabel('Tìm thủ tục theo mã hoặc tên').fill('khai bao tam tru');
  await page.locator('button.pick[data-code="1.000253"]').waitFor();
  await shot(page, 'reception-search');
  const code = await receive(page, { query: 'khai bao tam tru', name: 'Lý Thị Mai', phone, id: '001190012345' });
  assert.match(code, /^000\.31\.45\.H45-\d{6}-\d{4}$/);
  assert.match(await page.locator('#new-due').textContent(), /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  assert.ok(await page.locator('.receipt').getByText('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ').isVisible());
  await shot(page, 'reception-receipt');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'reception-receipt-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Tiếp nhận hồ sơ tiếp theo' }).click();
  assert.equal(await page.getByLabel('Họ và tên *').inputValue(), '', 'the next dossier starts blank');
  await check('Đã tiếp nhận');
  await shot(pub, 'public-received');
  await signOut(page);

  // The leader assigns it from the assignment queue.
  await signIn(page, 'lanhdao');
  await go(page, '#/ds/cho-phan-cong');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await shot(page, 'dossier-received-leader');
  await page.reload(); // the CSRF token comes back from /me after a reload
  await page.locator('#act-buttons').waitFor();
  await act(page, 'assign', { to: 'chuyenvien' });
  assert.equal(await state(page), 'Đang xử lý');
  await check('Đang xử lý');
  await signOut(page);

  // The specialist finds it in the inbox, asks for a supplement.
  await signIn(page, 'chuyenvien');
  await go(page, '#/ds/cua-toi');
  await settled(page);
  await shot(page, 'inbox-specialist');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await shot(page, 'dossier-processing-specialist');
  await act(page, 'request_supplement', { comment: 'Bổ sung bản sao hộ chiếu của người nước ngoài' });
  assert.equal(await state(page), 'Chờ bổ sung');
  assert.equal((await page.locator('.dstate .due').textContent()).trim(), 'Tạm dừng chờ bổ sung');
  await check('Chờ bổ sung');
  await signOut(page);

  // Reception takes the supplement in.
  await signIn(page, 'tiepnhan');
  await go(page, '#/ds/cho-bo-sung');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await act(page, 'supplement_received', { comment: 'Đã nhận bản sao hộ chiếu' });
  assert.equal(await state(page), 'Đang xử lý');
  await check('Đang xử lý');
  await signOut(page);

  // The specialist submits it for approval.
  await signIn(page, 'chuyenvien');
  await go(page, '#/ho-so/' + encodeURIComponent(code));
  await act(page, 'submit_approval', { comment: 'Đủ điều kiện, đề nghị phê duyệt' });
  assert.equal(await state(page), 'Chờ phê duyệt');
  await check('Chờ phê duyệt');
  await signOut(page);

  // The leader approves from the approval queue.
  await signIn(page, 'lanhdao');
  await go(page, '#/ds/cho-phe-duyet');
  await settled(page);
  await shot(page, 'queue-approval-leader');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await act(page, 'approve');
  assert.equal(await state(page), 'Có kết quả');
  // The reports' words (issue 10 item 3): finished the day it was received.
  assert.equal((await page.locator('.dstate .due').textContent()).trim(), 'Trước hạn');
  assert.match(await page.locator('.kv').first().textContent(), /Đánh giá thời hạn\s*Trước hạn/);
  await check('Có kết quả');
  assert.ok(await pub.getByRole('button', { name: 'Gửi đánh giá' }).isVisible(), 'the rating form shows once the result is ready');
  await signOut(page);

  // The return desk hands the result over.
  await signIn(page, 'tiepnhan');
  await go(page, '#/ds/tra-ket-qua');
  await settled(page);
  await shot(page, 'queue-return-desk');
  await page.locator(`tr[data-code="${code}"] a`).click();
  await page.locator('h1', { hasText: code }).waitFor();
  await act(page, 'return', { collected_by: 'Lý Văn Nam (được uỷ quyền)' });
  assert.equal(await state(page), 'Đã trả kết quả');
  assert.ok(await page.getByText('Lý Văn Nam (được uỷ quyền)').first().isVisible());
  // The timeline has every step, who did it and the comments.
  const steps = await page.locator('ol.timeline .tl-step strong').allTextContents();
  assert.deepEqual(steps, ['Tiếp nhận hồ sơ', 'Chuyển xử lý', 'Yêu cầu bổ sung', 'Nhận hồ sơ bổ sung', 'Trình phê duyệt', 'Phê duyệt', 'Trả kết quả']);
  const who = await page.locator('ol.timeline .tl-who').allTextContents();
  assert.match(who[0], /Nguyễn Thị Lan \(tiepnhan\)/);
  assert.match(who[1], /Hoàng Văn Dũng \(lanhdao\).*giao cho: Trần Văn Minh \(chuyenvien\)/, 'names from the staff directory');
  assert.ok(await page.locator('ol.timeline').getByText('Bổ sung bản sao hộ chiếu của người nước ngoài').isVisible());
  await shot(page, 'dossier-returned');
  await check('Đã trả kết quả');
  assert.deepEqual(seen, ['Đã tiếp nhận', 'Đang xử lý', 'Chờ bổ sung', 'Đang xử lý', 'Chờ phê duyệt', 'Có kết quả', 'Đã trả kết quả']);
  const publicSteps = await pub.locator('ol.steps li').count();
  assert.ok(publicSteps >= 7, 'the public page lists the steps');

  // The citizen rates the service.
  await pub.getByLabel('Rất hài lòng').check();
  await pub.getByLabel('Góp ý (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình');
  await shot(pub, 'public-rating');
  await pub.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await pub.getByText('Cảm ơn ông/bà đã đánh giá').waitFor();
  assert.ok(await pub.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll at 360 px');
  await shot(pub, 'public-rated');
  await lookup(pub, code, last4);
  assert.ok(await pub.getByText('Hồ sơ này đã được đánh giá').isVisible());
  assert.equal(await pub.locator('ol.steps li').count(), publicSteps, 'the rating is no step of the citizen\'s list');

  // Staff see the rating on the dossier's timeline (issue 10 item 9).
  await page.reload();
  await page.locator('ol.timeline').waitFor();
  const rated = page.locator('ol.timeline li.tl-rating');
  assert.equal(await rated.count(), 1, 'one rating on the timeline');
  const rtext = await rated.textContent();
  assert.match(rtext, /Người dân đánh giá/);
  assert.match(rtext, /Rất hài lòng/);
  assert.match(rtext, /Cán bộ hướng dẫn tận tình/);
  assert.equal(await page.locator('.kv').first().getByText('Ghi chú, lý do').count(), 0, 'returned: no old reason shown as its note');
  await shot(page, 'dossier-rated');

  clean(page);
  clean(pub);
  await page.context().close();
  await pub.context().close();
});
