// recommendations.test.mjs - recommendations (kiến nghị, docs/recommendations.md)
// over real HTTP on loopback: a provincial hub and a demo commune node
// enrolled with it, synced with `motcua sync now`. Every state and step with
// who may take it (the wrong side 403 recommendation.wrong_side, the wrong
// role 403 auth.role, the wrong state 409 recommendation.wrong_state), the
// working time of each stage across a weekend and across Tết (expectations
// computed from `motcua calendar days-off` and `calendar due`, never written
// down), a withdrawal that crosses an answer, and bad input: 4xx and nothing
// changed. client() checks every answer against the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { motcua, BIN, PASSWORD, freePort, stopServer, login, loadContract } from './harness.mjs';
import { makeHub, sql, expectError } from './sync-helpers.mjs';

const AGENCY = '000.71.45.H45';
const CLOCK = '2026-03-02 09:00'; // a Monday
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (args, env = {}) => new Promise((resolve) => {
  execFile(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? err.code || 1 : 0, stdout, stderr }));
});

let root, hub, node;
const path = (id, action) => `/api/v1/recommendations/${id}${action ? '/' + action : ''}`;

// A round with the hub; retried while the node's own sync thread holds the
// hub (one request in flight per key) or a cut makes it fail.
async function sync(n = node) {
  let last;
  for (let i = 0; i < 20; i++) {
    last = await run(['sync', 'now', '--dir', n.data], n.env);
    if (last.code === 0 && /0 waiting/.test(last.stdout)) return last.stdout;
    await sleep(200);
  }
  throw new Error(`sync: ${last.stdout}${last.stderr}`);
}
// A server on the port it had before (the node knows the hub by its address).
async function startServer(n) {
  n.port ||= await freePort();
  n.base = `http://127.0.0.1:${n.port}`;
  n.log = '';
  n.proc = spawn(BIN, ['serve', '--dir', n.data, '--listen', `127.0.0.1:${n.port}`], { env: { ...process.env, ...n.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  n.proc.stderr.on('data', (d) => { n.log = (n.log + d).slice(-20000); });
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(n.base + '/healthz', { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) { await loadContract(n).catch(() => {}); return n; }
    } catch { /* not up yet */ }
    await sleep(25);
  }
  throw new Error('server did not start: ' + n.log);
}
// Restarts a server with its clock at t ("YYYY-MM-DD HH:MM").
async function clockAt(n, t) {
  await stopServer(n);
  n.env = { MOTCUA_TEST_NOW: t };
  await startServer(n);
}
const as = (n, who) => login(n, who);
const count = (n, table = 'recommendation') => Number(sql(n, `select count(*) from ${table}`));
const events = (n) => sql(n, 'select count(*) || \':\' || max(seq) from event');
// What a refused request must leave as it was.
const state = (n) => `${events(n)}|${sql(n, "select group_concat(id || ':' || state || ':' || round || ':' || department || ':' || updated_at, ',') from recommendation")}|${count(n, 'recommendation_step')}|${sql(n, 'select count(*) from hub_outbox')}`;

async function file(c, over = {}) {
  const r = await c.post('/api/v1/recommendations', { topic: 'Hướng dẫn cấp phép xây dựng', content: 'Đề nghị Sở hướng dẫn.', field: 'Xây dựng', concerns: 'SXD', ...over });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-recs-'));
  hub = makeHub(root, 'hub');
  hub.env = { MOTCUA_TEST_NOW: CLOCK };
  for (const [login_, role] of [['sxd', 'specialist'], ['stp', 'specialist']]) {
    motcua(['user', 'add', login_, '--role', role, '--name', `Chuyên viên ${login_.toUpperCase()}`, '--dir', hub.data], { input: PASSWORD + '\n' });
  }
  await startServer(hub);
  const admin = await as(hub, 'quantri');
  for (const [u, unit] of [['sxd', 'SXD'], ['stp', 'STP']]) {
    const r = await admin.patch(`/api/v1/users/${u}`, { unit });
    assert.equal(r.status, 200, r.text);
  }
  node = { data: join(root, 'node'), env: { MOTCUA_TEST_NOW: CLOCK } };
  motcua(['init', '--demo', '--agency', AGENCY, '--name', 'Xã Kiến Nghị', '--dir', node.data], { env: { ...process.env, MOTCUA_TEST_NOW: CLOCK } });
  let r = await run(['enrol', '--hub', hub.base, '--dir', node.data]);
  assert.equal(r.code, 0, r.stderr);
  r = await run(['hub', 'approve', sql(node, "select value from setting where key = 'public_key'"), '--dir', hub.data]);
  assert.equal(r.code, 0, r.stderr);
  await startServer(node);
  await sync();
});

after(async () => {
  for (const n of [node, hub]) if (n) await stopServer(n);
  if (root && !process.env.KEEP) rmSync(root, { recursive: true, force: true });
});

test('every state and step, each with who may take it and on which side', async () => {
  const [lead, adm, rec, spec, sup] = await Promise.all(['lanhdao', 'quantri', 'tiepnhan', 'chuyenvien', 'giamsat'].map((u) => as(node, u)));
  const [hLead, hAdm, hRec, hSup, hSxd, hStp, hSpec] = await Promise.all(['lanhdao', 'quantri', 'tiepnhan', 'giamsat', 'sxd', 'stp', 'chuyenvien'].map((u) => as(hub, u)));
  const body = { topic: 'Đề nghị hướng dẫn', content: 'Nội dung', concerns: 'SXD' };

  // Filing: the commune's leader or administrator, on its node only.
  let before_ = state(node);
  for (const c of [rec, spec, sup]) expectError(await c.post('/api/v1/recommendations', body), 403, 'auth.role', `${c.user.login} files`);
  assert.equal(state(node), before_, 'refused filings changed nothing');
  const hubBefore = state(hub);
  expectError(await hLead.post('/api/v1/recommendations', body), 403, 'recommendation.wrong_side', 'the hub files');
  assert.equal(state(hub), hubBefore);
  const r1 = await file(lead, body);
  assert.match(r1.id, new RegExp(`^${AGENCY.replace(/\./g, '\\.')}/KN-2026-\\d{4}$`));
  assert.equal(r1.state, 'filed');
  assert.deepEqual(r1.actions, ['withdraw']);
  assert.deepEqual(r1.concerns, { code: 'SXD', name: 'Sở Xây dựng' });
  assert.equal(r1.filed_by.login, 'lanhdao');
  const r2 = await file(adm, { ...body, topic: 'Thứ hai' });
  assert.equal(Number(r2.id.slice(-4)), Number(r1.id.slice(-4)) + 1, 'numbered one after the other');
  // Every officer reads them; the province's steps are not the commune's.
  for (const c of [rec, spec, sup]) {
    const g = await c.get(path(r1.id));
    assert.equal(g.status, 200);
    assert.deepEqual(g.json.actions, []);
  }
  before_ = state(node);
  for (const [act, b] of [['route', { department: 'SXD' }], ['reroute', { department: 'STP', reason: 'x' }], ['answer', { answer: 'x' }]]) {
    expectError(await lead.post(path(r1.id, act), b), 403, 'recommendation.wrong_side', `the commune ${act}s`);
  }
  expectError(await lead.post(path(r1.id, 'close'), {}), 409, 'recommendation.wrong_state', 'close a filed one');
  expectError(await lead.post(path(r1.id, 'reopen'), { reason: 'x' }), 409, 'recommendation.wrong_state', 'reopen a filed one');
  expectError(await rec.post(path(r1.id, 'withdraw'), { reason: 'x' }), 403, 'auth.role', 'reception withdraws');
  assert.equal(state(node), before_);

  // Not on the hub before the node syncs.
  expectError(await hLead.get(path(r1.id)), 404, 'recommendation.not_found', 'before sync');
  await sync();
  let h = await hLead.get(path(r1.id));
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.state, 'filed');
  assert.equal(h.json.agency_name, 'Xã Kiến Nghị');
  assert.deepEqual(h.json.actions, ['route']);
  assert.equal(sql(hub, `select verdict from hub_event where dossier = '${r1.id}'`), 'applied');

  // Routing: a leader, the administrator or a supervisor of the hub.
  before_ = state(hub);
  expectError(await hRec.post(path(r1.id, 'route'), { department: 'SXD' }), 403, 'auth.role', 'reception routes');
  expectError(await hSxd.post(path(r1.id, 'route'), { department: 'SXD' }), 403, 'auth.role', 'a department officer routes');
  expectError(await hLead.post(path(r1.id, 'answer'), { answer: 'x' }), 409, 'recommendation.wrong_state', 'answer a filed one');
  expectError(await hLead.post(path(r1.id, 'close'), {}), 403, 'recommendation.wrong_side', 'the hub closes');
  expectError(await hLead.post(path(r1.id, 'withdraw'), { reason: 'x' }), 403, 'recommendation.wrong_side', 'the hub withdraws');
  expectError(await hSup.post(path(r1.id, 'route'), {}), 400, 'recommendation.incomplete', 'route with no department');
  expectError(await hSup.post(path(r1.id, 'route'), { department: 'NOPE' }), 400, 'unit.unknown', 'route to no unit');
  assert.equal(state(hub), before_);
  h = await hSup.post(path(r1.id, 'route'), { department: 'STP', comment: 'Giao Sở Tư pháp' });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.state, 'routed');
  assert.equal(h.json.department.code, 'STP');
  const due = motcua(['calendar', 'due', '--at', CLOCK, '--time', '15', '--unit', 'working_days', '--dir', hub.data]).trim();
  assert.equal(h.json.due_at.slice(0, 16).replace('T', ' '), due, 'due 15 working days after routing, on the hub\'s calendar');
  expectError(await hSup.post(path(r1.id, 'route'), { department: 'SXD' }), 409, 'recommendation.wrong_state', 'route twice');
  expectError(await hLead.post(path(r1.id, 'reroute'), { department: 'SXD' }), 400, 'recommendation.incomplete', 'reroute with no reason');
  expectError(await hLead.post(path(r1.id, 'reroute'), { department: 'STP', reason: 'x' }), 400, 'recommendation.same_department', 'reroute where it is');
  // A department's officers see only what is routed to their department.
  expectError(await hSxd.get(path(r1.id)), 403, 'auth.role', 'SXD reads STP\'s');
  assert.equal((await hSxd.get('/api/v1/recommendations')).json.total, 0);
  assert.equal((await hStp.get('/api/v1/recommendations')).json.total, 1);
  assert.equal((await hSpec.get('/api/v1/recommendations')).json.total, 0, 'an officer with no unit sees none');
  h = await hLead.post(path(r1.id, 'reroute'), { department: 'SXD', reason: 'Thuộc thẩm quyền Sở Xây dựng' });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.department.code, 'SXD');
  assert.equal(h.json.due_at.slice(0, 16).replace('T', ' '), due, 'a reroute keeps the due');
  assert.deepEqual(h.json.actions, ['reroute', 'answer']);

  // Answering: the department routed to (any role), a leader, the administrator.
  before_ = state(hub);
  expectError(await hStp.post(path(r1.id, 'answer'), { answer: 'x' }), 403, 'auth.role', 'another department answers');
  expectError(await hSup.post(path(r1.id, 'answer'), { answer: 'x' }), 403, 'auth.role', 'a supervisor answers');
  expectError(await hSxd.post(path(r1.id, 'answer'), { document: '1/SXD' }), 400, 'recommendation.incomplete', 'an answer with no text');
  assert.equal(state(hub), before_);
  h = await hSxd.post(path(r1.id, 'answer'), { answer: 'Sở đã có hướng dẫn.', document: '125/SXD-QLXD' });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.state, 'answered');
  assert.equal(h.json.answer.by.unit, 'SXD');
  assert.equal(h.json.answer.document, '125/SXD-QLXD');
  assert.deepEqual(h.json.actions, []);
  expectError(await hLead.post(path(r1.id, 'answer'), { answer: 'again' }), 409, 'recommendation.wrong_state', 'answer twice');
  expectError(await hLead.post(path(r1.id, 'reroute'), { department: 'STP', reason: 'x' }), 409, 'recommendation.wrong_state', 'reroute an answered one');

  // Down to the commune: routed to STP, rerouted to SXD, answered.
  await sync();
  let n = await lead.get(path(r1.id));
  assert.equal(n.json.state, 'answered');
  assert.equal(n.json.department.code, 'SXD');
  assert.equal(n.json.answer.text, 'Sở đã có hướng dẫn.');
  assert.deepEqual(n.json.timeline.map((s) => [s.action, s.side]), [['file', 'commune'], ['route', 'province'], ['reroute', 'province'], ['answer', 'province']]);
  assert.deepEqual(n.json.actions, ['close', 'reopen']);
  before_ = state(node);
  expectError(await lead.post(path(r1.id, 'withdraw'), { reason: 'x' }), 409, 'recommendation.wrong_state', 'withdraw an answered one');
  expectError(await lead.post(path(r1.id, 'reopen'), {}), 400, 'recommendation.incomplete', 'reopen with no reason');
  expectError(await rec.post(path(r1.id, 'close'), {}), 403, 'auth.role', 'reception closes');
  expectError(await spec.post(path(r1.id, 'reopen'), { reason: 'x' }), 403, 'auth.role', 'a specialist reopens');
  assert.equal(state(node), before_);

  // Reopened: back to SXD for a new answer, with a new due from the hub.
  n = await lead.post(path(r1.id, 'reopen'), { reason: 'Chưa nêu rõ thành phần hồ sơ' });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.state, 'routed');
  assert.equal(n.json.round, 2);
  assert.equal(n.json.department.code, 'SXD');
  assert.equal(n.json.due_at, null, 'the due waits for the hub');
  assert.deepEqual(n.json.actions, ['withdraw']);
  await sync();
  await sync(); // the hub's confirmation comes down in the next pull
  h = await hSxd.get(path(r1.id));
  assert.equal(h.json.state, 'routed');
  assert.equal(h.json.round, 2);
  assert.equal(h.json.answer, null);
  assert.equal(h.json.rounds.length, 2);
  n = await lead.get(path(r1.id));
  assert.equal(n.json.due_at, h.json.due_at, 'the commune learns the new round\'s due');
  assert.equal(n.json.timeline.at(-1).confirms, 'reopen');
  h = await hAdm.post(path(r1.id, 'answer'), { answer: 'Thành phần hồ sơ gồm…' });
  assert.equal(h.status, 200, h.text);
  await sync();
  n = await adm.post(path(r1.id, 'close'), { comment: 'Đã rõ' });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.state, 'closed');
  assert.deepEqual(n.json.actions, ['reopen']);
  await sync();
  h = await hLead.get(path(r1.id));
  assert.equal(h.json.state, 'closed');
  assert.deepEqual(h.json.actions, []);
  assert.deepEqual(h.json.rounds.map((r) => r.answer.text), ['Sở đã có hướng dẫn.', 'Thành phần hồ sơ gồm…']);
  // The hub stores the commune's record of its own steps, applies the rest.
  assert.equal(sql(hub, `select group_concat(kind || '=' || verdict, ' ') from (select kind, verdict from hub_event where dossier = '${r1.id}' order by seq)`),
    'recommendation.filed=applied recommendation.routed=stored recommendation.routed=stored recommendation.answered=stored recommendation.reopened=applied recommendation.routed=stored recommendation.answered=stored recommendation.closed=applied');

  // Withdrawn before routing: final on both sides.
  n = await lead.post(path(r2.id, 'withdraw'), { reason: 'Đã được giải quyết tại xã' });
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.state, 'withdrawn');
  assert.deepEqual(n.json.actions, []);
  for (const [act, b] of [['withdraw', { reason: 'x' }], ['close', {}], ['reopen', { reason: 'x' }]]) {
    expectError(await lead.post(path(r2.id, act), b), 409, 'recommendation.wrong_state', `${act} a withdrawn one`);
  }
  await sync();
  h = await hLead.get(path(r2.id));
  assert.equal(h.json.state, 'withdrawn');
  assert.equal(h.json.reason, 'Đã được giải quyết tại xã');
  expectError(await hLead.post(path(r2.id, 'route'), { department: 'SXD' }), 409, 'recommendation.wrong_state', 'route a withdrawn one');

  // Unknown ids and steps.
  expectError(await lead.get(path(`${AGENCY}/KN-2026-9999`)), 404, 'recommendation.not_found', 'unknown id');
  expectError(await lead.post(path(r1.id, 'approve'), {}), 404, 'recommendation.unknown_action', 'unknown step');
  expectError(await lead.post(path(`${AGENCY}/KN-2026-9999`, 'close'), {}), 404, 'recommendation.not_found', 'step on unknown id');
});

