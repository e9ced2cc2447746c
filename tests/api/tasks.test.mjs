// tasks.test.mjs - tasks (giao việc, issue 14) over real HTTP: every state
// and action with its permissions (the right side 200 or 409, the wrong
// side 403), delegation, deadlines against the node's calendar (across Tết
// 2027, the expectation from `motcua calendar due`), progress with
// attachments and its history, lists and the leader's board, recurrence
// (the next instance made once), reminders made once per crossing, and bad
// input that changes nothing.
//
// A demo node with its clock pinned at Monday 2026-03-02 08:00; officers:
//   lanhdao (leader, VP), quantri (admin, VP), chuyenvien (specialist, KT),
//   cvkt2 (specialist, KT), cv2 (specialist, VHXH), tiepnhan (reception,
//   PVHCC), giamsat (supervisor). Each signs in with an API token, so a
//   restart at another clock keeps them signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  BIN, startNode, startServer, stopServer, stopNode, motcua, bearer, eventCount, login,
} from './harness.mjs';
import { pdf } from './scans.mjs';

const T0 = '2026-03-02 08:00';
let node;
const as = {};

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}
function refused(res, status, code, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  if (code) assert.equal(res.json.error.code, code, `${what}: ${res.text.slice(0, 300)}`);
}

// The server at clock (the sweeper off), around fn; back to T0 after.
async function at(clock, fn) {
  await stopServer(node);
  node.env = { MOTCUA_TEST_NOW: clock, MOTCUA_NOTIFY_SWEEP: '0' };
  await startServer(node);
  try { return await fn(); } finally {
    await stopServer(node);
    node.env = { MOTCUA_TEST_NOW: T0, MOTCUA_NOTIFY_SWEEP: '0' };
    await startServer(node);
  }
}

function sweep(clock) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['notify-sweep', '--dir', node.data], { env: { ...process.env, MOTCUA_TEST_NOW: clock }, encoding: 'utf8' },
      (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(JSON.parse(out))));
  });
}

const path = (id) => `/api/v1/tasks/${id}`;
const SOURCE = { kind: 'document', ref: 'Kế hoạch 12/KH-UBND ngày 20/02/2026', date: '2026-02-20' };
const newTask = (over = {}) => ({
  title: 'Rà soát nhiệm vụ chính trị trọng tâm năm 2026',
  content: 'Rà soát, báo cáo tiến độ các nhiệm vụ chính trị được giao trong năm.',
  source: SOURCE, unit: 'KT', officer: 'chuyenvien', coworkers: ['cvkt2'],
  deadline: { time: 10, unit: 'working_days' }, ...over,
});

