// forms.test.mjs - the printed forms over HTTP (issue 12): each form of
// dossiers made through the API, fetched as PDF, read back as the world
// reads it: pdfinfo (pages, paper), pdftotext (every field value with its
// diacritics), pdftoppm at 300 dpi and zbarimg (the QR code holds the
// look-up address). The PNGs are kept under build/screenshots/forms/.
//
// A demo node with its clock pinned at Wednesday 2026-03-04 09:00.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readdirSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, startNode, stopNode, login, client, newDossier, applicant, motcua } from './harness.mjs';

const NOW = '2026-03-04 09:00';
const D = '/api/v1/dossiers';
const enc = encodeURIComponent;
const SHOTS = join(ROOT, 'build', 'screenshots', 'forms');

let node, rec, lead, admin, spec, work;

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}
const act = async (c, code, b) => ok(await c.post(`${D}/${enc(code)}/actions`, b), 200, `${b.action} on ${code}`);

// GET a PDF with c's session. OUT: {status, type, disposition, bytes}.
async function pdfOf(c, path) {
  const r = await fetch(node.base + path, { headers: c.cookie ? { Cookie: c.cookie } : {} });
  return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), bytes: Buffer.from(await r.arrayBuffer()) };
}

// The PDF's pages, paper and text (whitespace collapsed: a value may wrap).
function read(bytes, name) {
  const f = join(work, name + '.pdf');
  writeFileSync(f, bytes);
  const info = execFileSync('pdfinfo', [f], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(info);
  const text = execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  const flat = execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  return { f, pages, w: Number(size[1]), h: Number(size[2]), text, flat };
}

// Rasterizes page 1 at 300 dpi into build/screenshots/forms/NAME.png and
// returns what zbarimg decodes there ([] if nothing).
function qrOf(pdf, name) {
  mkdirSync(SHOTS, { recursive: true });
  const base = join(work, name);
  execFileSync('pdftoppm', ['-r', '300', '-png', '-f', '1', '-l', '1', '-singlefile', pdf.f, base]);
  copyFileSync(base + '.png', join(SHOTS, name + '.png'));
  try {
    const out = execFileSync('zbarimg', ['-q', '--raw', base + '.png'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean);
  } catch { return []; } // zbarimg exits 4 when it finds no symbol
}

const A5 = (p) => Math.abs(p.w - 419.5) < 1 && Math.abs(p.h - 595.3) < 1;
const has = (p, s, what) => assert.ok(p.flat.includes(s), `${what}: '${s}' not in the PDF text:\n${p.text.slice(0, 3000)}`);

let serial = 0;
async function receive(c, over = {}) {
  serial++;
  const body = newDossier({
    procedure: '1.000253',
    applicant: { ...applicant('Nguyễn Thị Hồng Nhung'), phone: `09120000${String(serial).padStart(2, '0')}`, email: 'nhung@example.vn', address: 'Xóm Chiềng, xã Kim Bôi, tỉnh Phú Thọ' },
    summary: 'Xin cấp bản sao trích lục cho con',
    components: [{ name: 'Tờ khai đăng ký (bản gốc có chữ ký)', originals: 1, copies: 0 }, { name: 'Căn cước của người yêu cầu', originals: 0, copies: 2 }],
    ...over,
  });
  return ok(await c.post(D, body), 201, 'receive');
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'motcua-forms-'));
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
  [rec, lead, admin, spec] = await Promise.all(['tiepnhan', 'lanhdao', 'quantri', 'chuyenvien'].map((u) => login(node, u)));
});

after(async () => {
  if (node) await stopNode(node);
  rmSync(work, { recursive: true, force: true });
});

