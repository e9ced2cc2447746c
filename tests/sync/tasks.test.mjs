// tasks.test.mjs - province tasks through sync (docs/tasks.md, docs/sync.md
// §7): a hub and three commune nodes, each behind the fault-injecting
// proxy (delays, random cuts, the link down), all serving and syncing by
// themselves. A task the hub makes for two communes reaches exactly those
// two (never the third); their delegation, progress and report reach the
// hub's record of each commune's assignment; the hub's return and accept
// reach each commune; a cancellation that crosses a commune's report ends
// cancelled on both sides, the report kept in the hub's history; a
// commune's shared task shows on the hub, an unshared one does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, freePort, login } from '../api/harness.mjs';
import { makeHub, sql, expectError } from '../api/sync-helpers.mjs';
import { FP, sleep, startServer, stopServer, proxy, ctl, cli } from './world.mjs';


let root, hub;
const nodes = {};
const as = {}; // as[place][login]: signed-in clients
const AGENCY = { a: '000.31.01.H45', b: '000.32.01.H45', c: '000.33.01.H45' };

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-tasks-'));
  hub = makeHub(root, 'hub');
  hub.env = { MOTCUA_NOTIFY_SWEEP: '0' }; // reminders are tests/api/tasks's
  await startServer(hub);
  for (const k of ['a', 'b', 'c']) {
    const n = { dir: root, data: join(root, k), env: { MOTCUA_NOTIFY_SWEEP: '0' }, agency: AGENCY[k] };
    motcua(['init', '--demo', '--agency', AGENCY[k], '--name', `Xã ${k.toUpperCase()}`, '--dir', n.data]);
    n.px = await proxy(hub.port);
    const r = cli(n.data, ['enrol', '--hub', `http://${n.px.listen}`]);
    assert.equal(r.status, 0, r.stderr);
    n.key = sql(n, "select value from setting where key = 'public_key'");
    assert.equal(cli(hub.data, ['hub', 'approve', n.key]).status, 0);
    nodes[k] = n;
  }
  for (const k of ['a', 'b', 'c']) await startServer(nodes[k]);
  as.hub = { lanhdao: await login(hub, 'lanhdao'), giamsat: await login(hub, 'giamsat'), chuyenvien: await login(hub, 'chuyenvien') };
  for (const k of ['a', 'b', 'c']) {
    as[k] = {};
    for (const l of ['lanhdao', 'chuyenvien', 'quantri']) as[k][l] = await login(nodes[k], l);
  }
});

after(async () => {
  for (const n of Object.values(nodes)) { await stopServer(n, 'SIGKILL'); n.px.proc.kill('SIGTERM'); }
  await stopServer(hub);
  if (!process.env.SYNC_KEEP) rmSync(root, { recursive: true, force: true });
  else console.log(`# kept ${root}`);
});

// Asks each node in ks for a round now (through its own server) until
// check() is true; fails after timeout ms with what it saw last.
async function until(ks, check, what, timeout = 120000) {
  const t0 = Date.now();
  let last;
  for (;;) {
    for (const k of ks) {
      const r = await as[k].quantri.post('/api/v1/sync/now');
      assert.equal(r.status, 202, r.text);
    }
    await sleep(700);
    try {
      last = await check();
      if (last === true) return;
    } catch (e) { last = e.message; }
    if (Date.now() - t0 > timeout) {
      const st = ks.map((k) => `${k}: ${cli(nodes[k].data, ['sync', 'status']).stdout}`).join('\n');
      assert.fail(`${what}: not so after ${timeout} ms (last: ${JSON.stringify(last)})\n${st}`);
    }
  }
}

const tpath = (id) => `/api/v1/tasks/${id}`;
async function on(k, who, id) {
  const r = await as[k][who].get(tpath(id));
  return r.status === 200 ? r.json : null;
}
async function act(k, who, id, action, body = {}, status = 200) {
  const r = await as[k][who].post(`${tpath(id)}/${action}`, body);
  assert.equal(r.status, status, `${k}/${who} ${action}: ${r.text.slice(0, 300)}`);
  return r.json;
}
const assignment = (t, k) => t.assignments.find((x) => x.agency === AGENCY[k]);