before(async () => {
  node = await startNode({ env: { MOTCUA_TEST_NOW: T0, MOTCUA_NOTIFY_SWEEP: '0' } });
  const admin = await login(node, 'quantri');
  for (const [l, role, name, unit] of [['cvkt2', 'specialist', 'Lê Văn Phối Hợp', 'KT'],
    ['cv2', 'specialist', 'Đỗ Thị Văn Hoá', 'VHXH']]) {
    ok(await admin.post('/api/v1/users', { login: l, role, name, password: 'mat-khau-giao-viec', unit }), 201, `user ${l}`);
  }
  for (const l of ['lanhdao', 'quantri', 'chuyenvien', 'cvkt2', 'cv2', 'tiepnhan', 'giamsat']) {
    const tok = motcua(['token', 'create', l, '--dir', node.data], { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    as[l] = bearer(node, tok);
  }
});

after(async () => { if (node) await stopNode(node); });

async function create(over, who = 'lanhdao') {
  return ok(await as[who].post('/api/v1/tasks', newTask(over)), 201, 'create');
}
async function act(who, id, action, body = {}, status = 200) {
  const r = await as[who].post(`${path(id)}/${action}`, body);
  assert.equal(r.status, status, `${who} ${action} on ${id}: expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json;
}

// ---- assignment ----

test('a leader assigns a task: its id, deadline from the calendar, history, event', async () => {
  const before_ = eventCount(node);
  const t = await create();
  assert.match(t.id, /^000\.31\.45\.H45\/T-2026-\d{4}$/);
  assert.equal(t.state, 'assigned');
  assert.equal(t.state_label, 'Mới giao');
  assert.equal(t.unit_name, 'Phòng Kinh tế');
  assert.equal(t.officer_name, 'Trần Văn Minh');
  assert.deepEqual(t.coworker_names, [{ login: 'cvkt2', name: 'Lê Văn Phối Hợp' }]);
  assert.deepEqual(t.source, SOURCE);
  const want = motcua(['calendar', 'due', '--at', T0, '--time', '10', '--unit', 'working_days', '--dir', node.data]).trim();
  assert.equal(t.due_at, want.replace(' ', 'T') + ':00+07:00');
  assert.equal(t.history.length, 1);
  assert.equal(t.history[0].action, 'assign');
  assert.equal(eventCount(node), before_ + 1, 'one event');
  // The officer sees it in "mine", the unit's member in "unit", the
  // other unit's specialist not at all.
  const mine = ok(await as.chuyenvien.get('/api/v1/tasks?view=mine'), 200, 'mine');
  assert.ok(mine.items.some((x) => x.id === t.id));
  const cw = ok(await as.cvkt2.get('/api/v1/tasks?view=mine'), 200, 'co-worker');
  assert.ok(cw.items.some((x) => x.id === t.id));
  const unit = ok(await as.cvkt2.get('/api/v1/tasks?view=unit'), 200, 'unit');
  assert.ok(unit.items.some((x) => x.id === t.id));
  const other = ok(await as.cv2.get('/api/v1/tasks?view=all'), 200, 'other unit');
  assert.ok(!other.items.some((x) => x.id === t.id));
  refused(await as.cv2.get(path(t.id)), 404, 'task.not_found', 'other unit reads');
  ok(await as.giamsat.get(path(t.id)), 200, 'supervisor reads');
});

test('who may assign: leaders and admins; a date deadline is the close of that working day', async () => {
  refused(await as.chuyenvien.post('/api/v1/tasks', newTask()), 403, 'auth.role', 'specialist assigns');
  refused(await as.giamsat.post('/api/v1/tasks', newTask()), 403, 'auth.role', 'supervisor assigns');
  const t = await create({ deadline: { date: '2026-03-07' } }, 'quantri'); // a Saturday
  assert.equal(t.due_at, '2026-03-09T17:00:00+07:00');
  assert.equal(t.creator, 'quantri');
  // 16 working hours from Monday 08:00: 7 on Monday, 8 on Tuesday, 1 on Wednesday.
  const u = await create({ deadline: { time: 16, unit: 'working_hours' }, officer: '', coworkers: [] });
  assert.equal(u.due_at, '2026-03-04T08:00:00+07:00');
  assert.equal(u.officer, '');
});

// ---- every state and action, with the right side and the wrong one ----

const STATES = ['assigned', 'in_progress', 'reported_done', 'accepted', 'returned', 'cancelled'];
const ACTIONS = ['start', 'progress', 'report_done', 'accept', 'return', 'cancel', 'delegate'];
// The state after each action from each state; null: 409.
const NEXT = {
  assigned: ['in_progress', 'in_progress', 'reported_done', null, null, 'cancelled', 'assigned'],
  in_progress: [null, 'in_progress', 'reported_done', null, null, 'cancelled', 'in_progress'],
  reported_done: [null, null, null, 'accepted', 'returned', 'cancelled', null],
  accepted: [null, null, null, null, null, null, null],
  returned: ['in_progress', 'in_progress', 'reported_done', null, null, 'cancelled', 'returned'],
  cancelled: [null, null, null, null, null, null, null],
};
const BODY = {
  start: {}, progress: { percent: 40, text: 'Đã rà soát 4/10 nhiệm vụ' }, report_done: { text: 'Đã xong' },
  accept: { text: 'Đạt yêu cầu' }, return: { reason: 'Bổ sung số liệu quý I' }, cancel: { reason: 'Nhiệm vụ đã điều chỉnh' },
  delegate: { unit: 'KT', officer: 'cvkt2', coworkers: ['chuyenvien'] },
};
// Who is on the action's side, and who is not (but is an officer here).
const RIGHT = { start: 'chuyenvien', progress: 'cvkt2', report_done: 'chuyenvien', accept: 'quantri', return: 'lanhdao', cancel: 'quantri', delegate: 'lanhdao' };
const WRONG = { start: 'cv2', progress: 'tiepnhan', report_done: 'cv2', accept: 'chuyenvien', return: 'cvkt2', cancel: 'chuyenvien', delegate: 'chuyenvien' };

async function taskIn(state) {
  const t = await create();
  if (state === 'in_progress') await act('chuyenvien', t.id, 'start');
  if (['reported_done', 'accepted', 'returned'].includes(state)) await act('chuyenvien', t.id, 'report_done');
  if (state === 'accepted') await act('lanhdao', t.id, 'accept');
  if (state === 'returned') await act('lanhdao', t.id, 'return', { reason: 'Làm tiếp' });
  if (state === 'cancelled') await act('lanhdao', t.id, 'cancel', { reason: 'Huỷ' });
  const got = ok(await as.lanhdao.get(path(t.id)), 200, 'set-up');
  assert.equal(got.state, state);
  return t.id;
}

for (const state of STATES) {
  test(`from ${state}: each action by its side, and by the other side`, async () => {
    for (let i = 0; i < ACTIONS.length; i++) {
      const action = ACTIONS[i];
      const id = await taskIn(state);
      const n = eventCount(node);
      // The wrong side first: refused whatever the state, nothing written.
      const w = await as[WRONG[action]].post(`${path(id)}/${action}`, BODY[action]);
      refused(w, 403, 'task.wrong_side', `${WRONG[action]} ${action} from ${state}`);
      assert.equal(eventCount(node), n, `${action} by the wrong side wrote nothing`);
      const r = await as[RIGHT[action]].post(`${path(id)}/${action}`, BODY[action]);
      if (NEXT[state][i] === null) {
        refused(r, 409, 'task.wrong_state', `${action} from ${state}`);
        assert.equal(eventCount(node), n, `${action} from ${state} wrote nothing`);
        continue;
      }
      const t = ok(r, 200, `${action} from ${state}`);
      assert.equal(t.state, NEXT[state][i], `${action} from ${state}`);
      assert.equal(eventCount(node), n + 1, `${action}: one event`);
      const last = t.history[t.history.length - 1];
      assert.equal(last.action, action);
      assert.equal(last.actor, RIGHT[action]);
      assert.equal(last.from, state);
      if (action === 'progress') assert.equal(t.percent, 40);
      if (action === 'report_done') { assert.equal(t.percent, 100); assert.ok(t.done_at); }
      if (action === 'return' || action === 'cancel') assert.equal(t.reason, BODY[action].reason);
      if (action === 'delegate') { assert.equal(t.officer, 'cvkt2'); assert.deepEqual(t.coworkers, ['chuyenvien']); }
      if (action === 'accept' || action === 'cancel') assert.ok(t.closed_at);
    }
  });
}

test('the supervisor changes nothing; a leader is on both sides; actions the caller may take', async () => {
  const t = await create();
  refused(await as.giamsat.post(`${path(t.id)}/start`, {}), 403, 'auth.role', 'supervisor acts');
  assert.deepEqual(t.actions, ['start', 'progress', 'report_done', 'cancel', 'delegate'], 'the creator, a leader');
  const seen = ok(await as.chuyenvien.get(path(t.id)), 200, 'officer');
  assert.deepEqual(seen.actions, ['start', 'progress', 'report_done']);
  const sup = ok(await as.giamsat.get(path(t.id)), 200, 'supervisor');
  assert.deepEqual(sup.actions, []);
  // A leader reports for the unit and accepts it.
  await act('lanhdao', t.id, 'report_done', { text: 'Lãnh đạo báo cáo thay' });
  const done = await act('lanhdao', t.id, 'accept');
  assert.equal(done.state, 'accepted');
  assert.equal(done.timeliness, 'on_time');
});

test('what an action needs: a reason, the percent, a unit; an unknown action', async () => {
  const id = await taskIn('reported_done');
  const n = eventCount(node);
  refused(await as.lanhdao.post(`${path(id)}/return`, {}), 400, 'task.incomplete', 'return without reason');
  refused(await as.lanhdao.post(`${path(id)}/return`, { reason: '   ' }), 400, 'task.incomplete', 'blank reason');
  refused(await as.lanhdao.post(`${path(id)}/cancel`, {}), 400, 'task.incomplete', 'cancel without reason');
  assert.equal(eventCount(node), n, 'nothing written');
  const p = await taskIn('in_progress');
  const m = eventCount(node);
  refused(await as.chuyenvien.post(`${path(p)}/progress`, { text: 'x' }), 400, 'task.incomplete', 'progress without percent');
  refused(await as.chuyenvien.post(`${path(p)}/progress`, { percent: 101 }), 400, 'request.bad_field', 'percent 101');
  refused(await as.chuyenvien.post(`${path(p)}/progress`, { percent: 'năm mươi' }), 400, 'request.bad_field', 'percent text');
  refused(await as.chuyenvien.post(`${path(p)}/progress`, { percent: 10, reason: 'x' }), 400, 'request.unknown_field', 'progress takes no reason');
  refused(await as.lanhdao.post(`${path(p)}/delegate`, { officer: 'cvkt2' }), 400, 'task.incomplete', 'delegate without unit');
  refused(await as.lanhdao.post(`${path(p)}/delegate`, { unit: 'XYZ' }), 400, 'unit.unknown', 'delegate to an unknown unit');
  refused(await as.lanhdao.post(`${path(p)}/delegate`, { unit: 'KT', officer: 'khongco' }), 400, 'task.unknown_officer', 'delegate to nobody');
  refused(await as.lanhdao.post(`${path(p)}/finish`, {}), 400, 'task.bad_field', 'unknown action');
  refused(await as.lanhdao.post('/api/v1/tasks/000.31.45.H45/T-2026-9999/start', {}), 404, 'task.not_found', 'unknown task');
  assert.equal(eventCount(node), m, 'nothing written');
});

// ---- progress, attachments, history ----

test('progress reports with attachments build the history', async () => {
  const bytes = pdf(1);
  const r = await as.chuyenvien.req('POST', '/api/v1/attachments?filename=bao-cao-tien-do.pdf', bytes, { headers: { 'Content-Type': 'application/octet-stream' } });
  const att = ok(r, 201, 'attachment');
  const t = await create();
  await act('chuyenvien', t.id, 'progress', { percent: 30, text: 'Đã họp triển khai', attachments: [att.sha256] });
  await act('cvkt2', t.id, 'progress', { percent: 70, text: 'Đã tổng hợp số liệu' });
  const d = await act('chuyenvien', t.id, 'report_done', { text: 'Hoàn thành, gửi báo cáo', attachments: [att.sha256] });
  assert.equal(d.state, 'reported_done');
  const h = d.history.map((x) => [x.action, x.actor, x.percent, x.text]);
  assert.deepEqual(h, [
    ['assign', 'lanhdao', null, ''],
    ['progress', 'chuyenvien', 30, 'Đã họp triển khai'],
    ['progress', 'cvkt2', 70, 'Đã tổng hợp số liệu'],
    ['report_done', 'chuyenvien', null, 'Hoàn thành, gửi báo cáo'],
  ]);
  assert.deepEqual(d.history[1].attachments, [{ sha256: att.sha256, filename: 'bao-cao-tien-do.pdf', mime: 'application/pdf', size: bytes.length }]);
  const n = eventCount(node);
  refused(await as.chuyenvien.post(`${path(t.id)}/progress`, { percent: 80, attachments: ['0'.repeat(64)] }), 409, 'task.wrong_state', 'reported done takes no progress');
  const back = await act('lanhdao', t.id, 'return', { reason: 'Thiếu phụ lục' });
  refused(await as.chuyenvien.post(`${path(t.id)}/progress`, { percent: 80, attachments: ['0'.repeat(64)] }), 400, 'attachment.unknown', 'unknown attachment');
  const many = Array.from({ length: 21 }, () => att.sha256);
  refused(await as.chuyenvien.post(`${path(t.id)}/progress`, { percent: 80, attachments: many }), 400, null, '21 attachments');
  assert.equal(eventCount(node), n + 1, 'only the return');
  assert.equal(back.state, 'returned');
});

// ---- deadlines across Tết ----

test('deadlines across Tết 2027 follow the node\'s calendar', async () => {
  const clock = '2027-02-03 09:00';
  const off = motcua(['calendar', 'days-off', '2027', '--dir', node.data]).trim().split('\n');
  const tet = off.filter((d) => d >= '2027-02-01' && d <= '2027-02-20' && ![0, 6].includes(new Date(d + 'T00:00:00Z').getUTCDay()));
  assert.ok(tet.length >= 3, `Tết 2027 has weekday holidays: ${tet}`);
  const want = motcua(['calendar', 'due', '--at', clock, '--time', '10', '--unit', 'working_days', '--dir', node.data]).trim();
  await at(clock, async () => {
    const t = await create({ deadline: { time: 10, unit: 'working_days' } });
    assert.equal(t.due_at, want.replace(' ', 'T') + ':00+07:00');
    assert.ok(t.due_at.slice(0, 10) > tet[tet.length - 1], `due ${t.due_at} after the holiday ${tet[tet.length - 1]}`);
    // A date on a Tết holiday is due at the close of the first working day after.
    const firstAfter = (d) => {
      let x = new Date(d + 'T00:00:00Z');
      for (;;) {
        const iso = x.toISOString().slice(0, 10);
        if (!off.includes(iso) && ![0, 6].includes(x.getUTCDay())) return iso;
        x = new Date(x.getTime() + 86400e3);
      }
    };
    const u = await create({ deadline: { date: tet[0] } });
    assert.equal(u.due_at, `${firstAfter(tet[0])}T17:00:00+07:00`);
    // A deadline before the assignment: refused, nothing written.
    const n = eventCount(node);
    refused(await as.lanhdao.post('/api/v1/tasks', newTask({ deadline: { date: '2027-02-02' } })), 400, 'task.deadline_before_assignment', 'date before');
    assert.equal(eventCount(node), n);
  });
});

// ---- bad input ----

test('bad input gets a 4xx and changes nothing', async () => {
  const n = eventCount(node);
  const cases = [
    [newTask({ unit: 'KHONGCO' }), 400, 'unit.unknown'],
    [newTask({ unit: undefined }), 400, null],
    [newTask({ officer: 'khongco' }), 400, 'task.unknown_officer'],
    [newTask({ coworkers: ['giamsat'] }), 400, 'task.unknown_officer'],
    [newTask({ coworkers: 'cvkt2' }), 400, 'request.bad_field'],
    [newTask({ deadline: { date: '2026-02-27' } }), 400, 'task.deadline_before_assignment'],
    [newTask({ deadline: { date: '2026-02-30' } }), 400, 'request.bad_field'],
    [newTask({ deadline: { time: -1, unit: 'working_days' } }), 400, null],
    [newTask({ deadline: { time: 5, unit: 'weeks' } }), 400, 'request.bad_field'],
    [newTask({ deadline: { date: '2026-03-10', time: 5, unit: 'working_days' } }), 400, 'request.bad_field'],
    [newTask({ deadline: undefined }), 400, null],
    [newTask({ title: '' }), 400, 'text.required'],
    [newTask({ title: 'x'.repeat(501) }), 400, 'text.too_long'],
    [newTask({ title: 'Tiêu đề\u202e ẩn' }), 400, 'text.format_char'],
    [newTask({ source: { kind: 'rumour', ref: 'x' } }), 400, 'request.bad_field'],
    [newTask({ source: { kind: 'document', ref: 'x', page: 3 } }), 400, 'request.unknown_field'],
    [newTask({ source: 'Kế hoạch 12' }), 400, 'request.bad_field'],
    [newTask({ priority: 'cao' }), 400, 'request.unknown_field'],
    [newTask({ communes: ['000.33.45.H45'] }), 400, 'task.bad_field'],
    [newTask({ recurrence: { every: 'weekly' } }), 400, 'request.bad_field'],
    [newTask({ recurrence: { every: 'monthly' } }), 400, 'task.bad_field'], // needs a date deadline
    [newTask({ attachments: Array.from({ length: 25 }, (_, i) => i.toString(16).padStart(64, '0')) }), 400, 'request.bad_field'],
    [newTask({ attachments: ['0'.repeat(64)] }), 400, 'attachment.unknown'],
    [newTask({ shared: 'yes' }), 400, 'request.bad_field'],
  ];
  for (const [body, status, code] of cases) {
    refused(await as.lanhdao.post('/api/v1/tasks', body), status, code, JSON.stringify(body).slice(0, 160));
  }
  const raw = (b, ct = 'application/json') => as.lanhdao.req('POST', '/api/v1/tasks', b, { headers: { 'Content-Type': ct } });
  refused(await raw('{"title": "x",'), 400, 'request.malformed_json', 'malformed JSON');
  refused(await raw('[]'), 400, 'request.malformed_json', 'an array');
  refused(await raw(''), 400, 'request.malformed_json', 'empty');
  refused(await raw(Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])), 400, 'request.malformed_json', 'invalid UTF-8');
  refused(await raw('{"title":"x","title":"y"}'), 400, 'request.malformed_json', 'duplicate keys');
  refused(await raw(JSON.stringify(newTask()), 'text/plain'), 415, 'request.media_type', 'text/plain');
  const huge = JSON.stringify(newTask({ attachments: Array.from({ length: 20000 }, () => 'a'.repeat(64)) }));
  refused(await raw(huge), 413, 'request.too_large', 'a huge attachment list');
  refused(await as.lanhdao.get('/api/v1/tasks?view=everything'), 400, 'request.bad_field', 'unknown view');
  refused(await as.lanhdao.get('/api/v1/tasks?limit=0'), 400, null, 'limit 0');
  refused(await as.lanhdao.get('/api/v1/tasks?unit=%FF'), 400, 'request.bad_text', 'invalid UTF-8 in the query');
  assert.equal(eventCount(node), n, 'nothing written');
  // SQL in strings is text like any other.
  const sql = "'; DROP TABLE task; --";
  const t = await create({ title: sql, source: { kind: 'person', ref: sql } });
  assert.equal(t.title, sql);
  const l = ok(await as.lanhdao.get(`/api/v1/tasks?view=all&source=${encodeURIComponent("x' OR '1'='1")}`), 200, 'sql in a filter');
  assert.equal(l.total, 0);
  const s = ok(await as.lanhdao.get(`/api/v1/tasks?view=all&source=${encodeURIComponent(sql)}`), 200, 'by that source');
  assert.deepEqual(s.items.map((x) => x.id), [t.id]);
});

// ---- lists and the board ----

test('lists: near due, overdue, by source, paging; the leader\'s board', async () => {
  const src = { kind: 'meeting', ref: 'Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 25/02/2026', date: '2026-02-25' };
  const a = await create({ source: src, deadline: { date: '2026-03-03' } }); // due Tue 17:00: near due from Mon 17:00
  const b = await create({ source: src, unit: 'VHXH', officer: 'cv2', coworkers: [], deadline: { date: '2026-03-04' } });
  const c = await create({ source: src, deadline: { date: '2026-03-31' } });
  await at('2026-03-03 09:00', async () => {
    const near = ok(await as.lanhdao.get(`/api/v1/tasks?view=near_due&source=${encodeURIComponent(src.ref)}`), 200, 'near');
    assert.deepEqual(near.items.map((x) => x.id), [a.id]);
    assert.ok(near.items[0].near_due);
  });
  await at('2026-03-05 08:00', async () => {
    await act('cv2', b.id, 'report_done', { text: 'Báo cáo muộn' });
    const over = ok(await as.lanhdao.get(`/api/v1/tasks?view=overdue&source=${encodeURIComponent(src.ref)}`), 200, 'overdue');
    assert.deepEqual(over.items.map((x) => x.id), [a.id, b.id]);
    assert.ok(over.items.every((x) => x.overdue));
    const mineCv2 = ok(await as.cv2.get('/api/v1/tasks?view=overdue'), 200, 'cv2 overdue');
    assert.deepEqual(mineCv2.items.map((x) => x.id), [b.id]);
    const page = ok(await as.lanhdao.get(`/api/v1/tasks?view=all&source=${encodeURIComponent(src.ref)}&limit=2&offset=1`), 200, 'page');
    assert.equal(page.total, 3);
    assert.deepEqual(page.items.map((x) => x.id), [b.id, c.id]);
    await act('lanhdao', b.id, 'accept');
    const board = ok(await as.lanhdao.get('/api/v1/tasks/board'), 200, 'board');
    const row = board.by_source.find((x) => x.ref === src.ref);
    assert.deepEqual({ total: row.total, open: row.open, overdue: row.overdue, done_late: row.done_late, done_on_time: row.done_on_time },
      { total: 3, open: 2, overdue: 1, done_late: 1, done_on_time: 0 });
    const vhxh = board.by_unit.find((x) => x.unit === 'VHXH');
    assert.equal(vhxh.name, 'Phòng Văn hóa - Xã hội');
    assert.equal(vhxh.done_late, 1);
    assert.equal(board.by_unit[0].overdue >= board.by_unit[board.by_unit.length - 1].overdue, true, 'most overdue first');
    refused(await as.chuyenvien.get('/api/v1/tasks/board'), 403, 'auth.role', 'a specialist\'s board');
    ok(await as.giamsat.get('/api/v1/tasks/board'), 200, 'supervisor board');
  });
});

// ---- recurrence ----

test('a monthly task makes its next instance once when accepted; a quarterly one when its period begins', async () => {
  const ref = 'Báo cáo tháng về công tác cải cách hành chính';
  const m = await create({ source: { kind: 'document', ref }, deadline: { date: '2026-03-20' }, recurrence: { every: 'monthly' } });
  assert.deepEqual(m.recurrence, { every: 'monthly', day: 20 });
  assert.equal(m.period, '2026-03');
  await act('chuyenvien', m.id, 'report_done');
  await act('lanhdao', m.id, 'accept');
  const list = async () => ok(await as.lanhdao.get(`/api/v1/tasks?view=all&source=${encodeURIComponent(ref)}`), 200, 'series').items;
  let items = await list();
  assert.equal(items.length, 2);
  const next = items.find((x) => x.id !== m.id);
  assert.equal(next.period, '2026-04');
  assert.equal(next.due_at, '2026-04-20T17:00:00+07:00');
  assert.equal(next.series, m.id);
  assert.equal(next.state, 'assigned');
  assert.equal(next.officer, 'chuyenvien');
  // Sweeps before May make nothing more; once May begins, the next.
  assert.equal((await sweep('2026-04-30 08:00')).tasks_made, 0);
  assert.equal((await list()).length, 2);
  assert.equal((await sweep('2026-05-01 08:00')).tasks_made, 1);
  assert.equal((await sweep('2026-05-01 08:05')).tasks_made, 0);
  items = await list();
  assert.deepEqual(items.map((x) => x.period).sort(), ['2026-03', '2026-04', '2026-05']);
  // Cancelling the latest instance ends the series.
  const may = items.find((x) => x.period === '2026-05');
  await act('lanhdao', may.id, 'cancel', { reason: 'Thôi báo cáo tháng, chuyển sang báo cáo quý' });
  assert.equal((await sweep('2026-06-01 08:00')).tasks_made, 0);
  const q = await create({ source: { kind: 'document', ref: 'Báo cáo quý' }, deadline: { date: '2026-03-31' }, recurrence: { every: 'quarterly', day: 31 } });
  assert.equal(q.period, '2026-03');
  const s = await sweep('2026-04-01 07:30');
  assert.ok(s.tasks_made >= 1);
  const qs = ok(await as.lanhdao.get(`/api/v1/tasks?view=all&source=${encodeURIComponent('Báo cáo quý')}`), 200, 'quarter').items;
  assert.deepEqual(qs.map((x) => x.due_at).sort(), ['2026-03-31T17:00:00+07:00', '2026-06-30T17:00:00+07:00']);
});

// ---- reminders ----

test('reminders: near due and overdue, each made once, to the right officers', async () => {
  const t = await create({ title: 'Chuẩn bị báo cáo bầu cử', deadline: { date: '2026-03-03' } });
  const notes = async (who) => {
    const r = ok(await as[who].get('/api/v1/notifications?limit=200'), 200, `${who} notifications`);
    return r.items.filter((x) => x.task === t.id).map((x) => x.kind).sort();
  };
  await sweep('2026-03-02 18:00');
  await sweep('2026-03-02 18:30');
  assert.deepEqual(await notes('chuyenvien'), ['task_near_due']);
  assert.deepEqual(await notes('cvkt2'), ['task_near_due']);
  assert.deepEqual(await notes('lanhdao'), []);
  await sweep('2026-03-04 08:00');
  await sweep('2026-03-04 09:00');
  assert.deepEqual(await notes('chuyenvien'), ['task_near_due', 'task_overdue']);
  assert.deepEqual(await notes('lanhdao'), ['task_overdue'], 'the assigner and leader');
  assert.deepEqual(await notes('cv2'), []);
  const n = ok(await as.chuyenvien.get('/api/v1/notifications?limit=200'), 200, 'list').items.find((x) => x.task === t.id && x.kind === 'task_overdue');
  assert.equal(n.dossier, null);
  assert.match(n.title, /^Nhiệm vụ quá hạn: Chuẩn bị báo cáo bầu cử/);
  // A task reported on time is not overdue, and reminds nobody.
  const u = await create({ title: 'Báo cáo đúng hạn', deadline: { date: '2026-03-03' } });
  await act('chuyenvien', u.id, 'report_done');
  await sweep('2026-03-06 08:00');
  const mine = ok(await as.chuyenvien.get('/api/v1/notifications?limit=200'), 200, 'list').items.filter((x) => x.task === u.id);
  assert.deepEqual(mine, []);
});
