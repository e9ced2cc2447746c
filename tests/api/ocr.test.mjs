// ocr.test.mjs - the text of stored scans, read in the background (issue
// 12): an upload queues an OCR job in the same transaction, a worker of
// the server reads it page by page (progress in GET /api/v1/jobs and in
// the dossier's file list), the text is readable per page; a server
// killed with SIGKILL while a four-page job runs finishes it after the
// restart, once, with the attempt counted; a job whose file cannot be read
// fails three times and stays failed with its error; the queue survives a
// restart; `motcua jobs` lists the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, motcua, startNode, stopNode, startServer, stopServer, login, newDossier, applicant } from './harness.mjs';

const sha = (b) => createHash('sha256').update(b).digest('hex');
const D = '/api/v1/dossiers';
let node, rec, imgs;

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res.json;
}
async function dossier() {
  const body = newDossier({
    applicant: { ...applicant('Người Số Hoá'), id_number: '025090009999' },
    components: [{ name: 'Tờ khai', originals: 1, copies: 0 }, { name: 'Giấy khai sinh', originals: 0, copies: 1 }],
  });
  return ok(await rec.post(D, body), 201, 'receive').code;
}
async function upload(code, bytes, component = 0) {
  const u = ok(await rec.post(`${D}/${encodeURIComponent(code)}/uploads`, { component, kind: 'scan', filename: 'scan', size: bytes.length }), 201, 'begin');
  const r = await rec.req('PUT', `/api/v1/uploads/${u.id}?offset=0`, new Uint8Array(bytes), { headers: { 'Content-Type': 'application/octet-stream' } });
  return ok(r, 201, 'upload').file;
}
// GET with the session: the bytes, not text.
async function raw(path) {
  const r = await fetch(node.base + path, { headers: { Cookie: rec.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}
const jobOf = async (ref) => ok(await rec.get('/api/v1/jobs'), 200, 'jobs').items.find((j) => j.ref === ref);
async function until(what, fn, ms = 90000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${node.log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const restart = async (signal, env) => {
  await stopServer(node, signal);
  node.env = { ...node.env, ...env };
  await startServer(node);
  rec = await login(node, 'tiepnhan');
};

before(async () => {
  // The pages: known Vietnamese text set by tests/doc/ocr_test.c.
  imgs = mkdtempSync(join(tmpdir(), 'motcua-ocr-'));
  const maker = join(ROOT, 'build/tests/doc/ocr_test');
  assert.ok(existsSync(maker), `${maker} is missing: make build/tests/doc/ocr_test`);
  execFileSync(maker, ['--images', imgs]);
  node = await startNode({ env: { MOTCUA_OCR_WORKERS: '1' } });
  rec = await login(node, 'tiepnhan');
});
after(async () => { if (node) await stopNode(node); if (imgs) rmSync(imgs, { recursive: true, force: true }); });

test('an upload is read in the background: job done, text per page, state in the file list', async () => {
  const code = await dossier();
  const bytes = readFileSync(join(imgs, 'scan.jpg'));
  const f = await upload(code, bytes);
  const job = await until('the job', () => jobOf(sha(bytes)));
  assert.equal(job.kind, 'ocr');
  assert.ok(['queued', 'running', 'done'].includes(job.state), job.state);
  const done = await until('done', async () => { const j = await jobOf(f.sha256); return j.state === 'done' && j; });
  assert.equal(done.pages_done, 1);
  assert.equal(done.pages_total, 1);
  assert.equal(done.attempts, 1);
  const t = ok(await rec.get(`/api/v1/files/${f.sha256}/text`), 200, 'text');
  assert.equal(t.ocr.state, 'done');
  assert.equal(t.pages.length, 1);
  assert.equal(t.pages[0].page, 1);
  assert.match(t.pages[0].text, /Nguyễn Văn Đức/);
  assert.match(t.pages[0].text, /kỹ\s+thuật viên/);
  assert.ok(t.pages[0].confidence > 50);
  const list = ok(await rec.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'files');
  assert.deepEqual(list.items[0].ocr, { state: 'done', pages_done: 1, pages_total: 1, thumbnail: true, searchable_pdf: true });
  // The thumbnail: a PNG no larger than 320 px a side.
  const th = await raw(`/api/v1/files/${f.sha256}/thumbnail.png`);
  assert.equal(th.status, 200);
  assert.equal(th.type, 'image/png');
  assert.equal(th.bytes.subarray(1, 4).toString('latin1'), 'PNG');
  const w = th.bytes.readUInt32BE(16), h = th.bytes.readUInt32BE(20);
  assert.ok(w <= 320 && h <= 320 && Math.max(w, h) === 320, `thumbnail ${w}x${h}`);
  // The searchable PDF: the page's image, and its words as text that
  // pdftotext finds with their diacritics.
  const sp = await raw(`/api/v1/files/${f.sha256}/searchable.pdf`);
  assert.equal(sp.status, 200);
  assert.equal(sp.type, 'application/pdf');
  const spf = join(imgs, 'searchable.pdf');
  writeFileSync(spf, sp.bytes);
  const words = execFileSync('pdftotext', [spf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const w2 of ['Nguyễn Văn Đức', 'quyền sử dụng đất', 'Ủy ban nhân dân']) assert.ok(words.includes(w2), `'${w2}' in the searchable PDF's text: ${words.slice(0, 300)}`);
  assert.match(execFileSync('pdfimages', ['-list', spf], { encoding: 'utf8' }), /gray\s+1\s+8\s+jpeg/, 'the page is a grey JPEG');
  // What the job made stays on this node: only the files a dossier holds
  // wait for the hub (sync_file), never a thumbnail or a searchable PDF.
  const q = (sql) => execFileSync('sqlite3', [join(node.data, 'motcua.db'), sql], { encoding: 'utf8' }).trim();
  assert.equal(q("select count(*) from file_derived where sha256 = '" + f.sha256 + "'"), '2');
  assert.equal(q('select count(*) from sync_file where sha256 in (select derived from file_derived)'), '0', 'no derived file is offered to the hub');
  assert.equal(q('select count(*) from sync_file'), q('select count(distinct sha256) from dossier_file'), 'every file a dossier holds is offered');
  // Nothing for a file this agency does not hold; no sign-in: 401.
  ok(await rec.get(`/api/v1/files/${'0'.repeat(64)}/thumbnail.png`), 404, 'no such file');
  ok(await rec.get(`/api/v1/files/${'0'.repeat(64)}/searchable.pdf`), 404, 'no such file');
  assert.equal((await fetch(`${node.base}/api/v1/files/${f.sha256}/thumbnail.png`)).status, 401);
  // The words read are found by the full-text search, in this dossier,
  // without their diacritics typed; the snippet keeps them.
  const found = ok(await rec.get('/api/v1/search?q=' + encodeURIComponent('ky thuat vien')), 200, 'search').items;
  const hit = found.find((i) => i.kind === 'file' && i.code === code);
  assert.ok(hit, 'the scan is found by its words: ' + JSON.stringify(found).slice(0, 500));
  assert.equal(hit.ref, `${code}/${f.sha256}`);
  assert.ok(hit.snippet.some((g) => g.hit && /kỹ/i.test(g.text)), 'the snippet shows the word as read');
  // The same bytes again (another component): deduplicated, not queued twice.
  await upload(code, bytes, 1);
  const all = ok(await rec.get('/api/v1/jobs'), 200, 'jobs').items.filter((j) => j.ref === f.sha256);
  assert.equal(all.length, 1);
  assert.equal(ok(await rec.get('/api/v1/jobs?state=done'), 200, 'done jobs').items.every((j) => j.state === 'done'), true);
  ok(await rec.get('/api/v1/jobs?state=nonsense'), 400, 'bad state');
  ok(await rec.get(`/api/v1/files/${'0'.repeat(64)}/text`), 404, 'no such file');
});

test('kill -9 during a four-page job: finished after the restart, one text set, attempts counted', async () => {
  const code = await dossier();
  const bytes = readFileSync(join(imgs, 'pages.tif'));
  const f = await upload(code, bytes);
  assert.equal(f.pages, 4);
  await until('a page read', async () => { const j = await jobOf(f.sha256); return j && j.state === 'running' && j.pages_done >= 1 && j; });
  const mid = await jobOf(f.sha256);
  assert.equal(mid.pages_total, 4);
  await restart('SIGKILL');
  const done = await until('done after restart', async () => { const j = await jobOf(f.sha256); return j.state === 'done' && j; });
  assert.equal(done.attempts, 2);
  assert.equal(done.pages_done, 4);
  const t = ok(await rec.get(`/api/v1/files/${f.sha256}/text`), 200, 'text');
  assert.deepEqual(t.pages.map((p) => p.page), [1, 2, 3, 4]);
  for (const p of t.pages) assert.match(p.text, /Nguyễn Văn Đức/);
  const jobs = ok(await rec.get('/api/v1/jobs'), 200, 'jobs').items.filter((j) => j.ref === f.sha256);
  assert.equal(jobs.length, 1);
});

test('the queue survives a restart; a file that cannot be read fails three times and stays failed', async () => {
  await restart('SIGTERM', { MOTCUA_OCR_WORKERS: '0' });
  const code = await dossier();
  const good = readFileSync(join(imgs, 'clean.png'));
  const lost = readFileSync(join(imgs, 'photo.jpg'));
  const a = await upload(code, good);
  const b = await upload(code, lost, 1);
  assert.equal((await jobOf(a.sha256)).state, 'queued');
  assert.equal((await jobOf(b.sha256)).state, 'queued');
  const list = ok(await rec.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'files');
  assert.deepEqual(list.items.map((i) => i.ocr.state), ['queued', 'queued']);
  assert.deepEqual(ok(await rec.get(`/api/v1/files/${a.sha256}/text`), 200, 'text').pages, []);
  // Its bytes gone from the store (a disk fault): the job cannot succeed.
  unlinkSync(join(node.data, 'files', b.sha256.slice(0, 2), b.sha256.slice(2)));
  await restart('SIGTERM', { MOTCUA_OCR_WORKERS: '1' });
  const ja = await until('a done', async () => { const j = await jobOf(a.sha256); return j.state === 'done' && j; });
  assert.equal(ja.attempts, 1);
  const jb = await until('b failed', async () => { const j = await jobOf(b.sha256); return j.state === 'failed' && j; });
  assert.equal(jb.attempts, 3);
  assert.match(jb.error, /.+/);
  const files = ok(await rec.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'files');
  assert.equal(files.items.find((i) => i.sha256 === b.sha256).ocr.state, 'failed');
  // The command line lists the same.
  const out = JSON.parse(motcua(['jobs', '--json', '--dir', node.data]).toString());
  assert.equal(out.items.find((j) => j.ref === b.sha256).state, 'failed');
  const failed = JSON.parse(motcua(['jobs', '--json', '--state', 'failed', '--dir', node.data]).toString());
  assert.deepEqual(failed.items.map((j) => j.ref), [b.sha256]);
});
