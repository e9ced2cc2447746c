// files.test.mjs - digitization over HTTP (issue 12): resumable uploads in
// chunks with offsets, the checks that refuse bad content (and keep
// nothing), one blob per content, reuse of an applicant's papers, who may
// do what, and a server killed with SIGKILL in the middle of an upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import net from 'node:net';
import { png, pngChunk } from './scans.mjs';
import { startNode, stopNode, startServer, stopServer, login, client, newDossier, applicant } from './harness.mjs';

const NOW = '2026-03-04 09:00';
let node, rec, spec, sup;

// ---- files the test makes ----
function pngClaiming(w, h) {
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(100))), pngChunk('IEND', Buffer.alloc(0))]);
}
// A one-page PDF with a correct cross-reference table.
function pdf(text = 'Giay to so hoa') {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'];
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offs.map((o) => String(o).padStart(10, '0') + ' 00000 n \n').join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const sha = (b) => createHash('sha256').update(b).digest('hex');

// ---- helpers ----
const D = '/api/v1/dossiers';
function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res.json;
}
async function dossier(c = rec, idNumber = '025090001234') {
  const body = newDossier({
    applicant: { ...applicant('Người Số Hoá'), id_number: idNumber },
    components: [{ name: 'Tờ khai', originals: 1, copies: 0 }, { name: 'Giấy khai sinh', originals: 0, copies: 1 }],
  });
  return ok(await c.post(D, body), 201, 'receive').code;
}
const begin = (c, code, b) => c.post(`${D}/${encodeURIComponent(code)}/uploads`, b);
const put = (c, id, offset, bytes, headers = {}) =>
  c.req('PUT', `/api/v1/uploads/${id}?offset=${offset}`, new Uint8Array(bytes), { headers: { 'Content-Type': 'application/octet-stream', ...headers } });
async function upload(c, code, bytes, { component = 0, kind = 'scan', size = 64 * 1024, declared } = {}) {
  const u = ok(await begin(c, code, { component, kind, filename: 'scan.bin', size: bytes.length, ...(declared ? { sha256: declared } : {}) }), 201, 'begin');
  let r;
  for (let off = 0; off < bytes.length; off += size) {
    r = await put(c, u.id, off, bytes.subarray(off, off + size));
    if (r.status >= 400) return { u, r };
  }
  return { u, r };
}
function stored(dir) { // blobs and part files under DIR/files
  const out = { blobs: [], parts: [] };
  const root = join(dir, 'files');
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root)) {
    for (const f of readdirSync(join(root, d))) {
      if (d === 'tmp') out.parts.push(f); else out.blobs.push(d + f);
    }
  }
  return out;
}

before(async () => {
  // No OCR workers: what they would store of each scan (a thumbnail, a
  // searchable PDF) would change the blob counts this file checks; OCR has
  // its own tests (ocr.test.mjs).
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW, MOTCUA_OCR_WORKERS: '0' } });
  rec = await login(node, 'tiepnhan');
  spec = await login(node, 'chuyenvien');
  sup = await login(node, 'giamsat');
});
after(async () => { if (node) await stopNode(node); });