let T1;

test('the hub checks a province task before anything goes out', async () => {
  const base = {
    title: 'Đẩy nhanh giải ngân vốn đầu tư công', source: { kind: 'meeting', ref: 'Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 10/3/2026' },
    deadline: { time: 5, unit: 'working_days' },
  };
  const n = sql(hub, 'select count(*) from hub_outbox');
  expectError(await as.hub.lanhdao.post('/api/v1/tasks', { ...base, communes: ['000.99.99.H45'] }), 400, 'task.unknown_commune', 'unknown commune');
  expectError(await as.hub.lanhdao.post('/api/v1/tasks', { ...base, communes: [] }), 400, 'request.bad_field', 'no commune');
  expectError(await as.hub.lanhdao.post('/api/v1/tasks', { ...base, communes: [AGENCY.a], unit: 'SNV' }), 400, 'task.bad_field', 'a unit with communes');
  expectError(await as.hub.chuyenvien.post('/api/v1/tasks', { ...base, communes: [AGENCY.a] }), 403, 'auth.role', 'a specialist');
  assert.equal(sql(hub, 'select count(*) from hub_outbox'), n, 'nothing published');
});

test('a task for two communes reaches exactly those two, through delays and random cuts', { timeout: 300000 }, async () => {
  ctl(nodes.a.px, 'delay', 'both', '200');
  // B's answers are cut after 1500 bytes: the task's item never gets
  // through whole until the cut is lifted (then random cuts).
  ctl(nodes.b.px, 'cut', 's2c', '1500', 'fin');
  const t = await as.hub.lanhdao.post('/api/v1/tasks', {
    title: 'Đẩy nhanh giải ngân vốn đầu tư công năm 2026',
    content: 'Các xã rà soát dự án chậm giải ngân, báo cáo tiến độ hằng tuần.',
    source: { kind: 'meeting', ref: 'Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 10/3/2026', date: '2026-03-10' },
    deadline: { time: 10, unit: 'working_days' }, communes: [AGENCY.b, AGENCY.a, AGENCY.a],
  });
  assert.equal(t.status, 201, t.text);
  T1 = t.json.id;
  assert.match(T1, /^000\.00\.00\.H45\/T-\d{4}-0001$/);
  assert.deepEqual(t.json.communes, [AGENCY.a, AGENCY.b]);
  assert.deepEqual(t.json.assignments.map((x) => [x.agency, x.state, x.delivered_at]), [[AGENCY.a, 'assigned', null], [AGENCY.b, 'assigned', null]]);
  assert.deepEqual(t.json.actions, [], 'the communes do the work');
  await until(['a', 'b', 'c'], async () => ((await on('a', 'lanhdao', T1)) !== null ? true : 'not on A'), 'the task on A');
  assert.equal(await on('b', 'lanhdao', T1), null, 'B\'s answers are cut');
  const cuts = Number(ctl(nodes.b.px, 'status').match(/cuts=(\d+)/)[1]);
  assert.ok(cuts > 0, 'the proxy cut B\'s answers');
  ctl(nodes.b.px, 'cut', 'off');
  ctl(nodes.b.px, 'random', 's2c', '7', '40', '3000');
  await until(['a', 'b', 'c'], async () => ((await on('b', 'lanhdao', T1)) !== null ? true : 'not on B'), 'the task on B');
  const a = await on('a', 'lanhdao', T1);
  assert.equal(a.origin, 'hub');
  assert.equal(a.agency, AGENCY.a);
  assert.equal(a.assigner, '000.00.00.H45');
  assert.equal(a.due_at, t.json.due_at, 'the province\'s deadline');
  assert.equal(a.unit, '', 'not delegated yet');
  assert.deepEqual(a.actions, ['start', 'progress', 'report_done', 'delegate'], 'the commune\'s leader: no review');
  // C synced as often and never got it.
  assert.equal(await on('c', 'lanhdao', T1), null);
  assert.equal(sql(nodes.c, 'select count(*) from task'), '0');
  assert.equal(sql(nodes.c, "select count(*) from sync_item where stream = 'tasks'"), '0');
  assert.equal(sql(hub, "select group_concat(agency) from (select agency from hub_outbox where stream = 'tasks' order by agency)"), `${AGENCY.a},${AGENCY.b}`);
  // The event that applied it, in each commune's own log, by "hub".
  assert.equal(sql(nodes.a, "select actor || ' ' || kind from event where kind like 'task.%'"), 'hub task.assigned');
  // The hub learns each node took it.
  await until(['a', 'b'], async () => {
    const h = (await as.hub.giamsat.get(tpath(T1))).json;
    return h.assignments.every((x) => x.delivered_at) ? true : h.assignments.map((x) => x.delivered_at);
  }, 'delivered on the hub');
  console.log(`# B's proxy: ${ctl(nodes.b.px, 'status').trim()}`);
  ctl(nodes.a.px, 'pass');
  ctl(nodes.b.px, 'pass');
});

