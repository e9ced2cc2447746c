// reports.test.mjs - issue 13: Biểu II.06a and the Decision 766 indicators
// over HTTP. Hand-made edge cases, each with the cells written out here,
// checked dossier by dossier through the lists behind the numbers; the
// totals of several periods checked against an independent count from the
// event log (report-count.mjs); the .xlsx read back with openpyxl and
// compared with the JSON; the CSV; roles and bad input.
//
// The demo commune is made at 2026-06-30 (its dossiers fill April to
// June); the edge cases are played with the CLI, each step at its own
// clock, in September to November 2026; the server then answers at
// 2026-11-20 10:00.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, startServer, stopServer, login, client, eventCount, newDossier, applicant } from './harness.mjs';
import { readEvents, lives, countII06a, period } from './report-count.mjs';

const NOW = '2026-11-20 10:00';
const NOW_ISO = '2026-11-20T10:00:00+07:00';
const OTHER = '000.32.45.H45'; // Xã Dũng Tiến, a neighbour the demo knows
const PROC = '1.000253'; // 7 calendar days: due 17:00 on the 7th day (next working day if off)
let node;
const codes = {};

function cli(clock, args) {
  return execFileSync(BIN, [...args, '--dir', node.data], {
    encoding: 'utf8', env: { ...process.env, MOTCUA_TEST_NOW: clock },
  });
}
function receive(clock, channel = 'direct', pending = false) {
  const out = cli(clock, ['dossier', 'receive', '--procedure', PROC, '--channel', channel,
    '--name', 'Nguyễn Văn Báo Cáo', '--id-number', '025090001234', '--phone', '0912345678',
    '--as', 'quantri', '--json', ...(pending ? ['--pending'] : [])]);
  return JSON.parse(out).code;
}
function act(code, clock, action, extra = []) {
  cli(clock, ['dossier', 'act', code, action, '--as', 'quantri', '--comment', 'thử báo cáo', ...extra]);
}
const assign = (code, clock) => act(code, clock, 'assign', ['--to', 'chuyenvien']);
function resolve(code, clock) {
  act(code, clock, 'submit_approval');
  act(code, clock, 'approve');
}