test('form 1: every field of the receipt, A5, one page, the QR code decodes to the look-up address', async () => {
  const d = await receive(rec);
  assert.ok(d.register && d.register.book === 2026 && d.register.no >= 1, `register entry: ${JSON.stringify(d.register)}`);
  const r = await pdfOf(rec, `${D}/${enc(d.code)}/forms/1.pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.match(r.disposition, /^inline; filename="mau-01-.+\.pdf"$/);
  const p = read(r.bytes, 'mau-01');
  assert.equal(p.pages, 1, 'one page');
  assert.ok(A5(p), `A5 paper, got ${p.w} x ${p.h}`);
  const ap = d.applicant;
  for (const v of [d.code, ap.name, ap.id_number, ap.phone, ap.email, ap.address, d.summary, d.procedure_name,
    ...d.components.map((c) => c.name), 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
    'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', 'UBND XÃ KIM BÔI', 'Kim Bôi, ngày 04 tháng 03 năm 2026',
    '09 giờ 00 phút, ngày 04/03/2026', 'Số lượng hồ sơ: 01 (bộ)', 'Nguyễn Thị Lan',
    `Quyển số: ${d.register.book}, Số thứ tự: ${d.register.no}`]) has(p, v, 'receipt');
  // The appointment as the API gives it.
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(d.due_at);
  has(p, `${m[4]} giờ ${m[5]} phút, ngày ${m[3]}/${m[2]}/${m[1]}`, 'appointment');
  const url = `${node.base}/tra-cuu/${d.code}`;
  assert.deepEqual(qrOf(p, 'mau-01-giay-tiep-nhan'), [url]);
  has(p, `${node.base}/tra-cuu/`, 'look-up line');
});

test('form 1 prints the sets handed in and the photocopies of each paper; bad counts are refused and change nothing', async () => {
  const d = await receive(rec, { sets: 2, components: [{ name: 'Sổ hộ khẩu cũ (bản chụp)', originals: 0, copies: 0, photocopies: 3 }] });
  assert.equal(d.sets, 2);
  assert.equal(d.components[0].photocopies, 3);
  const p = read((await pdfOf(rec, `${D}/${enc(d.code)}/forms/1.pdf`)).bytes, 'mau-01-sets');
  has(p, 'Số lượng hồ sơ: 02 (bộ)', 'sets');
  assert.match(p.text, /Sổ hộ khẩu cũ \(bản chụp\)\s+0\s+0\s+3\n/, 'the row: 0 originals, 0 copies, 3 photocopies');
  const before = ok(await rec.get(`${D}?limit=500`), 200, 'list').items.length;
  for (const bad of [0, 21, '2', 2.5, -1, null]) {
    const r = await rec.post(D, newDossier({ sets: bad }));
    assert.equal(r.status, 400, `sets ${JSON.stringify(bad)}: ${r.text}`);
  }
  const r = await rec.post(D, newDossier({ components: [{ name: 'Giấy tờ', photocopies: 101 }] }));
  assert.equal(r.status, 400, r.text);
  assert.equal(ok(await rec.get(`${D}?limit=500`), 200, 'list').items.length, before, 'nothing was received');
});

test('form 1 with a public address: the QR code and the line carry it; the register numbers follow one another', async () => {
  ok(await admin.patch('/api/v1/settings', { public_url: 'https://motcua.kimboi.phutho.gov.vn/' }), 200, 'set public_url');
  try {
    const a = await receive(rec);
    const b = await receive(rec);
    assert.equal(b.register.no, a.register.no + 1, 'consecutive register numbers');
    const p = read((await pdfOf(lead, `${D}/${enc(b.code)}/forms/1.pdf`)).bytes, 'mau-01-public');
    assert.deepEqual(qrOf(p, 'mau-01-dia-chi-cong-khai'), [`https://motcua.kimboi.phutho.gov.vn/tra-cuu/${b.code}`]);
  } finally {
    ok(await admin.patch('/api/v1/settings', { public_url: '' }), 200, 'unset public_url');
  }
});

test('four receptions at once get four different, consecutive register numbers', async () => {
  const got = await Promise.all([0, 1, 2, 3].map(() => receive(rec)));
  const nos = got.map((d) => d.register.no).sort((x, y) => x - y);
  assert.equal(new Set(nos).size, 4);
  assert.equal(nos[3] - nos[0], 3);
});