test('the communes\' delegation, progress and report reach the hub; its return and accept reach them', { timeout: 300000 }, async () => {
  ctl(nodes.a.px, 'delay', 'both', '150');
  ctl(nodes.b.px, 'random', 'c2s', '11', '30', '2500');
  const d = await act('a', 'lanhdao', T1, 'delegate', { unit: 'KT', officer: 'chuyenvien' });
  assert.equal(d.unit, 'KT');
  await act('a', 'chuyenvien', T1, 'start');
  await act('a', 'chuyenvien', T1, 'progress', { percent: 50, text: 'Đã rà soát 6/12 dự án' });
  await act('b', 'lanhdao', T1, 'report_done', { text: 'Đã giải ngân 100% kế hoạch vốn' });
  await until(['a', 'b'], async () => {
    const h = (await as.hub.giamsat.get(tpath(T1))).json;
    const [x, y] = [assignment(h, 'a'), assignment(h, 'b')];
    return x.state === 'in_progress' && x.percent === 50 && x.officer === 'chuyenvien' && y.state === 'reported_done'
      ? true : [x.state, x.percent, x.officer, y.state];
  }, 'progress on the hub');
  let h = (await as.hub.lanhdao.get(tpath(T1))).json;
  assert.equal(h.state, 'in_progress', 'the aggregate');
  assert.deepEqual(assignment(h, 'b').actions, ['accept', 'return', 'cancel']);
  assert.deepEqual(assignment(h, 'a').actions, ['cancel']);
  const ha = h.history.filter((x) => x.commune === AGENCY.a).map((x) => [x.action, x.percent, x.text]);
  assert.deepEqual(ha, [['received', null, ''], ['delegate', null, ''], ['start', null, ''], ['progress', 50, 'Đã rà soát 6/12 dự án']]);
  // The hub's review: a return for B (it goes down with its reason).
  const wrong = await as.hub.lanhdao.post(`${tpath(T1)}/accept`, { commune: AGENCY.a });
  expectError(wrong, 409, 'task.wrong_state', 'accept A before its report');
  expectError(await as.hub.lanhdao.post(`${tpath(T1)}/return`, { reason: 'x' }), 400, 'task.incomplete', 'return names a commune');
  expectError(await as.hub.lanhdao.post(`${tpath(T1)}/progress`, { percent: 5 }), 403, 'task.wrong_side', 'the hub reports no progress');
  expectError(await as.hub.chuyenvien.post(`${tpath(T1)}/accept`, { commune: AGENCY.b }), 403, 'task.wrong_side', 'a hub specialist reviews');
  h = (await as.hub.lanhdao.post(`${tpath(T1)}/return`, { commune: AGENCY.b, reason: 'Bổ sung biên bản nghiệm thu' })).json;
  assert.equal(assignment(h, 'b').state, 'returned');
  assert.equal(assignment(h, 'a').state, 'in_progress', 'A untouched');
  await until(['b'], async () => {
    const b = await on('b', 'lanhdao', T1);
    return b.state === 'returned' && b.reason === 'Bổ sung biên bản nghiệm thu' ? true : [b.state, b.reason];
  }, 'the return on B');
  const a = await on('a', 'lanhdao', T1);
  assert.equal(a.state, 'in_progress', 'the return went to B only');
  // Both report; the hub accepts each.
  await act('b', 'lanhdao', T1, 'report_done', { text: 'Đã bổ sung biên bản' });
  await act('a', 'chuyenvien', T1, 'report_done', { text: 'Hoàn thành' });
  await until(['a', 'b'], async () => {
    const x = (await as.hub.giamsat.get(tpath(T1))).json;
    return x.assignments.every((y) => y.state === 'reported_done') ? true : x.assignments.map((y) => y.state);
  }, 'both reported on the hub');
  await as.hub.lanhdao.post(`${tpath(T1)}/accept`, { commune: AGENCY.a, text: 'Đạt' });
  h = (await as.hub.lanhdao.post(`${tpath(T1)}/accept`, { commune: AGENCY.b })).json;
  assert.equal(h.state, 'accepted', 'every commune accepted');
  await until(['a', 'b'], async () => {
    const [x, y] = [await on('a', 'lanhdao', T1), await on('b', 'lanhdao', T1)];
    return x.state === 'accepted' && y.state === 'accepted' ? true : [x.state, y.state];
  }, 'accepted on A and B');
  const hb = (await on('b', 'lanhdao', T1)).history.map((x) => x.action);
  assert.deepEqual(hb, ['assign', 'report_done', 'return', 'report_done', 'accept']);
  // The review events pushed back are kept, changing nothing.
  await until(['a', 'b'], async () => sql(hub, "select count(*) from hub_event where kind = 'task.reviewed'") === '3' || sql(hub, "select count(*) from hub_event where kind = 'task.reviewed'"), 'reviews pushed back');
  assert.equal(sql(hub, "select count(*) from hub_event where kind like 'task.%' and verdict not in ('applied', 'stored')"), '0');
  console.log(`# B's proxy: ${ctl(nodes.b.px, 'status').trim()}`);
  ctl(nodes.a.px, 'pass');
  ctl(nodes.b.px, 'pass');
});

