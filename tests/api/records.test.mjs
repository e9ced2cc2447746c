// records.test.mjs - the records issue 10 ("Records that must change",
// items 1, 2, 3, 8, 9) says must change, checked over HTTP: what a dossier
// refused or sent back for a supplement at the desk records, what the
// dashboard counts and the citizen sees of it; the reports' timeliness words;
// the current note of a returned dossier; ratings on the staff timeline.
//
// A demo node with its clock pinned at Wednesday 2026-03-04 09:00; the
// server is restarted with another clock where a step happens later.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, startNode, stopNode, login, client, newDossier, applicant, atClock
} from './harness.mjs';

const NOW = '2026-03-04 09:00'; // Wednesday
const D = '/api/v1/dossiers';
const iso = (t) => `${t.replace(' ', 'T')}:00+07:00`;

let node;
let phoneSerial = 0;

// Sessions sign in again after each restart (the clock moved).
async function as(who) { return login(node, who); }

const at = (clock, fn) => atClock(node, clock, NOW, fn);

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

// A fresh applicant phone per dossier, so the citizen look-up finds it.
function body(over = {}) {
  phoneSerial++;
  const phone = `09130000${String(phoneSerial).padStart(2, '0')}`;
  return newDossier({ applicant: { ...applicant('Người Thử Hồ Sơ'), phone }, ...over });
}
const last4 = (d) => d.applicant.phone.slice(-4);
const act = async (c, code, b, status = 200) => ok(await c.post(`${D}/${encodeURIComponent(code)}/actions`, b), status, `${b.action} on ${code}`);
const lookup = async (d) => ok(await client(node).get(`/api/v1/public/lookup?code=${encodeURIComponent(d.code)}&phone=${last4(d)}`), 200, 'look-up');
const dash = async (c) => ok(await c.get('/api/v1/dashboard'), 200, 'dashboard').counts;

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: NOW } });
});

after(async () => {
  if (node) await stopNode(node);
});

// Never received: no reception time, no appointment, no end of processing,
// no timeliness.
function neverReceived(d, what) {
  for (const k of ['received_at', 'due_at', 'due_legal', 'finished_at', 'timeliness']) assert.equal(d[k], null, `${what}: ${k}`);
}

// ---- 1. refusal at the desk ----

test('1. a dossier refused at the desk was never received (checked before reception, as the desk does it)', async () => {
  const rec = await as('tiepnhan');
  const before_ = await dash(rec);
  // The desk records the dossier as waiting for reception, then refuses it.
  const d = ok(await rec.post(D, body({ pending: true })), 201, 'desk dossier before reception');
  assert.equal(d.status, 'submitted');
  assert.equal(d.channel, 'direct');
  neverReceived(d, 'pending at the desk');
  const x = await act(rec, d.code, { action: 'refuse', comment: 'Không thuộc thẩm quyền giải quyết của xã' });
  assert.equal(x.status, 'refused');
  assert.equal(x.status_code, 3);
  assert.equal(x.status_label, 'Không được tiếp nhận');
  assert.equal(x.note, 'Không thuộc thẩm quyền giải quyết của xã');
  neverReceived(x, 'refused');
  assert.equal(x.overdue, false);
  assert.deepEqual(x.history.map((h) => h.to), ['submitted', 'refused'], 'no reception in its history');
  const after_ = await dash(rec);
  assert.equal(after_.received_today, before_.received_today, 'not received today');
  assert.equal(after_.returned_today, before_.returned_today);
});

test('1. a dossier refused right after its receipt (two steps) ends never received: counted nowhere, listed nowhere as received', async () => {
  const rec = await as('tiepnhan');
  const before_ = await dash(rec);
  const d = ok(await rec.post(D, body()), 201, 'receive');
  assert.equal(d.status, 'received');
  assert.equal((await dash(rec)).received_today, before_.received_today + 1);
  const x = await act(rec, d.code, { action: 'refuse', comment: 'Giấy tờ không hợp lệ' });
  assert.equal(x.status, 'refused');
  neverReceived(x, 'refused after receipt');
  const after_ = await dash(rec);
  assert.deepEqual(after_, before_, 'every count as before the reception');
  const today = NOW.slice(0, 10);
  const list = ok(await rec.get(`${D}?received_from=${today}&received_to=${today}&limit=500`), 200, 'received today');
  assert.ok(!list.items.some((i) => i.code === d.code), 'not in the list of dossiers received today');
  const byDue = ok(await rec.get(`${D}?sort=due&limit=500&q=${encodeURIComponent(d.code)}`), 200, 'by due');
  assert.deepEqual(byDue.items, [], 'no due time to sort by');
});

