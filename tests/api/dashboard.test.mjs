// dashboard.test.mjs - GET /api/v1/dashboard counted exactly (issue 9,
// "Tests"). A node without the demo data gets a fixed set of dossiers built
// through the API, each step at its own pinned clock: the server is restarted
// with MOTCUA_TEST_NOW set to the minute of the step, so "received
// yesterday", "due exactly now" and "approved on its due minute" are real
// events, not back-dated rows. The dashboard is then read at Wednesday
// 2026-03-04 10:00 (and a minute, and a day, later) by every role.
//
// The expected counts are computed from MODEL, the state the timeline below
// leaves each dossier in, written by hand; due times in it are worked out by
// hand from docs/deadlines.md (office hours 07:00-11:30 and 13:30-17:00,
// 8 working hours a day), never read back from the server. A test first
// checks that every dossier is in the state MODEL says (so the model is the
// truth), then the counts follow from the rules in docs/api.md and
// src/app/app.c's role queues:
//   by state      one count per open state, plus result_ready
//   overdue       received/processing/awaiting_approval/awaiting_payment and
//                 due_at < now (due exactly now is not late yet; a supplement
//                 wait stops the clock; an apology's date is the officer's
//                 date, docs/law.md, overdue for statistics)
//   near_due      the same states, due within one working day of now in
//                 working time (issue 10 item 7): now <= due_at <= the last
//                 such instant; near_due_before is the second after it (a
//                 window ending at 17:00 runs on to the next 07:00, the same
//                 working instant)
//   received_today / returned_today   received_at / returned_at on now's date
//   my_queue      reception: submitted + received + result_ready; leader:
//                 awaiting_approval + received; anyone else: processing and
//                 awaiting_payment dossiers assigned to them
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, startNode, startServer, stopServer, stopNode, motcua, bearer, client, newDossier, applicant,
} from './harness.mjs';

const PASSWORD = 'mat-khau-bang-tin';
const D = '/api/v1/dossiers';
const T = '2026-03-04 10:00'; // Wednesday, a working day: the dashboard's "now"

// Procedures (data/catalog/commune.jsonl), the same time on every channel used.
const P7C = '1.000253'; // direct: 7 calendar days, due 17:00
const P1W = '1.003133'; // direct and online: 1 working day
const P3W = '1.002755'; // direct and online: 3 working days

const USERS = [
  ['quantri', 'admin', 'Quản Trị'],
  ['tiepnhan', 'reception', 'Tiếp Nhận'],
  ['chuyenvien', 'specialist', 'Chuyên Viên Một'],
  ['chuyenvien2', 'specialist', 'Chuyên Viên Hai'],
  ['lanhdao', 'leader', 'Lãnh Đạo'],
  ['giamsat', 'supervisor', 'Giám Sát'],
];

