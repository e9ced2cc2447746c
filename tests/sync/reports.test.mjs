// reports.test.mjs - issue 13 on the hub: the province's Biểu II.06a and
// Decision 766 tables, commune by commune, equal each commune's own report
// for the same period once its events have reached the hub, and the
// province's total row is their sum. Two demo communes made at a pinned
// clock, a hub on loopback, `motcua sync now` on each node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua, BIN, freePort, login } from '../api/harness.mjs';
import { makeHub, sql } from '../api/sync-helpers.mjs';

const MADE = '2026-06-30 10:00'; // the demo communes' clock: dossiers from April to June
const NOW = '2026-07-15 10:00'; // the reports' clock
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (dir, args, env = {}) => spawnSync(BIN, [...args, '--dir', dir], { encoding: 'utf8', timeout: 120000, env: { ...process.env, ...env } });
let root, hub;
const nodes = [];

// The hub logs to a file: spawnSync blocks this process, and a pipe would fill.
async function startHub(h) {
  h.port = await freePort();
  h.base = `http://127.0.0.1:${h.port}`;
  const fd = openSync(join(h.data, 'serve.log'), 'a');
  h.proc = spawn(BIN, ['serve', '--dir', h.data, '--listen', `127.0.0.1:${h.port}`], { stdio: ['ignore', 'ignore', fd], env: { ...process.env, MOTCUA_TEST_NOW: NOW } });
  closeSync(fd);
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`${h.base}/healthz`, { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await sleep(25);
  }
  throw new Error('hub did not start: ' + readFileSync(join(h.data, 'serve.log'), 'utf8').slice(-4000));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'motcua-sync-reports-'));
  hub = makeHub(root, 'hub');
  await startHub(hub);
  for (const [sub, agency] of [['a', '000.31.01.H45'], ['b', '000.32.01.H45']]) {
    const n = { data: join(root, sub), agency };
    motcua(['init', '--demo', '--agency', agency, '--name', `Xã ${sub.toUpperCase()}`, '--dir', n.data], { env: { ...process.env, MOTCUA_TEST_NOW: MADE } });
    let r = cli(n.data, ['enrol', '--hub', hub.base]);
    assert.equal(r.status, 0, r.stderr);
    const key = cli(n.data, ['node', 'key']).stdout.trim() || readFileSync(join(n.data, 'node.pub'), 'utf8').trim();
    r = cli(hub.data, ['hub', 'approve', key]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    for (let i = 0; i < 20; i++) {
      r = cli(n.data, ['sync', 'now'], { MOTCUA_TEST_NO_FILES: '1' });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      const s = JSON.parse(cli(n.data, ['sync', 'status', '--json']).stdout);
      if (s.waiting === 0) break;
    }
    nodes.push(n);
  }
});
after(async () => {
  if (hub?.proc) { const done = new Promise((r) => hub.proc.once('exit', r)); hub.proc.kill('SIGTERM'); await done; }
  if (root) rmSync(root, { recursive: true, force: true });
});

const report = (dir, args) => {
  const r = cli(dir, ['report', ...args], { MOTCUA_TEST_NOW: NOW });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const PERIODS = [['2026-04-01', '2026-06-30'], ['2026-05-01', '2026-05-31'], ['2026-06-15', '2026-07-15']];

test('the hub\'s II.06a, commune by commune, equals each commune\'s own; the province\'s total is their sum', () => {
  for (const [from, to] of PERIODS) {
    const p = report(hub.data, ['ii06a', '--from', from, '--to', to]);
    assert.equal(p.by, 'commune');
    assert.equal(p.scope.hub, true);
    const sum = {};
    for (const n of nodes) {
      const own = report(n.data, ['ii06a', '--from', from, '--to', to]);
      const row = p.rows.find((r) => r.key === n.agency);
      assert.ok(row, `${n.agency} has a row on the hub`);
      assert.deepEqual(row.values, own.total, `${n.agency} ${from}..${to}`);
    }
    // Other rows are the communes the demo transferred dossiers to: they
    // belong to them now, on the hub as in the sending node's own report.
    for (const r of p.rows) {
      if (nodes.some((n) => n.agency === r.key)) continue;
      const sent = nodes.reduce((k, n) => k + Number(sql(n, `select count(*) from dossier where agency = '${r.key}'`)), 0);
      assert.ok(sent > 0, `${r.key}: a row on the hub, but no node transferred a dossier there`);
    }
    for (const r of p.rows) for (const [k, v] of Object.entries(r.values)) sum[k] = (sum[k] || 0) + v;
    assert.deepEqual(p.total, sum, `province total ${from}..${to}`);
    if (from === '2026-04-01') assert.ok(sum.received > 200, 'the communes\' dossiers were counted');
    // one commune alone
    const one = report(hub.data, ['ii06a', '--from', from, '--to', to, '--agency', nodes[0].agency]);
    assert.equal(one.rows.length, 1);
    assert.deepEqual(one.total, p.rows.find((r) => r.key === nodes[0].agency).values);
  }
});

test('the hub\'s Decision 766 table: each commune\'s numerators and denominators are its own', () => {
  const [from, to] = PERIODS[0];
  const p = report(hub.data, ['766', '--from', from, '--to', to]);
  assert.ok(p.rows.length >= nodes.length);
  for (const n of nodes) {
    const own = report(n.data, ['766', '--from', from, '--to', to]);
    const row = p.rows.find((r) => r.key === n.agency);
    for (const ind of own.indicators) {
      const h = row.values[ind.id];
      assert.equal(h.denominator, ind.denominator, `${n.agency} ${ind.id} denominator`);
      assert.equal(h.numerator, ind.numerator, `${n.agency} ${ind.id} numerator`);
    }
    // every event reached the hub: 1.4 is full on both sides
    const s14 = own.indicators.find((i) => i.id === '1.4');
    assert.equal(s14.numerator, s14.denominator);
    assert.ok(s14.denominator > 0);
  }
  // the province's indicators count all communes' dossiers
  for (const ind of p.indicators) {
    const sum = p.rows.reduce((s, r) => s + r.values[ind.id].denominator, 0);
    assert.equal(ind.denominator, sum, ind.id);
  }
});

test('a supervisor reads the province\'s tables over HTTP; a commune\'s reception cannot', async () => {
  const sup = await login(hub, 'giamsat');
  const r = await sup.get('/api/v1/reports/ii06a?from=2026-04-01&to=2026-06-30');
  assert.equal(r.status, 200, r.text);
  const viaCli = report(hub.data, ['ii06a', '--from', '2026-04-01', '--to', '2026-06-30']);
  assert.deepEqual(r.json.total, viaCli.total);
  const d = await sup.get(`/api/v1/reports/ii06a/dossiers?from=2026-04-01&to=2026-06-30&row=${nodes[1].agency}&col=received`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.total, r.json.rows.find((x) => x.key === nodes[1].agency).values.received);
  assert.ok(d.json.items.every((i) => i.agency === nodes[1].agency));
  const rec = await login(hub, 'tiepnhan');
  assert.equal((await rec.get('/api/v1/reports/ii06a')).status, 403);
});