// The edge cases: name -> [how it is played, its cells in October 2026].
const CASES = {
  carried_early: [() => { const c = receive('2026-09-28 09:00'); assign(c, '2026-09-28 10:00'); resolve(c, '2026-10-02 10:00'); return c; }, ['carried', 'early']],
  carried_overdue: [() => { const c = receive('2026-09-29 09:00'); assign(c, '2026-09-29 10:00'); return c; }, ['carried', 'overdue']],
  carried_paused_at_start_on_time: [() => {
    const c = receive('2026-09-28 09:05'); assign(c, '2026-09-28 10:00');
    act(c, '2026-09-30 09:00', 'request_supplement'); act(c, '2026-10-02 09:00', 'supplement_received');
    resolve(c, '2026-10-07 09:00'); return c;
  }, ['carried', 'on_time']],
  before_period_ended: [() => { const c = receive('2026-09-21 09:00'); assign(c, '2026-09-21 10:00'); resolve(c, '2026-09-25 10:00'); return c; }, []],
  after_period: [() => receive('2026-11-02 09:00'), []],
  on_due_date: [() => { const c = receive('2026-10-05 09:00'); assign(c, '2026-10-05 10:00'); resolve(c, '2026-10-12 16:59'); return c; }, ['new_direct', 'on_time']],
  minute_after_midnight: [() => { const c = receive('2026-10-05 09:10'); assign(c, '2026-10-05 10:00'); resolve(c, '2026-10-13 00:01'); return c; }, ['new_direct', 'late']],
  supplement_twice: [() => {
    const c = receive('2026-10-06 08:00'); assign(c, '2026-10-06 09:00');
    act(c, '2026-10-06 10:00', 'request_supplement'); act(c, '2026-10-07 10:00', 'supplement_received');
    act(c, '2026-10-07 11:00', 'request_supplement'); act(c, '2026-10-08 08:00', 'supplement_received');
    resolve(c, '2026-10-08 10:00'); return c;
  }, ['new_direct', 'late']],
  supplement_once_on_time: [() => {
    const c = receive('2026-10-19 09:00'); assign(c, '2026-10-19 10:00');
    act(c, '2026-10-20 09:00', 'request_supplement'); act(c, '2026-10-21 09:00', 'supplement_received');
    resolve(c, '2026-10-27 10:00'); return c;
  }, ['new_direct', 'on_time']],
  apology_judged_on_original: [() => {
    const c = receive('2026-10-05 09:20'); assign(c, '2026-10-05 10:00');
    act(c, '2026-10-09 09:00', 'apology', ['--new-due', '2026-10-16 17:00']);
    resolve(c, '2026-10-14 10:00'); return c;
  }, ['new_direct', 'late']],
  withdrawn: [() => { const c = receive('2026-10-07 09:00'); act(c, '2026-10-08 09:00', 'withdraw'); return c; }, ['new_direct', 'early']],
  refused_at_desk: [() => { const c = receive('2026-10-07 09:30', 'direct', true); act(c, '2026-10-07 09:40', 'refuse'); return c; }, []],
  refused_after_check: [() => { const c = receive('2026-10-14 09:00'); act(c, '2026-10-14 10:00', 'refuse'); return c; }, []],
  transferred_mid_period: [() => { const c = receive('2026-10-08 09:00'); act(c, '2026-10-09 09:00', 'transfer', ['--agency', OTHER]); return c; }, []],
  paused_across_end_in_time: [() => {
    const c = receive('2026-10-26 09:00'); assign(c, '2026-10-26 10:00');
    act(c, '2026-10-28 09:00', 'request_supplement'); act(c, '2026-11-03 09:00', 'supplement_received');
    return c;
  }, ['new_direct', 'in_time']],
  paused_across_end_overdue: [() => {
    const c = receive('2026-10-19 09:10'); assign(c, '2026-10-19 10:00');
    // the wait ends long after: due_legal today lies after the period's end,
    // but at the end the dossier was waiting and already overdue
    act(c, '2026-10-29 09:00', 'request_supplement'); act(c, '2026-11-10 09:00', 'supplement_received');
    return c;
  }, ['new_direct', 'overdue']],
  paused_after_end_overdue: [() => {
    const c = receive('2026-10-19 09:20'); assign(c, '2026-10-19 10:00');
    // a wait begun after the period moves due_legal past its end today
    act(c, '2026-11-02 09:00', 'request_supplement'); act(c, '2026-11-12 09:00', 'supplement_received');
    return c;
  }, ['new_direct', 'overdue']],
  online_pending_in_time: [() => { const c = receive('2026-10-29 09:00', 'online'); assign(c, '2026-10-29 10:00'); return c; }, ['new_online', 'in_time']],
  postal_pending_overdue: [() => { const c = receive('2026-10-20 09:00', 'postal'); assign(c, '2026-10-20 10:00'); return c; }, ['new_direct', 'overdue']],
  stopped_late: [() => { const c = receive('2026-10-13 09:00'); assign(c, '2026-10-13 10:00'); act(c, '2026-10-22 09:00', 'stop'); return c; }, ['new_direct', 'late']],
  returned_early: [() => {
    const c = receive('2026-10-12 09:00'); assign(c, '2026-10-12 10:00'); resolve(c, '2026-10-14 10:00');
    act(c, '2026-10-15 09:00', 'return'); return c;
  }, ['new_direct', 'early']],
  ended_at_end_instant: [() => { const c = receive('2026-10-26 09:30'); assign(c, '2026-10-26 10:00'); resolve(c, '2026-11-01 00:00'); return c; }, ['new_direct', 'in_time']],
  online_resolved_early: [() => { const c = receive('2026-10-01 09:00', 'online'); assign(c, '2026-10-01 10:00'); resolve(c, '2026-10-02 09:00'); return c; }, ['new_online', 'early']],
};

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-reports-'));
  const data = join(dir, 'node');
  execFileSync(BIN, ['init', '--dir', data, '--demo'], { env: { ...process.env, MOTCUA_TEST_NOW: '2026-06-30 10:00' } });
  node = { dir, data, env: { MOTCUA_TEST_NOW: NOW }, proc: null };
  // Played in time order, whatever the order above: a step never runs
  // before an earlier-clocked step of another case (the log is in order).
  for (const [name, [play]] of Object.entries(CASES)) codes[name] = play();
  await startServer(node);
});
after(async () => {
  if (node) { await stopServer(node); if (process.env.REPORTS_KEEP) console.log('# kept ' + node.dir); else rmSync(node.dir, { recursive: true, force: true }); }
});