test('a scan in chunks: 200 with the offset after each, 201 with the file at the end, listed, downloadable', async () => {
  const code = await dossier();
  const bytes = png(600, 400, 1);
  const u = ok(await begin(rec, code, { component: 1, kind: 'scan', filename: 'khai-sinh.png', size: bytes.length, sha256: sha(bytes) }), 201, 'begin');
  assert.equal(u.offset, 0);
  assert.equal(u.chunk_max, 1 << 20);
  let off = 0;
  const step = 50000;
  while (off + step < bytes.length) {
    const p = ok(await put(rec, u.id, off, bytes.subarray(off, off + step)), 200, 'chunk');
    off += step;
    assert.equal(p.offset, off);
    assert.equal(ok(await rec.get(`/api/v1/uploads/${u.id}`), 200, 'status').offset, off);
  }
  const done = ok(await put(rec, u.id, off, bytes.subarray(off)), 201, 'last chunk');
  assert.equal(done.complete, true);
  assert.equal(done.file.sha256, sha(bytes));
  assert.equal(done.file.mime, 'image/png');
  assert.equal(done.file.pages, 1);
  assert.equal(done.file.width, 600);
  assert.equal(done.file.component_name, 'Giấy khai sinh');
  assert.equal(done.file.source, 'digitized');
  assert.equal(done.file.source_label, 'Đã số hoá');
  const list = ok(await sup.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'list').items;
  assert.equal(list.length, 1);
  assert.equal(list[0].sha256, sha(bytes));
  const r = await fetch(`${node.base}/api/v1/files/${sha(bytes)}`, { headers: { Cookie: sup.cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="[0-9a-f]{16}\.png"$/);
  assert.equal(sha(Buffer.from(await r.arrayBuffer())), sha(bytes));
  // The event is in the dossier's history, self-contained.
  const d = ok(await rec.get(`${D}/${encodeURIComponent(code)}`), 200, 'dossier');
  const ev = d.history.find((h) => h.kind === 'dossier.file');
  assert.equal(ev.file.sha256, sha(bytes));
  assert.equal(ev.file.size, bytes.length);
  // The last chunk sent again (its answer lost): the same 201, nothing more stored.
  const again = ok(await put(rec, u.id, off, bytes.subarray(off)), 201, 'last chunk again');
  assert.equal(again.file.sha256, sha(bytes));
  assert.equal(ok(await sup.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'list').items.length, 1);
});

test('resume: a chunk at the wrong offset gets 409 with expected_offset; a dropped chunk is sent again', async () => {
  const code = await dossier();
  const bytes = pdf('resume');
  const u = ok(await begin(rec, code, { component: 0, kind: 'scan', size: bytes.length }), 201, 'begin');
  ok(await put(rec, u.id, 0, bytes.subarray(0, 100)), 200, 'first');
  // The same chunk again (its answer was lost): 409, resume at 100.
  let r = await put(rec, u.id, 0, bytes.subarray(0, 100));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'upload.bad_offset');
  assert.equal(r.json.expected_offset, 100);
  // Out of order (ahead): 409, nothing written.
  r = await put(rec, u.id, 300, bytes.subarray(300, 400));
  assert.equal(r.status, 409);
  assert.equal(r.json.expected_offset, 100);
  // A chunk cut off mid-body never counts: the server still holds 100.
  await new Promise((resolve) => {
    const s = net.connect(node.port, '127.0.0.1', () => {
      s.write(`PUT /api/v1/uploads/${u.id}?offset=100 HTTP/1.1\r\nHost: x\r\nCookie: ${rec.cookie}\r\nX-CSRF-Token: ${rec.csrf}\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Length: 200\r\n\r\n`);
      s.write(bytes.subarray(100, 150));
      setTimeout(() => { s.destroy(); resolve(); }, 100);
    });
  });
  assert.equal(ok(await rec.get(`/api/v1/uploads/${u.id}`), 200, 'status').offset, 100);
  const done = ok(await put(rec, u.id, 100, bytes.subarray(100)), 201, 'rest');
  assert.equal(done.file.mime, 'application/pdf');
  assert.equal(done.file.pages, 1);
  assert.equal(stored(node.data).parts.length, 0);
});

test('the same bytes twice: one blob on disk; the same component twice: 409', async () => {
  const code = await dossier();
  const bytes = png(300, 200, 7);
  const before = stored(node.data).blobs.length;
  ok((await upload(rec, code, bytes, { component: 0 })).r, 201, 'first');
  ok((await upload(rec, code, bytes, { component: 1 })).r, 201, 'second component');
  const other = await dossier();
  ok((await upload(rec, other, bytes, { component: 0 })).r, 201, 'another dossier');
  assert.equal(stored(node.data).blobs.length, before + 1);
  const { r } = await upload(rec, code, bytes, { component: 0 });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'file.exists');
  assert.equal(stored(node.data).parts.length, 0);
});