// What the timeline leaves each dossier in at T. Times are local
// ('YYYY-MM-DD HH:MM', +07:00). due: due_at; legal: due_legal when an
// apology made it differ; who: the assignee (open dossiers in processing or
// awaiting payment, where my_queue reads it).
const MODEL = {
  // received Monday 23 Feb 08:00, 7 calendar days: Monday 2 Mar 17:00
  A: { status: 'withdrawn', received: '2026-02-23 08:00', due: '2026-03-02 17:00' },
  B: { status: 'processing', who: 'chuyenvien', received: '2026-02-23 08:00', due: '2026-03-02 17:00' },
  C: { status: 'supplement', received: '2026-02-23 08:00', due: '2026-03-02 17:00' }, // paused since 25 Feb
  D: { status: 'awaiting_approval', received: '2026-02-23 08:00', due: '2026-03-02 17:00' },
  E: { status: 'awaiting_payment', who: 'chuyenvien2', received: '2026-02-23 08:00', due: '2026-03-02 17:00' },
  F: { status: 'returned', received: '2026-02-23 08:00', due: '2026-03-02 17:00', finished: '2026-02-27 10:00', timeliness: 'early', returned: '2026-03-04 08:00' },
  G: { status: 'returned', received: '2026-02-23 08:00', due: '2026-03-02 17:00', finished: '2026-03-03 08:00', timeliness: 'late', returned: '2026-03-04 09:00' },
  // approved at 17:30 on its due date, after the 17:00 due time: on time (dates compare)
  H: { status: 'returned', received: '2026-02-23 08:00', due: '2026-03-02 17:00', finished: '2026-03-02 17:30', timeliness: 'on_time', returned: '2026-03-03 08:00' },
  // a supplement asked at the desk the minute it was recorded (Mon 08:00) is
  // no reception (issue 10 item 2): received when the papers came, Wed
  // 09:00; 1 working day: Wed 09:00-17:00 is 6 h, Thu 07:00 + 2 h = Thu 09:00
  I: { status: 'received', received: '2026-03-04 09:00', due: '2026-03-05 09:00' },
  // Mon 14:00 + 1 working day = Tue 14:00; approved at Tue 14:00 exactly
  J: { status: 'result_ready', received: '2026-03-02 14:00', due: '2026-03-03 14:00', finished: '2026-03-03 14:00', timeliness: 'on_time' },
  K: { status: 'received', received: '2026-03-03 08:00', due: '2026-03-10 17:00' },
  L: { status: 'awaiting_approval', received: '2026-03-03 08:00', due: '2026-03-10 17:00' },
  // Tue 08:00 + 3 working days: Tue 7 h, Wed 8, Thu 8, Fri 07:00 + 1 = Fri 08:00
  M: { status: 'processing', who: 'chuyenvien2', received: '2026-03-03 08:00', due: '2026-03-06 08:00' },
  // Tue 08:00 + 1 working day = Wed 08:00 (past at T); the apology moved it to Fri 17:00
  N: { status: 'processing', who: 'chuyenvien', received: '2026-03-03 08:00', due: '2026-03-06 17:00', legal: '2026-03-04 08:00' },
  S: { status: 'stopped', received: '2026-03-03 08:00', due: '2026-03-10 17:00' },
  O: { status: 'received', received: '2026-03-03 09:59', due: '2026-03-04 09:59' }, // a minute late at T
  Q: { status: 'processing', who: 'chuyenvien', received: '2026-03-03 10:00', due: '2026-03-04 10:00' }, // due exactly at T
  R: { status: 'processing', who: 'chuyenvien', received: '2026-03-03 14:00', due: '2026-03-04 14:00' },
  // submitted online Tue 15:00, accepted Wed 08:30: Wed 6.5 h, Thu 8, Fri 8, Mon 07:00 + 1.5 = Mon 08:30
  U: { status: 'received', submitted: '2026-03-03 15:00', received: '2026-03-04 08:30', due: '2026-03-09 08:30' },
  V: { status: 'received', received: '2026-03-03 23:59', due: '2026-03-10 17:00' }, // the last minute of yesterday
  W: { status: 'received', received: '2026-03-04 00:00', due: '2026-03-11 17:00' }, // the first minute of today
  X: { status: 'received', received: '2026-03-04 08:00', due: '2026-03-11 17:00' },
  Z: { status: 'withdrawn', received: '2026-03-04 08:00', due: '2026-03-11 17:00' },
  AA: { status: 'refused', submitted: '2026-03-04 08:00', received: null, due: null }, // refused at reception
  AB: { status: 'submitted', submitted: '2026-03-04 09:00', received: null, due: null },
  // Wed 09:59 + 1 working day: Wed 5 h 01, Thu 07:00 + 2 h 59 = Thu 09:59
  AC: { status: 'received', received: '2026-03-04 09:59', due: '2026-03-05 09:59' },
  AD: { status: 'received', received: '2026-03-04 10:00', due: '2026-03-05 10:00' }, // due exactly at near_due_before
};

const iso = (t) => (t === null || t === undefined ? null : `${t.replace(' ', 'T')}:00+07:00`);
// near_due_before: the second after the last near-due instant.
const isoAfter = (t) => `${t.replace(' ', 'T')}:01+07:00`;

let node;
const tok = {}; // login -> API token
const as = {}; // login -> client (bearer)
const code = {}; // MODEL key -> dossier code