const enc = encodeURIComponent;
const COLS = ['received', 'carried', 'new_online', 'new_direct', 'resolved', 'early', 'on_time', 'late', 'pending', 'in_time', 'overdue'];
const LEAF = ['carried', 'new_online', 'new_direct', 'early', 'on_time', 'late', 'in_time', 'overdue'];

function ok(res, what) {
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

test('every edge case falls in exactly the cells written out for it (October 2026)', async () => {
  const c = await login(node, 'lanhdao');
  const q = 'from=2026-10-01&to=2026-10-31';
  const inCol = {};
  for (const col of LEAF) {
    const r = ok(await c.get(`/api/v1/reports/ii06a/dossiers?${q}&col=${col}`), col);
    assert.equal(r.truncated, false);
    inCol[col] = new Set(r.items.map((i) => i.code));
    assert.equal(r.total, r.items.length);
  }
  for (const [name, [, want]] of Object.entries(CASES)) {
    const got = LEAF.filter((col) => inCol[col].has(codes[name]));
    assert.deepEqual(got.sort(), [...want].sort(), `${name} (${codes[name]})`);
  }
  assert.ok(Object.keys(CASES).length >= 20);
});

test('II.06a totals equal the count from the event log, for several periods and groupings', async () => {
  const c = await login(node, 'lanhdao');
  const all = lives(readEvents(node.data));
  const self = '000.31.45.H45';
  const periods = [['2026-10-01', '2026-10-31'], ['2026-09-01', '2026-09-30'], ['2026-11-01', '2026-11-30'],
    ['2026-04-01', '2026-06-30'], ['2026-01-01', '2026-12-31'], ['2026-06-15', '2026-07-15']];
  for (const [from, to] of periods) {
    const want = countII06a(all, self, ...period(from, to, NOW_ISO));
    for (const by of ['field', 'procedure', 'officer', 'channel']) {
      const r = ok(await c.get(`/api/v1/reports/ii06a?from=${from}&to=${to}&by=${by}`), `${from} ${by}`);
      assert.deepEqual(r.total, want, `${from}..${to} by ${by}`);
      // the rows add up to the total, column by column
      for (const k of COLS) assert.equal(r.rows.reduce((s, row) => s + row.values[k], 0), r.total[k], `${from} ${by} ${k}`);
      // each row's cells hold exactly that row's dossiers
      if (by === 'channel' && r.rows.length) {
        const row = r.rows[0];
        const d = ok(await c.get(`/api/v1/reports/ii06a/dossiers?from=${from}&to=${to}&by=${by}&row=${enc(row.key)}&col=received`), 'row');
        assert.equal(d.total, row.values.received);
        for (const it of d.items) assert.equal(it.channel, row.key);
      }
    }
    assert.equal(want.received, want.resolved + want.pending, `${from}: received = resolved + pending`);
  }
  // The demo's months are not empty, so the comparison above compared something.
  const q2 = countII06a(all, self, ...period('2026-04-01', '2026-06-30', NOW_ISO));
  assert.ok(q2.received > 100 && q2.resolved > 50, JSON.stringify(q2));
});

test('the Decision 766 scorecard: formulas from one table, numbers from the dossiers behind them', async () => {
  const c = await login(node, 'lanhdao');
  const q = 'from=2026-10-01&to=2026-10-31';
  const r = ok(await c.get(`/api/v1/reports/766?${q}`), '766');
  const ii = ok(await c.get(`/api/v1/reports/ii06a?${q}`), 'ii06a');
  const by = Object.fromEntries(r.indicators.map((i) => [i.id, i]));
  for (const id of ['1.4', '2.1', '3.3', '3.6', '4.1', '4.2', '4.3', '5.4']) assert.ok(by[id], id);
  // 2.1 is early or on time of resolved: the II.06a columns
  assert.equal(by['2.1'].denominator, ii.total.resolved);
  assert.equal(by['2.1'].numerator, ii.total.early + ii.total.on_time);
  assert.ok(Math.abs(by['2.1'].points - 20 * by['2.1'].numerator / by['2.1'].denominator) < 1e-9);
  // 3.3: online share of new receptions; full points from 50 %
  assert.equal(by['3.3'].denominator, ii.total.new_online + ii.total.new_direct);
  assert.equal(by['3.3'].numerator, ii.total.new_online);
  const want33 = Math.min(1, (by['3.3'].numerator / by['3.3'].denominator) / 0.5) * by['3.3'].points_max;
  assert.ok(Math.abs(by['3.3'].points - want33) < 1e-9);
  // no sync hub: nothing synced
  assert.equal(by['1.4'].numerator, 0);
  // every number opens its dossiers
  for (const ind of r.indicators) {
    for (const part of ['numerator', 'denominator']) {
      const d = ok(await c.get(`/api/v1/reports/766/dossiers?${q}&col=${ind.id}&part=${part}`), `${ind.id} ${part}`);
      assert.equal(d.total, ind[part], `${ind.id} ${part}`);
    }
    assert.ok(ind.source.includes('766'));
  }
  // groups add up, total is the sum of the points
  const sum = r.indicators.reduce((s, i) => s + i.points, 0);
  assert.ok(Math.abs(r.total.points - sum) < 1e-9);
  assert.equal(r.groups.length, 5);
  assert.equal(r.groups.reduce((s, g) => s + g.points_max, 0), 100);
});

test('the trend: twelve months, each the II.06a of its month', async () => {
  const c = await login(node, 'lanhdao');
  const r = ok(await c.get('/api/v1/reports/trend?from=2026-11-01&to=2026-11-30'), 'trend');
  assert.equal(r.months.length, 12);
  assert.equal(r.months[11].month, 'T11/2026');
  assert.equal(r.months[0].month, 'T12/2025');
  const oct = r.months.find((m) => m.month === 'T10/2026');
  const ii = ok(await c.get('/api/v1/reports/ii06a?from=2026-10-01&to=2026-10-31'), 'ii');
  for (const k of COLS) assert.equal(oct[k], ii.total[k], k);
});

test('who may read reports, and bad parameters', async () => {
  const anon = client(node);
  assert.equal((await anon.get('/api/v1/reports/ii06a')).status, 401);
  assert.equal((await anon.get('/api/v1/reports/ii06a.xlsx')).status, 401);
  for (const who of ['tiepnhan', 'chuyenvien']) {
    const c = await login(node, who);
    assert.equal((await c.get('/api/v1/reports/ii06a')).status, 403, who);
    assert.equal((await c.get('/api/v1/reports/766/dossiers?col=2.1&part=numerator')).status, 403, who);
  }
  for (const who of ['lanhdao', 'quantri', 'giamsat']) {
    const c = await login(node, who);
    assert.equal((await c.get('/api/v1/reports/ii06a')).status, 200, who);
  }
  const c = await login(node, 'lanhdao');
  const before = eventCount(node);
  const bad = [
    ['/api/v1/reports/ii06a?from=2026-13-01', 400, 'report.bad_param'],
    ['/api/v1/reports/ii06a?from=2026-10-31&to=2026-10-01', 400, 'report.bad_param'],
    ['/api/v1/reports/ii06a?from=2025-01-01&to=2026-12-31', 400, 'report.bad_param'],
    ['/api/v1/reports/ii06a?by=color', 400, 'report.bad_param'],
    ['/api/v1/reports/766?by=field', 400, 'report.bad_param'],
    ['/api/v1/reports/ii06a?agency=000.32.45.H45', 400, 'report.bad_param'],
    ["/api/v1/reports/ii06a?from=2026-10-01'%20OR%201=1--", 400, 'report.bad_param'],
    ['/api/v1/reports/ii06a?from=%C3%28', 400, null],
    ['/api/v1/reports/ii06a/dossiers?col=nope', 400, 'report.bad_param'],
    ['/api/v1/reports/766/dossiers?col=2.1&part=half', 400, 'report.bad_param'],
    ['/api/v1/reports/trend/dossiers?col=received', 400, 'report.bad_param'],
    ['/api/v1/reports/salaries', 404, null],
    ['/api/v1/reports/..%2F..%2Fetc%2Fpasswd', 404, null],
  ];
  for (const [path, status, code] of bad) {
    const r = await c.req('GET', path);
    assert.equal(r.status, status, `${path}: ${r.text.slice(0, 200)}`);
    if (code) assert.equal(r.json.error.code, code, path);
    assert.ok(r.json && r.json.error && r.json.error.message, path);
  }
  // reports write nothing
  assert.equal(eventCount(node), before);
  // a body on a GET is refused
  const r = await c.req('GET', '/api/v1/reports/ii06a', undefined, { headers: {} });
  assert.equal(r.status, 200);
});

// ---- exports ----
async function fetchBytes(c, path) {
  const r = await fetch(node.base + path, { headers: { Cookie: c.cookie } });
  return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), bytes: Buffer.from(await r.arrayBuffer()) };
}
function readXlsx(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-xlsx-'));
  try {
    const f = join(dir, 'r.xlsx');
    writeFileSync(f, bytes);
    const root = new URL('../..', import.meta.url).pathname;
    return JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'tests/tools/xlsx_read.py'), f], { encoding: 'utf8' }));
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
const colName = (i) => String.fromCharCode(65 + i); // A.. (fewer than 26 columns here)
// The sheet row whose column B is label.
const rowOf = (sheet, label) => {
  for (const [ref, v] of Object.entries(sheet.cells)) if (ref.startsWith('B') && /^B\d+$/.test(ref) && v === label) return Number(ref.slice(1));
  return 0;
};