test('form 2: every item of the supplement request and who asked; form 3: the refusal with its legal basis', async () => {
  const d = await receive(rec);
  const items = ['Bổ sung giấy chứng sinh bản chính', 'Sửa họ tên người mẹ trong tờ khai cho đúng'];
  await act(rec, d.code, { action: 'request_supplement', comment: 'Hồ sơ còn thiếu giấy tờ', items });
  const p = read((await pdfOf(rec, `${D}/${enc(d.code)}/forms/2.pdf`)).bytes, 'mau-02');
  for (const v of ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', 'Hồ sơ còn thiếu giấy tờ', ...items, 'Nguyễn Thị Lan', d.applicant.name]) has(p, v, 'form 2');
  qrOf(p, 'mau-02-yeu-cau-bo-sung');
  // No refusal on this one: 409 doc.missing, in both languages.
  const e = ok(await rec.get(`${D}/${enc(d.code)}/forms/3.pdf`), 409, 'no refusal');
  assert.equal(e.error.code, 'doc.missing');
  assert.match(e.error.message, /chưa có phiếu từ chối/);

  const r = await receive(rec);
  await act(rec, r.code, { action: 'refuse', comment: 'Hồ sơ không thuộc thẩm quyền giải quyết của xã' });
  const q = read((await pdfOf(rec, `${D}/${enc(r.code)}/forms/3.pdf`)).bytes, 'mau-03');
  for (const v of ['PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', 'Hồ sơ không thuộc thẩm quyền giải quyết của xã', 'Nghị định số 118/2025/NĐ-CP', r.code]) has(q, v, 'form 3');
  qrOf(q, 'mau-03-tu-choi');
});

test('form 4 keeps the original appointment next to the new one; form 5 the stop; form 6 each step and hand-over', async () => {
  const d = await receive(rec);
  await act(rec, d.code, { action: 'assign', to: 'chuyenvien' });
  const x = await act(admin, d.code, { action: 'apology', comment: 'Cần xác minh thông tin tại nơi cư trú cũ', new_due: '2026-03-16T17:00+07:00' });
  const p = read((await pdfOf(spec, `${D}/${enc(d.code)}/forms/4.pdf`)).bytes, 'mau-04');
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(x.due_legal);
  for (const v of ['PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', 'Cần xác minh thông tin tại nơi cư trú cũ',
    '17 giờ 00 phút, ngày 16/03/2026', `${m[4]} giờ ${m[5]} phút, ngày ${m[3]}/${m[2]}/${m[1]}`, 'Ủy ban nhân dân xã Kim Bôi']) has(p, v, 'form 4');
  qrOf(p, 'mau-04-xin-loi');

  const six = read((await pdfOf(lead, `${D}/${enc(d.code)}/forms/6.pdf`)).bytes, 'mau-06');
  const full = ok(await lead.get(`${D}/${enc(d.code)}`), 200, 'dossier');
  for (const s of full.steps) has(six, s.name, 'form 6 step');
  for (const v of ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Nguyễn Thị Lan → Trần Văn Minh', 'Chuyển xử lý']) has(six, v, 'form 6');
  qrOf(six, 'mau-06-kiem-soat');

  await act(lead, d.code, { action: 'stop', comment: 'Dừng theo đề nghị của người nộp hồ sơ ngày 05/03' });
  const five = read((await pdfOf(rec, `${D}/${enc(d.code)}/forms/5.pdf`)).bytes, 'mau-05');
  for (const v of ['THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'Dừng theo đề nghị của người nộp hồ sơ ngày 05/03', 'Hoàng Văn Dũng']) has(five, v, 'form 5');
  qrOf(five, 'mau-05-dung');
});

test('the fee slip: each payment, the total in figures and in words', async () => {
  const d = await receive(rec);
  const e = ok(await rec.get(`${D}/${enc(d.code)}/forms/fee.pdf`), 409, 'no fee yet');
  assert.equal(e.error.code, 'doc.missing');
  ok(await rec.post(`${D}/${enc(d.code)}/fees`, { amount: 1250000, method: 'cash', receipt_no: 'BL-0012' }), 201, 'fee');
  const r = await pdfOf(rec, `${D}/${enc(d.code)}/forms/fee.pdf`);
  assert.match(r.disposition, /filename="phieu-thu-phi-/);
  const p = read(r.bytes, 'phieu-thu');
  for (const v of ['PHIẾU THU PHÍ, LỆ PHÍ', '1.250.000', 'Một triệu hai trăm năm mươi nghìn đồng', 'BL-0012', 'Nguyễn Thị Lan']) has(p, v, 'fee slip');
  qrOf(p, 'phieu-thu-phi');
});

test('form 7: the register of a period, A4 landscape, every dossier in register order, the header on every page', async () => {
  const made = [];
  for (let i = 0; i < 30; i++) made.push(await receive(rec));
  const r = await pdfOf(lead, '/api/v1/register.pdf?from=2026-03-01&to=2026-03-31');
  assert.equal(r.status, 200);
  const p = read(r.bytes, 'mau-07');
  assert.ok(Math.abs(p.w - 842) < 1 && Math.abs(p.h - 595.3) < 1, `A4 landscape, got ${p.w} x ${p.h}`);
  assert.ok(p.pages >= 2, `pages: ${p.pages}`);
  for (const d of made) has(p, d.code, 'register row');
  has(p, `Trang 1/${p.pages}`, 'page numbers');
  const heads = p.text.split('\f').filter((t) => t.trim()).map((t) => /Mã hồ sơ/.test(t));
  assert.deepEqual(heads, heads.map(() => true), 'the header repeats on every page');
  // Register order: the numbers of made rise down the text.
  const pos = made.map((d) => p.flat.indexOf(d.code));
  assert.deepEqual([...pos].sort((a, b) => a - b), pos);
  qrOf(p, 'mau-07-so-theo-doi');
  // The CLI writes the same register.
  const out = join(work, 'cli-register.pdf');
  motcua(['register', '--dir', node.data, '--from', '2026-03-01', '--to', '2026-03-31', '--out', out], { env: { ...process.env, MOTCUA_TEST_NOW: NOW }, stdio: 'ignore' });
  const c = read(readFileBytes(out), 'cli-register');
  assert.equal(c.pages, p.pages);
});

function readFileBytes(f) { return execFileSync('cat', [f]); }

test('refusals: no sign-in 401, an unknown form or dossier 404, a pending submission has no receipt, bad periods 400', async () => {
  const d = await receive(rec);
  const anon = client(node);
  assert.equal(ok(await anon.get(`${D}/${enc(d.code)}/forms/1.pdf`), 401, 'anonymous').error.code, 'auth.required');
  assert.equal(ok(await anon.get('/api/v1/register.pdf'), 401, 'anonymous register').error.code, 'auth.required');
  for (const f of ['0', '7', '9', '01', 'x', '1%00', '..%2F1']) {
    const r = await rec.get(`${D}/${enc(d.code)}/forms/${f}.pdf`);
    assert.ok([400, 404].includes(r.status), `form '${f}': ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.equal(ok(await rec.get(`${D}/000.31.45.H45-260304-9999/forms/1.pdf`), 404, 'unknown dossier').error.code, 'dossier.not_found');
  assert.equal((await rec.get(`${D}/${enc(d.code)}/forms/1`)).status, 404, 'no .pdf: no such path');
  const pending = await receive(rec, { pending: true, channel: 'online' });
  assert.equal(pending.register, null, 'a submission waits for its register entry');
  assert.equal(ok(await rec.get(`${D}/${enc(pending.code)}/forms/1.pdf`), 409, 'pending receipt').error.code, 'doc.missing');
  const accepted = await act(rec, pending.code, { action: 'accept' });
  assert.ok(accepted.register && accepted.register.no > 0, 'accepted: entered in the register');
  assert.equal((await pdfOf(rec, `${D}/${enc(pending.code)}/forms/1.pdf`)).status, 200);
  for (const q of ['from=2026-13-01', 'from=2026-03-10&to=2026-03-01', 'from=2024-01-01&to=2026-03-01', "from=2026-03-01'--"]) {
    assert.equal(ok(await lead.get(`/api/v1/register.pdf?${q}`), 400, q).error.code, 'doc.bad_period');
  }
  // Writes refused: the route reads only.
  assert.equal((await rec.post(`${D}/${enc(d.code)}/forms/1.pdf`, {})).status, 405);
});