function expectStatus(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

// Every request closes its connection: the server is restarted at each step
// and waits for open connections (kept-alive ones too) before it exits.
const CLOSE = { headers: { Connection: 'close' } };
function closing(c) {
  return {
    get: (p) => c.get(p, CLOSE),
    post: (p, b) => c.post(p, b, CLOSE),
  };
}

// A session (cookie and CSRF token), signed in over a closed connection.
async function signIn(login_) {
  const r = await fetch(node.base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Connection: 'close' },
    body: JSON.stringify({ login: login_, password: PASSWORD }),
  });
  const body = await r.json();
  assert.equal(r.status, 200, `sign in ${login_}: ${JSON.stringify(body)}`);
  return closing(client(node, { cookie: r.headers.get('set-cookie').split(';')[0], csrf: body.csrf_token }));
}

// Runs fn with the server up and its clock pinned at clock.
async function at(clock, fn) {
  node.env = { MOTCUA_TEST_NOW: clock };
  await startServer(node);
  try {
    await fn();
  } finally {
    await stopServer(node);
  }
}

let serial = 0;
async function receive(key, procedure, over = {}) {
  serial++;
  const body = newDossier({
    procedure,
    applicant: { ...applicant(`Người Thử ${key}`), phone: `09120000${String(serial).padStart(2, '0')}` },
    summary: `Hồ sơ ${key}`,
    ...over,
  });
  const d = expectStatus(await as.tiepnhan.post(D, body), 201, `receive ${key}`);
  code[key] = d.code;
  return d;
}

async function act(who, key, action, extra = {}) {
  const r = await as[who].post(`${D}/${code[key]}/actions`, { action, ...extra });
  return expectStatus(r, 200, `${who}: ${action} on ${key}`);
}

const assign = (key, to) => act('tiepnhan', key, 'assign', { to });

