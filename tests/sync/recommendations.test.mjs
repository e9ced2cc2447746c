// recommendations.test.mjs - recommendations travel with sync
// (docs/recommendations.md, docs/sync.md §7): a hub and two commune nodes,
// each behind the fault-injecting proxy (tests/tools/faultproxy.h) cutting
// connections at random and delaying every chunk. A recommendation filed on
// node A reaches the hub; routed, rerouted and answered there, the steps
// reach A and nothing reaches B; A closes it and the hub sees it closed.
// However often a round is cut, each step is applied once on each side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, PASSWORD, freePort, login } from '../api/harness.mjs';
import { makeHub, sql } from '../api/sync-helpers.mjs';
import { FP, sleep, startServer, stopServer, proxy, ctl, cli } from './world.mjs';

const A = '000.81.01.H45', B = '000.82.01.H45';
// One round of a node (it may fail: the link is bad on purpose).
const round = (n) => new Promise((resolve) => {
  execFile(BIN, ['sync', 'now', '--dir', n.data], { encoding: 'utf8', timeout: 60000 }, (err, stdout) => resolve({ ok: !err, stdout }));
});
// Rounds of nodes until cond() holds (each round may be cut).
async function until(nodes, cond, what, tries = 80) {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return i;
    for (const n of nodes) await round(n);
  }
  throw new Error(`never: ${what}`);
}