test('1. the citizen look-up of a refused dossier says "Không được tiếp nhận" with the reason, and no appointment', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body({ pending: true })), 201, 'desk dossier');
  await act(rec, d.code, { action: 'refuse', comment: 'Hồ sơ không thuộc thẩm quyền' });
  const p = await lookup(d);
  assert.equal(p.status, 'refused');
  assert.equal(p.status_code, 3);
  assert.equal(p.status_label, 'Không được tiếp nhận');
  assert.equal(p.refusal_reason, 'Hồ sơ không thuộc thẩm quyền');
  assert.equal(p.supplement_request, null);
  assert.equal(p.received_at, null);
  assert.equal(p.due_at, null);
  assert.equal(p.finished_at, null);
  assert.equal(p.submitted_at, iso(NOW));
  assert.ok(!p.steps.some((s) => s.status === 'received'), 'no "Đã tiếp nhận" step');
});

test('1. an online submission refused: the same (never received)', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body({ channel: 'online', pending: true })), 201, 'online submission');
  const x = await act(rec, d.code, { action: 'refuse', comment: 'Không đúng thủ tục' });
  neverReceived(x, 'online refused');
});

// ---- 2. supplement at the desk ----

test('2. a supplement asked at the desk is not a reception: no appointment until the papers are received', async () => {
  const rec = await as('tiepnhan');
  const before_ = await dash(rec);
  const d = ok(await rec.post(D, body()), 201, 'receive');
  const need = 'Cần bổ sung: 1. Bản sao giấy chứng sinh; 2. Giấy uỷ quyền.';
  const x = await act(rec, d.code, { action: 'request_supplement', comment: need });
  assert.equal(x.status, 'supplement');
  assert.equal(x.resume_status, 'submitted', 'back to the desk, not to processing');
  assert.equal(x.supplements, 1);
  assert.equal(x.supplements_processing, 0);
  assert.equal(x.paused_at, null, 'no clock to pause');
  neverReceived(x, 'supplement at the desk');
  assert.equal((await dash(rec)).received_today, before_.received_today, 'not received today');
  // The citizen page lists what to bring, and gives no appointment.
  const p = await lookup(d);
  assert.equal(p.status, 'supplement');
  assert.equal(p.supplement_request, need);
  assert.equal(p.refusal_reason, null);
  assert.equal(p.due_at, null);
  assert.equal(p.received_at, null);
  // The papers come the next day: received then, the clock starts then.
  // Thursday 10:00 + 7 calendar days: Thursday 12 March 17:00.
  await at('2026-03-05 10:00', async () => {
    const r2 = await as('tiepnhan');
    const y = await act(r2, d.code, { action: 'supplement_received' });
    assert.equal(y.status, 'received');
    assert.equal(y.received_at, iso('2026-03-05 10:00'));
    assert.equal(y.due_at, iso('2026-03-12 17:00'));
    assert.equal(y.due_legal, iso('2026-03-12 17:00'));
    assert.equal(y.note, '', 'the supplement request is no longer the current note');
    const q = await lookup(d);
    assert.equal(q.due_at, iso('2026-03-12 17:00'));
    assert.equal(q.supplement_request, null);
  });
});

test('2. an online submission sent back for a supplement before reception: received when the papers come', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body({ channel: 'online', pending: true })), 201, 'online submission');
  const x = await act(rec, d.code, { action: 'request_supplement', comment: 'Thiếu ảnh chân dung' });
  assert.equal(x.resume_status, 'submitted');
  neverReceived(x, 'online supplement before reception');
  const y = await act(rec, d.code, { action: 'supplement_received' });
  assert.equal(y.status, 'received');
  assert.equal(y.received_at, iso(NOW));
  assert.equal(y.due_at, iso('2026-03-11 17:00'));
});

test('2. a supplement asked during processing still pauses the clock (the appointment stays)', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body()), 201, 'receive');
  await act(rec, d.code, { action: 'assign', to: 'chuyenvien' });
  const sp = await as('chuyenvien');
  const x = await act(sp, d.code, { action: 'request_supplement', comment: 'Thiếu bản sao' });
  assert.equal(x.resume_status, 'processing');
  assert.equal(x.received_at, d.received_at);
  assert.equal(x.due_at, d.due_at);
  assert.equal(x.paused_at, iso(NOW));
  const p = await lookup(d);
  assert.equal(p.supplement_request, 'Thiếu bản sao');
  assert.equal(p.due_at, d.due_at);
});