test('a cancellation that crosses a commune\'s report: cancelled on both sides, the report kept', { timeout: 300000 }, async () => {
  const t = (await as.hub.lanhdao.post('/api/v1/tasks', {
    title: 'Chuẩn bị bầu cử đại biểu HĐND các cấp nhiệm kỳ 2026-2031', source: { kind: 'document', ref: 'Kế hoạch 45/KH-UBND' },
    deadline: { time: 3, unit: 'working_days' }, communes: [AGENCY.a, AGENCY.b],
  })).json;
  await until(['a', 'b'], async () => ((await on('a', 'lanhdao', t.id)) && (await on('b', 'lanhdao', t.id)) ? true : 'not yet'), 'T2 on A and B');
  ctl(nodes.a.px, 'down');
  await act('a', 'lanhdao', t.id, 'report_done', { text: 'Đã hoàn thành trước khi nhận lệnh huỷ' });
  const h = (await as.hub.lanhdao.post(`${tpath(t.id)}/cancel`, { reason: 'Điều chỉnh kế hoạch' })).json;
  assert.equal(h.state, 'cancelled');
  assert.deepEqual(h.assignments.map((x) => x.state), ['cancelled', 'cancelled']);
  ctl(nodes.a.px, 'up');
  await until(['a', 'b'], async () => {
    const [x, y] = [await on('a', 'lanhdao', t.id), await on('b', 'lanhdao', t.id)];
    const late = sql(hub, `select count(*) from task_log where task = '${t.id}' and note = 'after_final'`);
    return x.state === 'cancelled' && y.state === 'cancelled' && late === '1' ? true : [x.state, y.state, late];
  }, 'cancelled on both, the report kept on the hub');
  const hub2 = (await as.hub.giamsat.get(tpath(t.id))).json;
  assert.equal(assignment(hub2, 'a').state, 'cancelled', 'the final state stands');
  const late = hub2.history.find((x) => x.note === 'after_final');
  assert.deepEqual([late.commune, late.action, late.text], [AGENCY.a, 'report_done', 'Đã hoàn thành trước khi nhận lệnh huỷ']);
  const a = await on('a', 'lanhdao', t.id);
  assert.deepEqual(a.history.map((x) => x.action), ['assign', 'report_done', 'cancel']);
  assert.equal(a.reason, 'Điều chỉnh kế hoạch');
  assert.equal(sql(hub, "select count(*) from hub_event where verdict = 'rejected' and kind like 'task.%'"), '0', 'nothing rejected');
});