test('a recommendation filed on A reaches the hub, is routed and answered there, comes back to A only, and A\'s close reaches the hub, under cuts and delays', { timeout: 300000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'motcua-sync-recs-'));
  const hub = makeHub(root, 'hub');
  motcua(['user', 'add', 'sxd', '--role', 'specialist', '--name', 'Chuyên viên Sở Xây dựng', '--dir', hub.data], { input: PASSWORD + '\n' });
  const nodes = [];
  try {
    await startServer(hub);
    const hAdm = await login(hub, 'quantri');
    assert.equal((await hAdm.patch('/api/v1/users/sxd', { unit: 'SXD' })).status, 200);
    for (const [sub, agency] of [['a', A], ['b', B]]) {
      const n = { data: join(root, sub), env: {}, agency };
      motcua(['init', '--demo', '--agency', agency, '--name', `Xã ${sub.toUpperCase()}`, '--dir', n.data]);
      n.px = await proxy(hub.port);
      assert.equal(cli(n.data, ['enrol', '--hub', `http://${n.px.listen}`]).status, 0);
      assert.equal(cli(hub.data, ['hub', 'approve', sql(n, "select value from setting where key = 'public_key'")]).status, 0);
      await startServer(n);
      nodes.push(n);
    }
    const [a, b] = nodes;
    // Both nodes catch up with their demo's events first, on a good link.
    await until(nodes, () => nodes.every((n) => /"waiting":0/.test(cli(n.data, ['sync', 'status', '--json']).stdout.replace(/\s/g, ''))), 'the demo events reach the hub');
    const bEvents = sql(b, 'select count(*) from event');

    // The bad link: half of the answers cut somewhere in their first
    // 600 bytes (the hub did the work, the node does not know), every chunk
    // 40 ms late both ways.
    for (const n of nodes) {
      ctl(n.px, 'random', 's2c', String(n === a ? 11 : 12), '50', '600');
      ctl(n.px, 'delay', 'both', '40');
    }
    const lead = await login(a, 'lanhdao');
    const f = await lead.post('/api/v1/recommendations', { topic: 'Đề nghị hướng dẫn thủ tục đất đai', content: 'Nội dung chi tiết của kiến nghị.', field: 'Đất đai', concerns: 'SNNMT' });
    assert.equal(f.status, 201, f.text);
    const id = f.json.id;
    const hLead = await login(hub, 'lanhdao');
    const onHub = async () => (await hLead.get(`/api/v1/recommendations/${id}`)).json;
    await until([a], async () => (await onHub())?.state === 'filed', 'the filing reaches the hub');

    // The province routes it (to the wrong department first) and answers.
    assert.equal((await hLead.post(`/api/v1/recommendations/${id}/route`, { department: 'STP' })).status, 200);
    assert.equal((await hLead.post(`/api/v1/recommendations/${id}/reroute`, { department: 'SXD', reason: 'Đúng thẩm quyền' })).status, 200);
    const sxd = await login(hub, 'sxd');
    const ans = await sxd.post(`/api/v1/recommendations/${id}/answer`, { answer: 'Sở đã ban hành hướng dẫn.', document: '77/SXD-QLXD' });
    assert.equal(ans.status, 200, ans.text);
    const onA = async () => (await lead.get(`/api/v1/recommendations/${id}`)).json;
    await until(nodes, async () => (await onA()).state === 'answered', 'the answer reaches A');
    const got = await onA();
    assert.equal(got.department.code, 'SXD');
    assert.equal(got.answer.text, 'Sở đã ban hành hướng dẫn.');
    assert.equal(got.answer.document, '77/SXD-QLXD');
    assert.equal(got.answer.by.login, 'sxd');

    // A closes it; the hub sees it closed.
    const c = await lead.post(`/api/v1/recommendations/${id}/close`, { comment: 'Đã rõ' });
    assert.equal(c.status, 200, c.text);
    await until([a], async () => (await onHub()).state === 'closed', 'the close reaches the hub');

    const cuts = Number(ctl(a.px, 'status').match(/cuts=(\d+)/)[1]);
    console.log(`# A's link: ${cuts} connections cut`);
    assert.ok(cuts > 0, 'the proxy cut some of A\'s rounds');
    for (const n of nodes) { ctl(n.px, 'random', 'off'); ctl(n.px, 'delay', 'both', '0'); }
    await until(nodes, () => nodes.every((n) => /"waiting":0/.test(cli(n.data, ['sync', 'status', '--json']).stdout.replace(/\s/g, ''))), 'everything acknowledged');
    for (const n of nodes) await round(n);

    // Each step once on each side, however often a round was cut.
    assert.equal(sql(a, `select group_concat(kind, ' ') from (select kind from event where dossier = '${id}' order by seq)`),
      'recommendation.filed recommendation.routed recommendation.routed recommendation.answered recommendation.closed');
    assert.equal(sql(a, "select count(*) from sync_item where stream = 'recommendations'"), '3');
    assert.equal(sql(a, "select count(*) from event where kind = 'sync.item_skipped'"), '0');
    assert.equal(sql(hub, `select group_concat(kind || '=' || verdict, ' ') from (select kind, verdict from hub_event where dossier = '${id}' order by seq)`),
      'recommendation.filed=applied recommendation.routed=stored recommendation.routed=stored recommendation.answered=stored recommendation.closed=applied');
    assert.equal(sql(hub, `select count(*) from recommendation_step where id = '${id}'`), '5');
    assert.equal(sql(a, `select count(*) from recommendation_step where id = '${id}'`), '5');
    const h = await onHub();
    assert.deepEqual(h.timeline.map((s) => s.action), ['file', 'route', 'reroute', 'answer', 'close']);
    // Nothing of it reached B: no item addressed to it, no row, no event.
    assert.equal(sql(hub, `select count(*) from hub_outbox where stream = 'recommendations' and agency <> '${A}'`), '0');
    assert.equal(sql(hub, `select count(*) from hub_outbox where stream = 'recommendations' and agency = '${A}'`), '3');
    assert.equal(sql(b, 'select count(*) from recommendation'), '0');
    assert.equal(sql(b, "select count(*) from event where kind like 'recommendation.%'"), '0');
    assert.equal(sql(b, "select count(*) from sync_item where stream = 'recommendations'"), '0');
    assert.ok(Number(sql(b, 'select count(*) from event')) >= Number(bEvents));
    for (const n of [a, b, hub]) assert.equal(cli(n.data, ['check']).status, 0, `${n.data}: the logs verify`);
  } finally {
    for (const n of nodes) { await stopServer(n, 'SIGKILL'); n.px?.proc.kill('SIGTERM'); }
    await stopServer(hub);
    if (!process.env.SYNC_KEEP) rmSync(root, { recursive: true, force: true });
  }
});