// ---- 3. timeliness words ----

test('3. timeliness has the reports\' words: "Trước hạn / Đúng hạn / Quá hạn" (timeliness_label)', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body()), 201, 'receive');
  assert.equal(d.timeliness_label, null, 'open: no verdict');
  await act(rec, d.code, { action: 'assign', to: 'chuyenvien' });
  const sp = await as('chuyenvien');
  await act(sp, d.code, { action: 'submit_approval' });
  const ld = await as('lanhdao');
  const x = await act(ld, d.code, { action: 'approve' });
  assert.equal(x.timeliness, 'early');
  assert.equal(x.timeliness_label, 'Trước hạn');
  const list = ok(await rec.get(`${D}?q=${encodeURIComponent(d.code)}`), 200, 'list');
  assert.equal(list.items[0].timeliness_label, 'Trước hạn');
});

test('3. no "Sớm hạn" or "Trễ hạn" left in the UI or the docs', () => {
  const bad = [];
  for (const dir of ['web', 'docs', 'src/core', 'src/app']) {
    for (const f of readdirSync(join(ROOT, dir))) {
      if (!/\.(js|html|css|md|c|h)$/.test(f)) continue;
      const text = readFileSync(join(ROOT, dir, f), 'utf8');
      for (const w of ['Sớm hạn', 'Trễ hạn', 'sớm hạn', 'trễ hạn']) if (text.includes(w)) bad.push(`${dir}/${f}: ${w}`);
    }
  }
  assert.deepEqual(bad, []);
});

// ---- 8. the current note ----

test('8. a returned dossier does not show an old send-back comment as its current note', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body()), 201, 'receive');
  await act(rec, d.code, { action: 'assign', to: 'chuyenvien' });
  const sp = await as('chuyenvien');
  const ld = await as('lanhdao');
  await act(sp, d.code, { action: 'submit_approval' });
  let x = await act(ld, d.code, { action: 'send_back', comment: 'Sai tên cha trong dự thảo' });
  assert.equal(x.note, 'Sai tên cha trong dự thảo', 'the reason it came back is its current note');
  x = await act(sp, d.code, { action: 'submit_approval', comment: 'Đã sửa' });
  assert.equal(x.note, '', 'resubmitted: the send-back reason is history');
  x = await act(ld, d.code, { action: 'approve' });
  assert.equal(x.note, '');
  x = await act(rec, d.code, { action: 'return', comment: 'Nhận trực tiếp' });
  assert.equal(x.status, 'returned');
  assert.equal(x.note, '');
  assert.equal(x.collected_by, 'Nhận trực tiếp');
  assert.ok(x.history.some((h) => h.comment === 'Sai tên cha trong dự thảo'), 'still on the timeline');
});

// ---- 9. ratings on the staff timeline ----

test('9. a citizen\'s rating appears on the dossier\'s timeline for staff (and not as a step for the citizen)', async () => {
  const rec = await as('tiepnhan');
  const d = ok(await rec.post(D, body()), 201, 'receive');
  await act(rec, d.code, { action: 'assign', to: 'chuyenvien' });
  const sp = await as('chuyenvien');
  await act(sp, d.code, { action: 'submit_approval' });
  const ld = await as('lanhdao');
  await act(ld, d.code, { action: 'approve' });
  const seen = await act(rec, d.code, { action: 'return', comment: 'Nhận trực tiếp' });
  assert.ok(!seen.history.some((h) => h.kind === 'dossier.rated'));
  ok(await client(node).post('/api/v1/public/ratings', { code: d.code, phone: last4(d), level: 3, comment: 'Cán bộ nhiệt tình' }), 201, 'rate');
  // Read again on the same connection (its history cache must not hide it).
  const g = ok(await rec.get(`${D}/${encodeURIComponent(d.code)}`), 200, 'dossier');
  const r = g.history.find((h) => h.kind === 'dossier.rated');
  assert.ok(r, 'the rating is on the timeline: ' + JSON.stringify(g.history.map((h) => h.kind)));
  assert.equal(r.level, 3);
  assert.equal(r.comment, 'Cán bộ nhiệt tình');
  assert.equal(r.channel, 'portal');
  assert.equal(r.actor, 'public');
  const p = await lookup(d);
  assert.equal(p.rated, true);
  assert.ok(p.steps.every((s) => s.status), 'every citizen step has a status: ' + JSON.stringify(p.steps));
});