test('a withdrawal that crosses a reroute and an answer: both sides end withdrawn, with the department and answer recorded', async () => {
  const lead = await as(node, 'lanhdao');
  const hLead = await as(hub, 'lanhdao');
  const r = await file(lead, { topic: 'Kiến nghị sẽ rút' });
  await sync();
  assert.equal((await hLead.post(path(r.id, 'route'), { department: 'STP' })).status, 200);
  await sync();
  // The hub moves it on and answers while the commune, not yet told, withdraws.
  assert.equal((await hLead.post(path(r.id, 'reroute'), { department: 'SXD', reason: 'Chuyển đúng sở' })).status, 200);
  assert.equal((await hLead.post(path(r.id, 'answer'), { answer: 'Trả lời đã gửi' })).status, 200);
  const w = await lead.post(path(r.id, 'withdraw'), { reason: 'Không còn cần' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.department.code, 'STP');
  await sync();
  await sync();
  const n = (await lead.get(path(r.id))).json, h = (await hLead.get(path(r.id))).json;
  for (const x of [n, h]) {
    assert.equal(x.state, 'withdrawn');
    assert.equal(x.department.code, 'SXD');
    assert.equal(x.answer.text, 'Trả lời đã gửi');
    assert.deepEqual(x.actions, []);
  }
  assert.equal(sql(hub, `select verdict from hub_event where kind = 'recommendation.withdrawn' and dossier = '${r.id}'`), 'applied');
  assert.equal(sql(node, `select count(*) from event where kind = 'sync.item_skipped'`), '0');
});

// ---- working time ----

// Working seconds from a to b ("YYYY-MM-DD HH:MM", Vietnam time) with the
// office hours 07:00-11:30 and 13:30-17:00 and the days off `motcua
// calendar days-off` lists for dir: the test's own count, not the server's.
const SPANS = [[7 * 60, 11 * 60 + 30], [13 * 60 + 30, 17 * 60]];
const offCache = new Map();
function off(dir, year) {
  const k = dir + year;
  if (!offCache.has(k)) offCache.set(k, new Set(motcua(['calendar', 'days-off', String(year), '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')));
  return offCache.get(k);
}
const ms = (t) => Date.parse(t.replace(' ', 'T') + ':00+07:00');
function workSecs(dir, a, b) {
  let total = 0;
  const from = ms(a), to = ms(b);
  for (let day = Date.parse(a.slice(0, 10) + 'T00:00:00+07:00'); day < to; day += 864e5) {
    const iso = new Date(day + 7 * 3600e3).toISOString().slice(0, 10);
    if (off(dir, Number(iso.slice(0, 4))).has(iso)) continue;
    for (const [s, e] of SPANS) total += Math.max(0, Math.min(to, day + e * 60e3) - Math.max(from, day + s * 60e3)) / 1000;
  }
  return total;
}
const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 864e5).toISOString().slice(0, 10);

async function timed(steps) {
  // steps: [filed, routed, answered, closed] local times
  const [t1, t2, t3, t4] = steps;
  await clockAt(node, t1);
  const r = await file(await as(node, 'lanhdao'), { topic: `Kiến nghị ${t1}` });
  await sync();
  await clockAt(hub, t2);
  let h = await (await as(hub, 'lanhdao')).post(path(r.id, 'route'), { department: 'SXD' });
  assert.equal(h.status, 200, h.text);
  const due = motcua(['calendar', 'due', '--at', t2, '--time', '15', '--unit', 'working_days', '--dir', hub.data], { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  assert.equal(h.json.due_at.slice(0, 16).replace('T', ' '), due);
  await clockAt(hub, t3);
  h = await (await as(hub, 'sxd')).post(path(r.id, 'answer'), { answer: 'Đã trả lời' });
  assert.equal(h.status, 200, h.text);
  await sync();
  await clockAt(node, t4);
  const c = await (await as(node, 'lanhdao')).post(path(r.id, 'close'), {});
  assert.equal(c.status, 200, c.text);
  await sync();
  const want = { route: workSecs(node.data, t1, t2), answer: workSecs(node.data, t2, t3), close: workSecs(node.data, t3, t4) };
  for (const n of [node, hub]) {
    const g = (await (await as(n, 'lanhdao')).get(path(r.id))).json;
    assert.deepEqual(Object.fromEntries(g.times.map((s) => [s.stage, s.working_secs])), want, `${n === hub ? 'hub' : 'node'}: each stage in working time`);
    assert.ok(g.times.every((s) => !s.running));
    assert.equal(g.rounds[0].working_secs, want.answer);
    assert.equal(g.rounds[0].due_at.slice(0, 16).replace('T', ' '), due, 'the commune shows the hub\'s due');
  }
  return { id: r.id, want };
}

test('the time each stage took counts working time only: across a weekend', async () => {
  // Filed Friday afternoon, routed Monday morning, answered Tuesday, closed
  // the Monday after: Saturdays and Sundays are not counted.
  const fri = '2026-03-06';
  assert.ok(off(node.data, 2026).has(addDays(fri, 1)) && off(node.data, 2026).has(addDays(fri, 2)), 'a weekend follows');
  const { want } = await timed([`${fri} 16:00`, `${addDays(fri, 3)} 08:00`, `${addDays(fri, 4)} 10:30`, `${addDays(fri, 10)} 15:00`]);
  assert.ok(want.route > 0 && want.route < 3 * 3600, 'Friday 16:00 to Monday 08:00 is two working hours, not days');
  const board = (await (await as(hub, 'giamsat')).get('/api/v1/recommendations/board')).json;
  assert.ok(board.totals.answered_rounds >= 1);
});

test('the time each stage took counts working time only: across Tết', async () => {
  const tet = motcua(['calendar', 'solar', '--lunar-year', '2027', '--lunar-month', '1', '--lunar-day', '1']).trim();
  const offs = off(node.data, 2027);
  let before_ = addDays(tet, -8);
  while (offs.has(before_)) before_ = addDays(before_, -1);
  let after_ = addDays(tet, 8);
  while (offs.has(after_)) after_ = addDays(after_, 1);
  const { want } = await timed([`${before_} 10:00`, `${after_} 09:30`, `${addDays(after_, 1)} 14:00`, `${addDays(after_, 1)} 16:45`]);
  const calendarDays = (ms(`${after_} 09:30`) - ms(`${before_} 10:00`)) / 864e5;
  assert.ok(want.route / 28800 < calendarDays - 5, 'the Tết holiday is not counted');
  await clockAt(node, CLOCK);
  await clockAt(hub, CLOCK);
});

// ---- bad input ----

test('bad input is refused with a 4xx and changes nothing', async () => {
  const lead = await as(node, 'lanhdao');
  const hLead = await as(hub, 'lanhdao');
  const good = { topic: 'Chủ đề', content: 'Nội dung', concerns: 'SXD' };
  const r = await file(lead, { topic: 'Để thử thao tác sai' });
  const before_ = state(node);
  const cases = [
    [{ ...good, concerns: 'NOPE' }, 400, 'unit.unknown', 'an unknown department'],
    [{ ...good, concerns: 'VP' }, 400, 'unit.unknown', 'one of the commune\'s own offices'],
    [{ ...good, concerns: '' }, 400, 'recommendation.incomplete', 'no department'],
    [{ ...good, topic: '' }, 400, 'text.required', 'an empty topic'],
    [{ ...good, topic: 'x'.repeat(301) }, 400, 'text.too_long', 'a topic too long'],
    [{ ...good, topic: 'a\u0007b' }, 400, 'text.control_char', 'a control character'],
    [{ ...good, content: 'a\u202Eb' }, 400, 'text.format_char', 'a direction override'],
    [{ ...good, topic: 5 }, 400, 'request.bad_field', 'a number for text'],
    [{ ...good, attachments: 'abc' }, 400, 'request.bad_field', 'attachments not an array'],
    [{ ...good, attachments: ['0'.repeat(64)] }, 400, 'attachment.unknown', 'an attachment never uploaded'],
    [{ ...good, extra: 1 }, 400, 'request.unknown_field', 'an unknown field'],
    [{ topic: 'x', content: 'y' }, 400, 'request.bad_field', 'concerns missing'],
  ];
  for (const [b, st, code, what] of cases) expectError(await lead.post('/api/v1/recommendations', b), st, code, what);
  expectError(await lead.post('/api/v1/recommendations', '{"topic": "x",'), 400, 'request.malformed_json', 'malformed JSON');
  expectError(await lead.post('/api/v1/recommendations', '[1,2]'), 400, 'request.malformed_json', 'not an object');
  expectError(await lead.post('/api/v1/recommendations', Buffer.concat([Buffer.from('{"topic":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","content":"x","concerns":"SXD"}')])), 400, 'request.malformed_json', 'invalid UTF-8');
  expectError(await lead.post('/api/v1/recommendations', JSON.stringify({ ...good, content: 'x'.repeat(1 << 20) })), 413, 'request.too_large', 'a huge body');
  expectError(await lead.post('/api/v1/recommendations', 'topic=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'request.media_type', 'not JSON');
  // Steps: only the step's own fields, the right types.
  expectError(await lead.post(path(r.id, 'withdraw'), { reason: 'x', department: 'SXD' }), 400, 'request.unknown_field', 'a field the step does not take');
  expectError(await lead.post(path(r.id, 'withdraw'), { reason: 7 }), 400, 'request.bad_field', 'a number for a reason');
  expectError(await lead.post(path(r.id, 'withdraw'), { reason: 'x'.repeat(2001) }), 400, 'text.too_long', 'a reason too long');
  expectError(await lead.post(path(r.id, 'withdraw'), '{"reason":'), 400, 'request.malformed_json', 'a malformed step');
  // SQL in the path and the filters finds nothing and breaks nothing.
  expectError(await lead.get(path(`${AGENCY}/KN-2026-0001' OR '1'='1`)), 404, 'recommendation.not_found', 'SQL in the id');
  expectError(await lead.get("/api/v1/recommendations?state=filed'%20OR%201=1--"), 400, 'recommendation.bad_field', 'SQL in the state');
  const q = await lead.get(`/api/v1/recommendations?q=${encodeURIComponent("'; DROP TABLE recommendation; --")}`);
  assert.equal(q.status, 200);
  assert.equal(q.json.total, 0);
  expectError(await lead.get('/api/v1/recommendations?from=2026-02-30'), 400, 'recommendation.bad_field', 'a date that does not exist');
  expectError(await lead.get('/api/v1/recommendations?limit=0'), 400, null, 'limit 0');
  assert.equal(state(node), before_, 'nothing changed on the node');
  // Settings: the hub's administrator only, whole days 1..90.
  const hubBefore = state(hub);
  expectError(await (await as(node, 'quantri')).req('PUT', '/api/v1/recommendations/settings', { answer_days: 20 }), 403, 'recommendation.wrong_side', 'a commune sets the due');
  expectError(await hLead.req('PUT', '/api/v1/recommendations/settings', { answer_days: 20 }), 403, 'auth.role', 'a leader sets the due');
  const hAdm = await as(hub, 'quantri');
  for (const b of [{ answer_days: 0 }, { answer_days: 91 }, { answer_days: '20' }, { answer_days: 20, x: 1 }]) {
    const res = await hAdm.req('PUT', '/api/v1/recommendations/settings', b);
    assert.equal(res.status, 400, JSON.stringify(b));
  }
  assert.equal(state(hub), hubBefore);
  const s = await hAdm.req('PUT', '/api/v1/recommendations/settings', { answer_days: 20 });
  assert.equal(s.status, 200, s.text);
  assert.equal((await hLead.get('/api/v1/recommendations/settings')).json.answer_days, 20);
  assert.equal((await hAdm.req('PUT', '/api/v1/recommendations/settings', { answer_days: 15 })).status, 200);
  // A text that looks like SQL is only text.
  const odd = await file(lead, { topic: "x'); DROP TABLE recommendation; --", content: 'SELECT * FROM user' });
  assert.equal((await lead.get(path(odd.id))).json.topic, "x'); DROP TABLE recommendation; --");
  assert.ok(count(node) >= 3);
});

test('the lists filter; the board counts by department and commune and flags overdue answers', async () => {
  const lead = await as(node, 'lanhdao');
  const hLead = await as(hub, 'lanhdao');
  const r = await file(lead, { topic: 'Quá hạn trả lời', field: 'Đất đai', concerns: 'SNNMT' });
  await sync();
  assert.equal((await hLead.post(path(r.id, 'route'), { department: 'SNNMT' })).status, 200);
  const due = (await hLead.get(path(r.id))).json.due_at;
  const late = new Date(Date.parse(due) + 7 * 3600e3 + 864e5).toISOString().slice(0, 16).replace('T', ' ');
  await clockAt(hub, late);
  const sup = await as(hub, 'giamsat');
  const b = (await sup.get('/api/v1/recommendations/board')).json;
  assert.ok(b.totals.overdue >= 1);
  assert.ok(b.overdue.some((x) => x.id === r.id && x.overdue));
  const d = b.departments.find((x) => x.code === 'SNNMT');
  assert.equal(d.name, 'Sở Nông nghiệp và Môi trường');
  assert.ok(d.overdue >= 1 && d.open >= d.overdue);
  assert.ok(b.matrix.some((m) => m.department === 'SNNMT' && m.agency === AGENCY && m.overdue >= 1));
  const cm = b.communes.find((x) => x.agency === AGENCY);
  assert.equal(cm.name, 'Xã Kiến Nghị');
  assert.equal(b.totals.all, b.totals.filed + b.totals.routed + b.totals.answered + b.totals.closed + b.totals.withdrawn);
  const only = (await sup.get('/api/v1/recommendations?overdue=true')).json;
  assert.ok(only.items.length >= 1 && only.items.every((x) => x.overdue));
  assert.equal((await sup.get(`/api/v1/recommendations?field=${encodeURIComponent('Đất đai')}`)).json.items[0].id, r.id);
  assert.ok((await sup.get('/api/v1/recommendations?q=qua%20han')).json.items.some((x) => x.id === r.id), 'words without diacritics');
  assert.equal((await sup.get('/api/v1/recommendations?agency=000.00.00.H00')).json.total, 0);
  assert.equal((await sup.get('/api/v1/recommendations?state=closed&department=SNNMT')).json.total, 0);
  assert.equal((await sup.get('/api/v1/recommendations?from=2030-01-01')).json.total, 0);
  expectError(await (await as(hub, 'tiepnhan')).get('/api/v1/recommendations/board'), 403, 'auth.role', 'reception reads the board');
  await clockAt(hub, CLOCK);
  // The commune's list: its own, newest first.
  const mine = (await lead.get('/api/v1/recommendations?limit=2')).json;
  assert.equal(mine.items.length, 2);
  assert.ok(mine.total >= 5);
  assert.ok(mine.items.every((x) => x.agency === AGENCY && !('content' in x)));
});