test('II.06a as .xlsx: read back with openpyxl, every cell equals the JSON, totals are SUM formulas', async () => {
  const c = await login(node, 'lanhdao');
  for (const by of ['field', 'officer']) {
    const q = `from=2026-04-01&to=2026-10-31&by=${by}`;
    const json = ok(await c.get(`/api/v1/reports/ii06a?${q}`), 'json');
    const f = await fetchBytes(c, `/api/v1/reports/ii06a.xlsx?${q}`);
    assert.equal(f.status, 200);
    assert.match(f.type, /spreadsheetml/);
    assert.match(f.disposition, /attachment; filename="bao-cao-ii06a\.xlsx"/);
    const book = readXlsx(f.bytes);
    const s = book.sheets[0];
    assert.equal(s.name, 'II.06a');
    // the official heading, merged as the template lays it
    assert.equal(s.cells.A6, 'STT');
    assert.equal(s.cells.C6, 'Số hồ sơ nhận giải quyết');
    assert.equal(s.cells.G6, 'Số hồ sơ đã giải quyết');
    assert.equal(s.cells.K6, 'Số hồ sơ đang giải quyết');
    for (const m of ['A6:A8', 'B6:B8', 'C6:F6', 'G6:J6', 'K6:M6', 'C7:C8', 'D7:D8', 'E7:F7']) assert.ok(s.merged.includes(m), `${m} merged: ${s.merged}`);
    assert.ok(json.rows.length >= 2, 'rows to compare');
    let first = 0, last = 0;
    for (const row of json.rows) {
      const r = rowOf(s, row.label);
      assert.ok(r > 0, `row ${row.label} in the sheet`);
      first = first || r;
      last = r;
      COLS.forEach((k, i) => assert.strictEqual(s.cells[`${colName(i + 2)}${r}`], row.values[k], `${row.label} ${k}`));
    }
    const t = rowOf(s, 'Tổng cộng');
    assert.equal(t, last + 1);
    COLS.forEach((k, i) => {
      const ref = `${colName(i + 2)}${t}`;
      assert.strictEqual(s.cells[ref], json.total[k], `total ${k}`);
      assert.equal(s.formulas[ref], `=SUM(${colName(i + 2)}${first}:${colName(i + 2)}${last})`);
    });
  }
});