test('a commune\'s shared task shows on the hub, an unshared one does not; the board by commune', { timeout: 300000 }, async () => {
  const mk = async (shared, title) => {
    const r = await as.c.lanhdao.post('/api/v1/tasks', {
      title, source: { kind: 'person', ref: 'Chủ tịch UBND xã' }, unit: 'VP', deadline: { time: 2, unit: 'working_days' }, shared,
    });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const shared = await mk(true, 'Kiểm tra công tác phòng cháy chữa cháy');
  const own = await mk(false, 'Dọn dẹp kho lưu trữ');
  assert.match(shared, /^000\.33\.01\.H45\/T-/);
  await act('c', 'lanhdao', shared, 'progress', { percent: 20, text: 'Đã lập đoàn kiểm tra' });
  await until(['c'], async () => {
    const l = (await as.hub.giamsat.get(`/api/v1/tasks?view=all&commune=${AGENCY.c}`)).json;
    const s = l.items.find((x) => x.id === shared);
    return s && s.percent === 20 ? true : l.items.map((x) => x.id);
  }, 'the shared task on the hub');
  const l = (await as.hub.giamsat.get(`/api/v1/tasks?view=all&commune=${AGENCY.c}`)).json;
  assert.deepEqual(l.items.map((x) => x.id), [shared]);
  assert.equal(l.items[0].held_here, false);
  assert.equal(l.items[0].origin, 'commune');
  expectError(await as.hub.lanhdao.post(`${tpath(shared)}/cancel`, { reason: 'x' }), 409, 'task.not_here', 'the hub acts on a commune\'s task');
  assert.equal(sql(hub, `select count(*) from task where id = '${own}'`), '0', 'the unshared one stays on its node');
  assert.equal(sql(hub, `select count(*) from hub_event where kind = 'task.assigned' and verdict = 'stored' and agency = '${AGENCY.c}'`), '1', 'its event is stored, without state');
  const aList = (await as.hub.giamsat.get(`/api/v1/tasks?view=all&commune=${AGENCY.a}`)).json;
  assert.deepEqual(aList.items.map((x) => x.assignment.state).sort(), ['accepted', 'cancelled']);
  const board = (await as.hub.giamsat.get('/api/v1/tasks/board')).json;
  const ba = board.by_commune.find((x) => x.agency === AGENCY.a);
  assert.deepEqual([ba.total, ba.done_on_time + ba.done_late, ba.cancelled], [2, 1, 1]);
  // Every chain the hub holds checks, and equals the node's log.
  await until(['a', 'b', 'c'], async () => {
    const diff = [];
    for (const k of ['a', 'b', 'c']) {
      const n = nodes[k];
      const mine = sql(n, "select count(*) || ' ' || max(seq) || ' ' || (select hash from event order by seq desc limit 1) from event");
      const held = sql(hub, `select count(*) || ' ' || max(seq) || ' ' || (select hash from hub_event where agency = '${n.agency}' order by seq desc limit 1) from hub_event where agency = '${n.agency}'`);
      if (held !== mine) diff.push([k, mine, held]);
    }
    return diff.length ? diff : true;
  }, 'the hub holds each node\'s whole log');
  assert.equal(cli(hub.data, ['check']).status, 0);
});