test('bad uploads: 4xx and nothing stored', async () => {
  const code = await dossier();
  const good = pdf('good');
  const cases = [
    ['text named .pdf', Buffer.from('Đây là văn bản, không phải PDF\n'), {}, 415, 'file.bad_type'],
    ['a PDF cut in half', good.subarray(0, good.length >> 1), {}, 422, 'file.damaged'],
    ['a PNG header claiming 100000 x 100000', pngClaiming(100000, 100000), {}, 422, 'file.image_too_large'],
    ['a PNG cut short', png(300, 300, 3).subarray(0, 2000), { size: 700 }, 422, 'file.damaged'],
    ['bytes unlike the declared sha256', good, { declared: sha(Buffer.from('x')) }, 422, 'file.mismatch'],
  ];
  for (const [what, bytes, opts, status, ecode] of cases) {
    const before = stored(node.data);
    const { u, r } = await upload(rec, code, bytes, opts);
    assert.equal(r.status, status, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, ecode, what);
    const after = stored(node.data);
    assert.deepEqual(after.blobs.sort(), before.blobs.sort(), `${what}: no blob`);
    assert.equal(after.parts.length, 0, `${what}: no part file`);
    assert.equal((await rec.get(`/api/v1/uploads/${u.id}`)).status, 404, `${what}: upload gone`);
  }
  assert.equal(ok(await rec.get(`${D}/${encodeURIComponent(code)}/files`), 200, 'list').items.length, 0);
  // Refused at the start.
  for (const [what, b, status, ecode] of [
    ['0 bytes', { component: 0, kind: 'scan', size: 0 }, 400, 'file.empty'],
    ['over 50 MiB', { component: 0, kind: 'scan', size: 50 * 1048576 + 1 }, 413, 'file.too_large'],
    ['no such component', { component: 5, kind: 'scan', size: 10 }, 400, 'file.bad_field'],
    ['a scan without a component', { component: -1, kind: 'scan', size: 10 }, 400, 'file.bad_field'],
    ['an unknown kind', { component: 0, kind: 'photo', size: 10 }, 400, 'file.bad_field'],
  ]) {
    const r = await begin(rec, code, b);
    assert.equal(r.status, status, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, ecode, what);
  }
  // More bytes than declared; an empty chunk; a chunk over 1 MiB.
  const u = ok(await begin(rec, code, { component: 0, kind: 'scan', size: 10 }), 201, 'begin');
  let r = await put(rec, u.id, 0, good.subarray(0, 20));
  assert.equal(r.status, 422);
  r = await put(rec, u.id, 0, Buffer.alloc(0));
  assert.equal(r.status, 400);
  r = await put(rec, u.id, 0, Buffer.alloc((1 << 20) + 1));
  assert.equal(r.status, 413);
  r = await put(rec, u.id, 0, good.subarray(0, 5), { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 415);
  assert.equal(stored(node.data).parts.length, 0);
});

test('who may: no sign-in 401, wrong role 403, the result by the assigned specialist only', async () => {
  const code = await dossier();
  const anon = client(node);
  assert.equal((await begin(anon, code, { component: 0, kind: 'scan', size: 10 })).status, 401);
  assert.equal((await anon.get(`${D}/${encodeURIComponent(code)}/files`)).status, 401);
  assert.equal((await fetch(`${node.base}/api/v1/files/${'0'.repeat(64)}`)).status, 401);
  const r = await begin(spec, code, { component: 0, kind: 'scan', size: 10 });
  assert.equal(r.status, 403);
  assert.equal((await begin(sup, code, { component: 0, kind: 'scan', size: 10 })).status, 403);
  // The result: not while the dossier is only received, nor by an unassigned specialist.
  assert.equal((await begin(rec, code, { kind: 'result', size: 10 })).status, 403);
  const act = (c, b) => c.post(`${D}/${encodeURIComponent(code)}/actions`, b);
  ok(await act(rec, { action: 'assign', to: 'chuyenvien' }), 200, 'assign');
  const bytes = pdf('ket qua');
  const { r: done } = await upload(spec, code, bytes, { kind: 'result', component: -1 });
  ok(done, 201, 'result by the assignee');
  assert.equal(done.json.file.kind, 'result');
  assert.equal(done.json.file.component, -1);
  // Another's upload is not theirs to continue.
  const u = ok(await begin(rec, code, { component: 0, kind: 'scan', size: 100 }), 201, 'begin');
  assert.equal((await put(spec, u.id, 0, bytes.subarray(0, 10))).status, 404);
  assert.equal((await spec.get(`/api/v1/uploads/${u.id}`)).status, 404);
  // A file no dossier of ours holds: 404.
  assert.equal((await sup.get(`/api/v1/files/${sha(Buffer.from('none'))}`)).status, 404);
});

test('reuse: reception sees an applicant\'s papers by ID number and attaches one, marked reused', async () => {
  const first = await dossier(rec, '001099012345');
  const bytes = png(320, 240, 11);
  ok((await upload(rec, first, bytes, { component: 1 })).r, 201, 'scan');
  const offered = ok(await rec.get('/api/v1/applicants/files?id_number=001099012345'), 200, 'papers').items;
  assert.equal(offered.length, 1);
  assert.equal(offered[0].dossier, first);
  assert.equal(offered[0].component_name, 'Giấy khai sinh');
  assert.equal(ok(await rec.get('/api/v1/applicants/files?id_number=001099099999'), 200, 'none').items.length, 0);
  assert.equal((await rec.get('/api/v1/applicants/files?id_number=x')).status, 400);
  assert.equal((await spec.get('/api/v1/applicants/files?id_number=001099012345')).status, 403);
  const second = await dossier(rec, '001099012345');
  const blobs = stored(node.data).blobs.length;
  const f = ok(await rec.post(`${D}/${encodeURIComponent(second)}/files/reuse`, { sha256: sha(bytes), component: 1 }), 201, 'reuse');
  assert.equal(f.source, 'reused');
  assert.equal(f.source_label, 'Tái sử dụng');
  assert.equal(stored(node.data).blobs.length, blobs);
  // Not someone else's paper.
  const stranger = await dossier(rec, '001099077777');
  const r = await rec.post(`${D}/${encodeURIComponent(stranger)}/files/reuse`, { sha256: sha(bytes), component: 0 });
  assert.equal(r.status, 404);
});

test('kill -9 in the middle of an upload: resume after restart, stored once, no part file left', async () => {
  const code = await dossier();
  const bytes = Buffer.concat([png(1000, 800, 21)]);
  const u = ok(await begin(rec, code, { component: 0, kind: 'scan', size: bytes.length, sha256: sha(bytes) }), 201, 'begin');
  const step = 200000;
  ok(await put(rec, u.id, 0, bytes.subarray(0, step)), 200, 'first chunk');
  // A chunk half sent when the server dies.
  await new Promise((resolve) => {
    const s = net.connect(node.port, '127.0.0.1', () => {
      s.write(`PUT /api/v1/uploads/${u.id}?offset=${step} HTTP/1.1\r\nHost: x\r\nCookie: ${rec.cookie}\r\nX-CSRF-Token: ${rec.csrf}\r\n` +
        `Content-Type: application/octet-stream\r\nContent-Length: ${step}\r\n\r\n`);
      s.write(bytes.subarray(step, step + 1000), () => setTimeout(resolve, 50));
    });
    s.on('error', () => {});
  });
  await stopServer(node, 'SIGKILL');
  await startServer(node);
  rec = await login(node, 'tiepnhan');
  const st = ok(await rec.get(`/api/v1/uploads/${u.id}`), 200, 'status after restart');
  assert.equal(st.offset, step);
  let off = st.offset, r;
  while (off < bytes.length) {
    r = await put(rec, u.id, off, bytes.subarray(off, off + step));
    off = Math.min(off + step, bytes.length);
  }
  ok(r, 201, 'complete');
  const s = stored(node.data);
  assert.equal(s.parts.length, 0);
  assert.equal(s.blobs.filter((b) => b === sha(bytes)).length, 1);
  assert.equal(statSync(join(node.data, 'files', sha(bytes).slice(0, 2), sha(bytes).slice(2))).size, bytes.length);
});
