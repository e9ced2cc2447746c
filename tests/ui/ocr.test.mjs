// ocr.test.mjs - what the officer sees of a scan's reading (issue 12): the
// dossier page's file line says where the OCR job stands, then shows the
// thumbnail it made and links the searchable PDF and the text read.
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, before, after } from 'node:test';
import { ROOT, launch, newPage, clean, shot, signIn, startNode, stopNode, assert, openDossier, apiLogin } from './helpers.mjs';

let node, browser, rec, imgs;
before(async () => {
  imgs = mkdtempSync(join(tmpdir(), 'motcua-ocr-ui-'));
  const maker = join(ROOT, 'build/tests/doc/ocr_test');
  assert.ok(existsSync(maker), `${maker} is missing: make build/tests/doc/ocr_test`);
  execFileSync(maker, ['--images', imgs]);
  node = await startNode({ env: { MOTCUA_OCR_WORKERS: '1' } }); browser = await launch();
  rec = await apiLogin(node, 'tiepnhan');
});
after(async () => { await browser?.close(); if (node) await stopNode(node); if (imgs) rmSync(imgs, { recursive: true, force: true }); });

test('a scan read in the background: its state, then its thumbnail, searchable PDF and text, at 1366 and 360 px', async () => {
  const r = await rec.post('/api/v1/dossiers', {
    procedure: '1.000253', channel: 'direct', applicant: { name: 'Nguyễn Văn Đức', id_number: '025090001234', phone: '0912345671' },
    components: [{ name: 'Giấy chứng nhận quyền sử dụng đất', originals: 0, copies: 1 }],
  });
  assert.equal(r.status, 201, r.text);
  const code = r.json.code;
  const bytes = readFileSync(join(imgs, 'scan.jpg'));
  const u = await rec.post(`/api/v1/dossiers/${encodeURIComponent(code)}/uploads`, { component: 0, kind: 'scan', filename: 'so-do.jpg', size: bytes.length });
  assert.equal(u.status, 201, u.text);
  const put = await rec.req('PUT', `/api/v1/uploads/${u.json.id}?offset=0`, new Uint8Array(bytes), { headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(put.status, 201, put.text);
  for (const vp of [{ width: 1366, height: 900 }, { width: 360, height: 740 }]) {
    const page = await newPage(browser, node, vp);
    await signIn(page, 'chuyenvien');
    let state = '';
    for (let i = 0; i < 120 && state !== 'done'; i++) {
      await openDossier(page, code);
      const line = page.locator('#files li.file .ocr');
      await line.waitFor();
      state = await line.getAttribute('data-ocr');
      assert.match(await line.textContent(), /nhận dạng chữ/, 'the line says where the reading stands');
      if (state !== 'done') await page.waitForTimeout(1000);
    }
    assert.equal(state, 'done');
    assert.match(await page.locator('#files li.file .ocr').textContent(), /Đã nhận dạng chữ/);
    const img = page.locator('#files li.file img.fthumb');
    await img.waitFor();
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0 && i.naturalWidth <= 320), 'the thumbnail shows');
    const href = await page.locator('#files a.spdf').getAttribute('href');
    const pdf = await page.request.get(new URL(href, page.base).href);
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(over <= 0, `sideways by ${over} px at ${vp.width}`);
    await page.locator('#files').scrollIntoViewIfNeeded();
    await shot(page, `ocr-file-${vp.width}`);
    clean(page);
  }
});