before(async () => {
  node = await startNode({ demo: false, env: { MOTCUA_TEST_NOW: '2026-02-23 07:00' } });
  await stopServer(node);
  const env = { ...process.env, MOTCUA_TEST_NOW: '2026-02-23 07:00' };
  for (const [login_, role, name] of USERS) {
    motcua(['user', 'add', login_, '--role', role, '--name', name, '--dir', node.data], { env, input: PASSWORD + '\n' });
    tok[login_] = motcua(['token', 'create', login_, '--dir', node.data], { env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    assert.match(tok[login_], /^[0-9a-f]{64}$/);
  }
  const wanted = new Set([P7C, P1W, P3W]);
  const lines = readFileSync(join(ROOT, 'data/catalog/commune.jsonl'), 'utf8').split('\n')
    .filter((l) => l && wanted.has(JSON.parse(l).code));
  assert.equal(lines.length, 3, 'the three procedures are in the shipped catalog');
  const file = join(node.dir, 'procedures.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  motcua(['catalog', 'import', file, '--dir', node.data], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const [login_] of USERS) as[login_] = closing(bearer(node, tok[login_]));

  // ---- the timeline ----
  await at('2026-02-23 08:00', async () => {
    for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']) await receive(k, P7C);
    for (const k of ['B', 'C', 'D', 'F', 'G', 'H']) await assign(k, 'chuyenvien');
    await assign('E', 'chuyenvien2');
    await act('chuyenvien', 'D', 'submit_approval');
    await act('chuyenvien', 'G', 'submit_approval');
    await act('chuyenvien2', 'E', 'request_payment');
  });
  await at('2026-02-25 10:00', async () => {
    await act('chuyenvien', 'C', 'request_supplement', { comment: 'Thiếu bản sao hộ chiếu' });
  });
  await at('2026-02-27 10:00', async () => {
    await act('chuyenvien', 'F', 'submit_approval');
    await act('lanhdao', 'F', 'approve');
  });
  await at('2026-03-02 08:00', async () => {
    await receive('I', P1W);
    await act('tiepnhan', 'I', 'request_supplement', { comment: 'Thiếu ảnh' });
    await act('chuyenvien', 'H', 'submit_approval');
  });
  await at('2026-03-02 14:00', async () => {
    await receive('J', P1W);
    await assign('J', 'chuyenvien');
    await act('chuyenvien', 'J', 'submit_approval');
  });
  await at('2026-03-02 17:30', async () => {
    await act('lanhdao', 'H', 'approve');
  });
  await at('2026-03-03 08:00', async () => {
    for (const k of ['K', 'L', 'S']) await receive(k, P7C);
    await receive('M', P3W);
    await receive('N', P1W);
    await assign('L', 'chuyenvien');
    await act('chuyenvien', 'L', 'submit_approval');
    await assign('M', 'chuyenvien2');
    await assign('N', 'chuyenvien');
    await act('lanhdao', 'N', 'apology', { comment: 'Cần xác minh thêm', new_due: '2026-03-06T17:00+07:00' });
    await act('lanhdao', 'G', 'approve');
    await act('tiepnhan', 'H', 'return', { comment: 'Nhận trực tiếp' });
  });
  await at('2026-03-03 09:59', async () => { await receive('O', P1W); });
  await at('2026-03-03 10:00', async () => {
    await receive('Q', P1W);
    await assign('Q', 'chuyenvien');
  });
  await at('2026-03-03 14:00', async () => {
    await receive('R', P1W);
    await assign('R', 'chuyenvien');
    await act('lanhdao', 'J', 'approve'); // J is due now
  });
  await at('2026-03-03 15:00', async () => { await receive('U', P3W, { channel: 'online', pending: true }); });
  await at('2026-03-03 23:59', async () => { await receive('V', P7C); });
  await at('2026-03-04 00:00', async () => { await receive('W', P7C); });
  await at('2026-03-04 08:00', async () => {
    await receive('X', P7C);
    await receive('Z', P7C);
    await receive('AA', P3W, { channel: 'online', pending: true });
    await act('tiepnhan', 'F', 'return', { comment: 'Nhận trực tiếp' });
  });
  await at('2026-03-04 08:30', async () => { await act('tiepnhan', 'U', 'accept'); });
  await at('2026-03-04 09:00', async () => {
    await act('tiepnhan', 'AA', 'refuse', { comment: 'Không thuộc thẩm quyền' });
    await act('tiepnhan', 'I', 'supplement_received');
    await act('tiepnhan', 'A', 'withdraw', { comment: 'Người nộp xin rút' });
    await act('lanhdao', 'S', 'stop', { comment: 'Người nộp đề nghị dừng' });
    await act('tiepnhan', 'G', 'return', { comment: 'Nhận trực tiếp' });
    await receive('AB', P3W, { channel: 'online', pending: true });
  });
  await at('2026-03-04 09:30', async () => { await act('tiepnhan', 'Z', 'withdraw', { comment: 'Người nộp xin rút' }); });
  await at('2026-03-04 09:59', async () => { await receive('AC', P1W); });
  await at(T, async () => { await receive('AD', P1W); });
});

after(async () => {
  if (node) await stopNode(node);
});

// ---- the expected counts, from MODEL ----

// States whose clock runs: they can be overdue or near due.
const RUNNING = ['received', 'processing', 'awaiting_approval', 'awaiting_payment'];
const BY_STATE = ['submitted', 'received', 'processing', 'awaiting_approval', 'supplement', 'awaiting_payment', 'result_ready'];

// last: the last instant within one working day of now (near due up to it).
function expected(now, last, role, login_) {
  const day = now.slice(0, 10);
  const c = Object.fromEntries([...BY_STATE, 'overdue', 'near_due', 'received_today', 'returned_today'].map((k) => [k, 0]));
  for (const d of Object.values(MODEL)) {
    if (BY_STATE.includes(d.status)) c[d.status]++;
    if (RUNNING.includes(d.status) && d.due) {
      if (d.due < now) c.overdue++;
      else if (d.due <= last) c.near_due++;
    }
    if (d.received && d.received.slice(0, 10) === day) c.received_today++;
    if (d.returned && d.returned.slice(0, 10) === day) c.returned_today++;
  }
  if (role === 'reception') c.my_queue = c.submitted + c.received + c.result_ready;
  else if (role === 'leader') c.my_queue = c.awaiting_approval + c.received;
  else {
    c.my_queue = Object.values(MODEL)
      .filter((d) => ['processing', 'awaiting_payment'].includes(d.status) && d.who === login_).length;
  }
  return c;
}

const overdueKeys = (now) => Object.keys(MODEL).filter((k) => RUNNING.includes(MODEL[k].status) && MODEL[k].due && MODEL[k].due < now);

// Reads the dashboard of every user at clock and checks it against MODEL.
async function checkDashboards(clock, last) {
  await at(clock, async () => {
    for (const [login_, role] of USERS) {
      const dash = expectStatus(await as[login_].get('/api/v1/dashboard'), 200, `dashboard of ${login_}`);
      assert.equal(dash.now, iso(clock), 'now');
      assert.equal(dash.near_due_before, isoAfter(last), 'near_due_before: just past one working day after now');
      assert.deepEqual(dash.counts, expected(clock, last, role, login_), `counts seen by ${login_} (${role}) at ${clock}`);
    }
    // The list's overdue filter agrees with the count.
    const list = expectStatus(await as.giamsat.get(`${D}?overdue=true&limit=500`), 200, 'overdue list');
    assert.deepEqual(list.items.map((d) => d.code).sort(), overdueKeys(clock).map((k) => code[k]).sort(), `overdue dossiers at ${clock}`);
    // The near-due list (the home screen's: open, due before near_due_before)
    // holds the overdue and the near-due ones, and those waiting for a
    // supplement whose (paused) due time is in the window.
    const before_ = encodeURIComponent(isoAfter(last));
    const near = expectStatus(await as.giamsat.get(`${D}?status=open&due_before=${before_}&sort=due&limit=500`), 200, 'near-due list');
    const want = Object.keys(MODEL).filter((k) => [...RUNNING, 'supplement'].includes(MODEL[k].status) && MODEL[k].due && MODEL[k].due <= last);
    assert.deepEqual(near.items.map((d) => d.code).sort(), want.map((k) => code[k]).sort(), `near-due list at ${clock}`);
  });
}

// ---- tests ----

test('the timeline left every dossier where MODEL says (status, times, assignee, timeliness)', async () => {
  await at(T, async () => {
    for (const [k, m] of Object.entries(MODEL)) {
      const d = expectStatus(await as.giamsat.get(`${D}/${code[k]}`), 200, `GET ${k}`);
      const what = `dossier ${k} (${code[k]})`;
      assert.equal(d.status, m.status, `${what}: status`);
      assert.equal(d.received_at, iso(m.received), `${what}: received_at`);
      assert.equal(d.due_at, iso(m.due), `${what}: due_at`);
      assert.equal(d.due_legal, iso(m.legal || m.due), `${what}: due_legal`);
      assert.equal(d.returned_at, iso(m.returned), `${what}: returned_at`);
      if (m.submitted) assert.equal(d.submitted_at, iso(m.submitted), `${what}: submitted_at`);
      if (m.who) assert.equal(d.assignee, m.who, `${what}: assignee`);
      if (m.finished) assert.equal(d.finished_at, iso(m.finished), `${what}: finished_at`);
      if (m.timeliness) assert.equal(d.timeliness, m.timeliness, `${what}: timeliness`);
      const overdue = RUNNING.includes(m.status) && m.due !== null && m.due < T;
      assert.equal(d.overdue, overdue, `${what}: overdue flag at ${T}`);
    }
  });
});

test('dashboard at Wed 10:00, every role: exact counts (due exactly now or exactly one working day on is near due)', async () => {
  // Hand-written, as a check on expected() itself:
  //   submitted AB; received I K O U V W X AC AD; processing B M N Q R;
  //   awaiting approval D L; supplement C; awaiting payment E; result ready J;
  //   overdue B D E O (C is paused; N's apology moved it; Q is due at 10:00);
  //   near due Q R I AC AD (AD is due at 10:00 tomorrow: exactly one working
  //   day away, within it);
  //   received today W X Z U AC AD I (not V at 23:59 yesterday; not AA,
  //   refused before it was received; I, received when its supplement came);
  //   returned today F G (H yesterday).
  const want = {
    submitted: 1, received: 9, processing: 5, awaiting_approval: 2, supplement: 1,
    awaiting_payment: 1, result_ready: 1, overdue: 4, near_due: 5, received_today: 7, returned_today: 2,
  };
  const queues = { quantri: 0, tiepnhan: 11, chuyenvien: 4, chuyenvien2: 2, lanhdao: 11, giamsat: 0 };
  for (const [login_, role] of USERS) {
    assert.deepEqual(expected(T, '2026-03-05 10:00', role, login_), { ...want, my_queue: queues[login_] }, `expected() for ${login_}`);
  }
  await checkDashboards(T, '2026-03-05 10:00');
});

test('dashboard a minute later: the dossier due at 10:00 is overdue, the one due at 10:00 tomorrow still near', async () => {
  await checkDashboards('2026-03-04 10:01', '2026-03-05 10:01');
  const a = expected(T, '2026-03-05 10:00', 'supervisor', 'giamsat');
  const b = expected('2026-03-04 10:01', '2026-03-05 10:01', 'supervisor', 'giamsat');
  assert.equal(b.overdue, a.overdue + 1);
  assert.equal(b.near_due, a.near_due - 1);
});

test('dashboard at midnight: today\'s counts start again; near due runs to the next working instant after 17:00', async () => {
  // From Thursday 00:00 one working day is Thursday 07:00-17:00; Friday
  // 07:00 is no more working time away.
  await checkDashboards('2026-03-05 00:00', '2026-03-06 07:00');
  const c = expected('2026-03-05 00:00', '2026-03-06 07:00', 'supervisor', 'giamsat');
  assert.equal(c.received_today, 0);
  assert.equal(c.returned_today, 0);
  assert.equal(c.overdue, 6); // B D E O Q R
  assert.equal(c.near_due, 3); // I AC AD
});

test('a signed-in session sees the same dashboard as the token of the same officer', async () => {
  await at(T, async () => {
    const s = await signIn('tiepnhan');
    const viaSession = expectStatus(await s.get('/api/v1/dashboard'), 200, 'dashboard by session');
    const viaToken = expectStatus(await as.tiepnhan.get('/api/v1/dashboard'), 200, 'dashboard by token');
    assert.deepEqual(viaSession, viaToken);
  });
});

// Run last: they add dossiers on Thursday and Friday.
test('a dossier refused at the desk, before or right after its receipt, is not counted as received today (status 3 is "not received")', async () => {
  await at('2026-03-05 08:00', async () => {
    const before_ = expectStatus(await as.giamsat.get('/api/v1/dashboard'), 200, 'dashboard before');
    assert.equal(before_.counts.received_today, 0);
    await receive('BA', P7C);
    await act('tiepnhan', 'BA', 'refuse', { comment: 'Giấy tờ giả mạo' });
    await receive('BB', P3W, { channel: 'online', pending: true });
    await act('tiepnhan', 'BB', 'refuse', { comment: 'Không thuộc thẩm quyền' });
    await receive('BC', P7C, { pending: true }); // as the desk records it (issue 10 item 1)
    await act('tiepnhan', 'BC', 'refuse', { comment: 'Không thuộc thẩm quyền' });
    const dash = expectStatus(await as.giamsat.get('/api/v1/dashboard'), 200, 'dashboard after');
    assert.equal(dash.counts.received_today, 0, 'three refusals, nothing received today');
    assert.deepEqual(dash.counts, before_.counts, 'no count moved');
    for (const k of ['BA', 'BB', 'BC']) {
      const d = expectStatus(await as.giamsat.get(`${D}/${code[k]}`), 200, k);
      assert.equal(d.status_label, 'Không được tiếp nhận');
      for (const f of ['received_at', 'due_at', 'finished_at', 'timeliness']) assert.equal(d[f], null, `${k}: ${f}`);
    }
  });
});

test('near due on a Saturday afternoon: a dossier due Monday 17:00 is near due (counted in working time)', async () => {
  // Received Friday after closing with 1 working day: Monday 07:00 + 8 h.
  await at('2026-03-06 17:30', async () => { await receive('BD', P1W); });
  MODEL.BD = { status: 'received', received: '2026-03-06 17:30', due: '2026-03-09 17:00' };
  // From Saturday 14:00 the next working day is Monday 07:00-17:00, and
  // Tuesday 07:00 is no more working time away.
  await checkDashboards('2026-03-07 14:00', '2026-03-10 07:00');
  const c = expected('2026-03-07 14:00', '2026-03-10 07:00', 'supervisor', 'giamsat');
  assert.ok(c.near_due >= 1);
  await at('2026-03-07 14:00', async () => {
    const d = expectStatus(await as.giamsat.get(`${D}/${code.BD}`), 200, 'BD');
    assert.equal(d.due_at, iso('2026-03-09 17:00'));
    assert.equal(d.overdue, false);
  });
});