test('the 766 scorecard as .xlsx and II.06a as CSV (UTF-8 with a BOM, numbers as the JSON)', async () => {
  const c = await login(node, 'lanhdao');
  const q = 'from=2026-10-01&to=2026-10-31';
  const json = ok(await c.get(`/api/v1/reports/766?${q}`), '766');
  const s = readXlsx((await fetchBytes(c, `/api/v1/reports/766.xlsx?${q}`)).bytes).sheets[0];
  for (const ind of json.indicators) {
    const r = rowOf(s, `${ind.id}. ${ind.name}`);
    assert.ok(r > 0, ind.id);
    assert.strictEqual(s.cells[`E${r}`], ind.numerator, `${ind.id} numerator`);
    assert.strictEqual(s.cells[`F${r}`], ind.denominator, `${ind.id} denominator`);
    assert.ok(Math.abs(s.cells[`H${r}`] - ind.points) < 1e-9, `${ind.id} points`);
  }
  const ii = ok(await c.get(`/api/v1/reports/ii06a?${q}&by=channel`), 'ii06a');
  const f = await fetchBytes(c, `/api/v1/reports/ii06a.csv?${q}&by=channel`);
  assert.equal(f.status, 200);
  assert.match(f.type, /^text\/csv/);
  assert.deepEqual([...f.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = f.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
  assert.equal(lines.length, ii.rows.length + 2);
  assert.match(lines[0], /^STT,Kênh tiếp nhận,Số hồ sơ nhận giải quyết - Tổng số,/);
  ii.rows.forEach((row, i) => {
    const cells = lines[i + 1].split(',');
    assert.equal(cells[1], row.label);
    assert.deepEqual(cells.slice(2).map(Number), COLS.map((k) => row.values[k]));
  });
  assert.deepEqual(lines.at(-1).split(',').slice(2).map(Number), COLS.map((k) => ii.total[k]));
  // an export is refused like the JSON
  assert.equal((await fetchBytes(client(node), `/api/v1/reports/766.xlsx?${q}`)).status, 401);
  const rec = await login(node, 'tiepnhan');
  assert.equal((await fetchBytes(rec, `/api/v1/reports/ii06a.csv?${q}`)).status, 403);
  assert.equal((await fetchBytes(c, '/api/v1/reports/ii06a.csv?from=bad')).status, 400);
});

test('charts come as SVG the node drew: no script, no style attribute', async () => {
  const c = await login(node, 'lanhdao');
  for (const [name, keys] of [['ii06a', ['resolved']], ['766', ['groups']], ['trend', ['timeliness', 'flow', 'share']]]) {
    const r = ok(await c.get(`/api/v1/reports/${name}?from=2026-10-01&to=2026-10-31`), name);
    assert.deepEqual(r.charts.map((x) => x.key), keys, name);
    for (const ch of r.charts) {
      assert.match(ch.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.doesNotMatch(ch.svg, /<script|style=|<foreignObject|href="http/);
      assert.ok(ch.svg.includes(ch.title.replace(/&/g, '&amp;')), `${name} ${ch.key} title`);
    }
  }
});

test('a report reads a snapshot: receptions go on while reports of a year run', async () => {
  const boss = await login(node, 'lanhdao');
  const desk = await login(node, 'tiepnhan');
  const q = 'from=2026-01-01&to=2026-12-31';
  const before = ok(await boss.get(`/api/v1/reports/ii06a?${q}`), 'before').total.received;
  const jobs = [];
  for (let i = 0; i < 8; i++) {
    jobs.push(boss.get(`/api/v1/reports/ii06a?${q}&by=procedure`));
    jobs.push(boss.get(`/api/v1/reports/766?${q}`));
    jobs.push(desk.post('/api/v1/dossiers', newDossier({ applicant: applicant(`Người Nộp ${i}`) })));
  }
  const res = await Promise.all(jobs);
  for (const [i, r] of res.entries()) assert.equal(r.status, i % 3 === 2 ? 201 : 200, r.text.slice(0, 200));
  // each report saw a whole state: its rows add up to its total
  for (const r of res.filter((x, i) => i % 3 === 0)) {
    for (const k of COLS) assert.equal(r.json.rows.reduce((s, row) => s + row.values[k], 0), r.json.total[k]);
  }
  const after = ok(await boss.get(`/api/v1/reports/ii06a?${q}`), 'after').total.received;
  assert.equal(after, before + 8);
});

test('766 facts held beside the dossier (scans, the result file, fees, a rating) move exactly the indicators they should', async () => {
  const { png } = await import('./scans.mjs');
  const desk = await login(node, 'tiepnhan');
  const spec = await login(node, 'chuyenvien');
  const boss = await login(node, 'lanhdao');
  const q = 'from=2026-11-01&to=2026-11-30';
  const ind = async () => Object.fromEntries(ok(await boss.get(`/api/v1/reports/766?${q}`), '766').indicators.map((i) => [i.id, i]));
  const D = '/api/v1/dossiers';
  const create = async (components) => { const r = await desk.post(D, newDossier({ components, applicant: { ...applicant('Người Chấm Điểm'), phone: '0912345678' } })); assert.equal(r.status, 201, r.text); return r.json.code; };
  async function upload(c, code, component, kind = 'scan', seed = 1) {
    const bytes = png(200, 150, seed);
    const u = await c.post(`${D}/${enc(code)}/uploads`, { component, kind, filename: `f${seed}.png`, size: bytes.length });
    assert.equal(u.status, 201, u.text);
    const r = await c.req('PUT', `/api/v1/uploads/${u.json.id}?offset=0`, new Uint8Array(bytes), { headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(r.status, 201, r.text);
  }
  const act = async (c, code, body) => { const r = await c.post(`${D}/${enc(code)}/actions`, body); assert.equal(r.status, 200, r.text); };
  const fee = async (code, body) => { const r = await desk.post(`${D}/${enc(code)}/fees`, body); assert.equal(r.status, 201, r.text); };
  const before = await ind();

  const one = [{ name: 'Tờ khai', originals: 1, copies: 0 }];
  const two = [{ name: 'Tờ khai', originals: 1, copies: 0 }, { name: 'Giấy tờ tuỳ thân', originals: 0, copies: 1 }];
  const d1 = await create(one); await upload(desk, d1, 0, 'scan', 11); // every component scanned
  const d2 = await create(two); await upload(desk, d2, 0, 'scan', 12); // one of two
  const d3 = await create([]); await fee(d3, { amount: 50000, method: 'online', receipt_no: 'TT-0001' });
  const d4 = await create([]); await fee(d4, { amount: 30000, method: 'cash', receipt_no: 'BL-0009' });
  const d5 = await create([]);
  await act(desk, d5, { action: 'assign', to: 'chuyenvien' });
  await act(spec, d5, { action: 'submit_approval' });
  await act(boss, d5, { action: 'approve' });
  await upload(boss, d5, -1, 'result', 15);
  const rated = await client(node).post('/api/v1/public/ratings', { code: d5, phone: '5678', level: 1, comment: 'Chưa hài lòng' });
  assert.equal(rated.status, 201, rated.text);

  const after = await ind();
  const delta = (id, part) => after[id][part] - before[id][part];
  // 4.2: five new paper dossiers, one with every component scanned
  assert.equal(delta('4.2', 'denominator'), 5);
  assert.equal(delta('4.2', 'numerator'), 1);
  // 3.6: two with a fee, one paid online
  assert.equal(delta('3.6', 'denominator'), 2);
  assert.equal(delta('3.6', 'numerator'), 1);
  // 4.1: one resolved with a result, held as a file
  assert.equal(delta('4.1', 'denominator'), 1);
  assert.equal(delta('4.1', 'numerator'), 1);
  // 2.1 counts it as resolved in time; 5.4 not, its citizen is not satisfied
  assert.equal(delta('2.1', 'numerator'), 1);
  assert.equal(delta('5.4', 'denominator'), 1);
  assert.equal(delta('5.4', 'numerator'), 0);
  // 4.3: nothing reused; 1.4: no hub
  assert.equal(delta('4.3', 'numerator'), 0);
  assert.equal(delta('1.4', 'numerator'), 0);
  // and the lists behind them name exactly those dossiers
  const list = async (id, part) => new Set(ok(await boss.get(`/api/v1/reports/766/dossiers?${q}&col=${id}&part=${part}`), id).items.map((i) => i.code));
  assert.ok((await list('4.2', 'numerator')).has(d1));
  assert.ok(!(await list('4.2', 'numerator')).has(d2));
  assert.ok((await list('3.6', 'numerator')).has(d3));
  assert.ok(!(await list('3.6', 'numerator')).has(d4));
  assert.ok((await list('4.1', 'numerator')).has(d5));
  assert.ok(!(await list('5.4', 'numerator')).has(d5));
});
