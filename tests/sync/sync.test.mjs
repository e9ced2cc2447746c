// sync.test.mjs - a provincial hub and three commune nodes on loopback, a
// fault-injecting proxy between each node and the hub (refused connections,
// link down, cuts mid-request and mid-response, delay, throttling), and
// SIGKILL of the hub and of nodes at random moments, while receptions and
// steps run on every node (docs/sync.md §10). At the end, with the links
// good again: the hub holds exactly every node's events (same seqs and
// hashes, nothing more), no event acknowledged or written on a node was
// lost, and `motcua check` passes everywhere.
//
// The seed is printed; SYNC_SEED=N replays a schedule. SYNC_SOAK_SECONDS
// sets the fault phase (default 25; make soak runs 600).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, freePort } from '../api/harness.mjs';

const FP = process.env.FAULTPROXY;
const SEED = Number(process.env.SYNC_SEED || Date.now() % 100000);
const SOAK = Number(process.env.SYNC_SOAK_SECONDS || 25);
const HUB_AGENCY = '000.00.00.H45';

// A small seeded generator (mulberry32): the schedule replays from SEED.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const pick = (a) => a[Math.floor(rand() * a.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cli(dir, args, opts = {}) {
  // A CLI call never blocks the harness for good: 60 s, then SIGKILL.
  const r = spawnSync(BIN, [...args, '--dir', dir], { encoding: 'utf8', timeout: 60000, killSignal: 'SIGKILL', ...opts });
  if (r.error) throw new Error(`motcua ${args.join(' ')}: ${r.error.message}`);
  return r;
}
function cliOk(dir, args, opts) {
  const r = cli(dir, args, opts);
  if (r.status !== 0) throw new Error(`motcua ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
function sql(dir, q) {
  return execFileSync('sqlite3', [join(dir, 'motcua.db'), q], { encoding: 'utf8', timeout: 30000 }).trim();
}

async function serve(p) {
  // The server's log goes to a file: a pipe would fill while a spawnSync
  // call blocks this process, and the server would stop on its next write.
  const logfd = openSync(join(p.dir, 'serve.log'), 'a');
  p.proc = spawn(BIN, ['serve', '--dir', p.dir, '--listen', `127.0.0.1:${p.port}`], {
    stdio: ['ignore', 'ignore', logfd],
  });
  closeSync(logfd);
  Object.defineProperty(p, 'log', { configurable: true, get: () => { try { return readFileSync(join(p.dir, 'serve.log'), 'utf8').slice(-20000); } catch { return ''; } } });
  for (let i = 0; i < 400; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${p.port}/healthz`, { headers: { Connection: 'close' } });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch { /* not up yet */ }
    await sleep(25);
  }
  throw new Error(`server ${p.dir} did not start: ${p.log}`);
}
async function kill(p, sig = 'SIGKILL') {
  if (!p.proc || p.proc.exitCode !== null || p.proc.signalCode) return;
  const done = new Promise((r) => p.proc.once('exit', r));
  p.proc.kill(sig);
  await done;
}

async function proxy(targetPort) {
  const proc = spawn(FP, ['--target', `127.0.0.1:${targetPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/listen (\S+) control (\S+)/);
      if (m) resolve(m);
    });
    proc.once('exit', () => reject(new Error('faultproxy exited')));
  });
  return { proc, listen: line[1], control: line[2] };
}
function ctl(px, ...cmd) {
  const r = spawnSync(FP, ['ctl', px.control, ...cmd], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error(`faultproxy ${cmd.join(' ')}: ${r.stdout}${r.stderr}`);
}

// The node's own log: "seq|hash" lines.
const nodeChain = (n) => sql(n.dir, 'select seq, hash from event order by seq');
function hubChain(hub, n) {
  return cliOk(hub.dir, ['hub', 'dump', n.agency, '1'])
    .trim().split('\n').filter(Boolean)
    .map((l) => JSON.parse(l)).map(([s, h]) => `${s}|${h}`).join('\n');
}
function status(n) {
  return JSON.parse(cliOk(n.dir, ['sync', 'status', '--json']));
}

// Random work on a node: a reception, or a step on a dossier it received.
let toFirst = 0; // transfers to 000.31, possible once the agency list came down
function work(n) {
  if (n.codes.length === 0 || rand() < 0.5) {
    const r = cli(n.dir, ['dossier', 'receive', '--as', 'tiepnhan', '--procedure', '1.000253',
      '--channel', 'direct', '--name', `Nguyễn Văn ${Math.floor(rand() * 1000)}`,
      '--id-number', '025090001234', '--phone', '0912345678', '--json']);
    if (r.status === 0) n.codes.push(JSON.parse(r.stdout).code);
    return;
  }
  const code = pick(n.codes);
  if (rand() < 0.15) {
    // A transfer to another commune's node, delivered through the hub
    // (docs/sync.md §7.3). Every demo node knows 000.32 and 000.33; 000.31
    // once the hub's agency list reached it (refused locally before).
    const to = pick(['000.31.45.H45', '000.32.45.H45', '000.33.45.H45'].filter((a) => a !== n.agency));
    const r = cli(n.dir, ['dossier', 'act', code, 'transfer', '--agency', to, '--as', 'tiepnhan']);
    if (r.status === 0) { n.transfers++; n.codes = n.codes.filter((c) => c !== code); if (to === '000.31.45.H45') toFirst++; }
    return;
  }
  const step = pick([['accept'], ['assign', '--to', 'chuyenvien']]);
  cli(n.dir, ['dossier', 'act', code, ...step, '--as', 'tiepnhan']); // may be refused by state: fine
}

// Every dossier the hub gives to one of these communes is that commune's
// node's to write, and no other node's; every transfer to one of them was
// delivered there (a dossier.transfer_in event), once.
function checkOwners(hub, nodes) {
  const mine = new Map(nodes.map((n) => [n.agency, n]));
  const owners = sql(hub.dir, 'select code, agency from hub_dossier order by code').split('\n').filter(Boolean)
    .map((l) => l.split('|'));
  let moved = 0;
  for (const n of nodes) {
    n.own = new Set(sql(n.dir, `select code from dossier where agency = '${n.agency}'`).split('\n').filter(Boolean));
  }
  for (const [code, owner] of owners) {
    const holders = nodes.filter((n) => n.own.has(code)).map((n) => n.agency);
    if (mine.has(owner)) assert.deepEqual(holders, [owner], `${code}: one owner, ${owner}`);
    else assert.deepEqual(holders, [], `${code}: owned by ${owner}, by none of the nodes`);
  }
  const sent = sql(hub.dir, "select dossier, count(*) from hub_event where kind = 'dossier.transfer' and verdict = 'applied' group by dossier")
    .split('\n').filter(Boolean).map((l) => l.split('|'));
  for (const [code] of sent) {
    const owner = owners.find(([c]) => c === code)?.[1];
    if (!mine.has(owner)) continue;
    const ins = Number(sql(mine.get(owner).dir, `select count(*) from event where kind = 'dossier.transfer_in' and dossier = '${code}'`));
    assert.ok(ins >= 1, `${code}: delivered to ${owner}`);
    moved++;
  }
  const delivered = Number(sql(hub.dir, "select count(*) from hub_outbox where stream = 'transfers'"));
  for (const n of nodes) {
    const items = sql(n.dir, "select hash from sync_item where stream = 'transfers'").split('\n').filter(Boolean);
    assert.equal(new Set(items).size, items.length, `${n.agency}: each transfer applied once`);
  }
  return { moved, delivered };
}

test(`sync under faults and SIGKILL (seed ${SEED}, ${SOAK} s)`, { timeout: (SOAK + 240) * 1000 }, async () => {
  assert.ok(FP, 'FAULTPROXY is set by tests/sh/sync.sh');
  const root = mkdtempSync(join(tmpdir(), 'motcua-sync-'));
  const hub = { dir: join(root, 'hub'), port: await freePort() };
  const nodes = [];
  try {
    cliOk(hub.dir, ['init', '--hub', '--agency', HUB_AGENCY, '--name', 'Tỉnh Phú Thọ']);
    cliOk(hub.dir, ['user', 'add', 'portal', '--role', 'reception', '--name', 'Cổng dịch vụ công tỉnh'], { input: 'portal-pass-123\n' });
    const portal = cliOk(hub.dir, ['token', 'create', 'portal']).trim();
    await serve(hub);
    for (let i = 1; i <= 3; i++) {
      const n = { dir: join(root, `node${i}`), port: await freePort(), agency: `000.3${i}.45.H45`, codes: [], seen: [], transfers: 0 };
      nodes.push(n); // before anything can throw: the finally block stops its processes
      cliOk(n.dir, ['init', '--demo', '--agency', n.agency, '--name', `Xã Thử ${i}`]);
      n.px = await proxy(hub.port);
      const out = cliOk(n.dir, ['enrol', '--hub', `http://${n.px.listen}`]);
      assert.match(out, /pending/);
      // Not approved yet: the node's push is refused, nothing stored.
      const first = cli(n.dir, ['sync', 'now']);
      assert.notEqual(first.status, 0, 'a push before approval is refused');
      assert.match(first.stderr, /duyệt|approved/);
      const key = sql(n.dir, "select value from setting where key = 'public_key'");
      cliOk(hub.dir, ['hub', 'approve', key]);
      await serve(n);
    }
    console.log(`# seed ${SEED}`);
    // The fault phase.
    const end = Date.now() + SOAK * 1000;
    const faults = [
      (px) => ctl(px, 'pass'),
      (px) => ctl(px, 'down', 'drop'),
      (px) => ctl(px, 'refuse', 'rst'),
      (px) => ctl(px, 'cut', 'c2s', String(200 + Math.floor(rand() * 20000))),
      (px) => ctl(px, 'cut', 's2c', String(50 + Math.floor(rand() * 600))),
      (px) => ctl(px, 'delay', 'both', String(50 + Math.floor(rand() * 400))),
      (px) => ctl(px, 'throttle', 'c2s', '6250'),
      (px) => ctl(px, 'random', pick(['c2s', 's2c']), String(Math.floor(rand() * 1e6)), '30', '4000'),
    ];
    let kills = 0;
    // Online submissions through the hub (the province's portal): each is
    // sent until the hub acknowledges it, with the same Idempotency-Key.
    const subs = [];
    let nsub = 0;
    const submit = async (sub) => {
      try {
        const r = await fetch(`http://127.0.0.1:${hub.port}/api/v1/hub/submissions`, {
          method: 'POST', signal: AbortSignal.timeout(10000),
          headers: { Authorization: `Bearer ${portal}`, 'Content-Type': 'application/json', 'Idempotency-Key': sub.key, Connection: 'close' },
          body: JSON.stringify({ agency: sub.agency, procedure: '1.000253', channel: 'online',
            applicant: { name: `Công dân trực tuyến ${sub.key}`, id_number: '025090001234', phone: '0912345678' } }),
        });
        const j = await r.json();
        if (r.status === 201) { assert.ok(!sub.code || sub.code === j.code, 'a retry returns the same code'); sub.code = j.code; }
        else if (r.status < 500) throw new Error(`submission refused: ${r.status} ${JSON.stringify(j)}`);
      } catch (e) { if (/refused:/.test(e.message)) throw e; /* the hub is down: sent again later */ }
    };
    while (Date.now() < end) {
      const n = pick(nodes);
      const r = rand();
      if (r < 0.08) {
        const sub = { key: `sub-${SEED}-${nsub++}`, agency: n.agency, code: null };
        subs.push(sub);
        await submit(sub);
      } else if (r < 0.55) {
        work(n);
      } else if (r < 0.8) {
        ctl(n.px, 'pass');
        pick(faults)(n.px);
      } else if (r < 0.9) {
        // What the node has written must survive its death.
        const last = sql(n.dir, 'select seq || "|" || hash from event order by seq desc limit 1');
        n.seen.push(last);
        await kill(n);
        kills++;
        await serve(n);
      } else if (r < 0.95) {
        await kill(hub);
        kills++;
        await sleep(Math.floor(rand() * 500));
        await serve(hub);
      } else {
        await sleep(Math.floor(rand() * 800));
      }
    }
    // The hub is up: every submission not yet acknowledged is sent again.
    for (const sub of subs) for (let k = 0; k < 20 && !sub.code; k++) { await submit(sub); if (!sub.code) await sleep(250); }
    // Links good again: every node must catch up.
    for (const n of nodes) { ctl(n.px, 'pass'); ctl(n.px, 'accept'); ctl(n.px, 'up'); ctl(n.px, 'cut', 'off'); ctl(n.px, 'random', 'off'); }
    const deadline = Date.now() + 120000;
    let pending = nodes;
    while (pending.length && Date.now() < deadline) {
      await sleep(500);
      pending = nodes.filter((n) => {
        const s = status(n);
        if (s.stopped) throw new Error(`node ${n.agency} stopped: ${JSON.stringify(s.last_error)}`);
        return s.waiting > 0;
      });
    }
    assert.deepEqual(pending.map((n) => n.agency), [], 'every node caught up');
    // Transfers: the receiving nodes pull them in their next rounds and
    // push their transfer_in events back; two rounds each settle it.
    for (let k = 0; k < 2; k++) for (const n of nodes) cliOk(n.dir, ['sync', 'now']);
    let events = 0;
    for (const n of nodes) {
      const mine = nodeChain(n);
      assert.equal(hubChain(hub, n), mine, `the hub holds exactly ${n.agency}'s events`);
      for (const s of n.seen) assert.ok(mine.split('\n').includes(s), `event ${s} written before a kill is still on ${n.agency}`);
      cliOk(n.dir, ['check']);
      events += mine.split('\n').length;
    }
    const check = cliOk(hub.dir, ['check']);
    assert.match(check, /3 node chains/);
    const t = checkOwners(hub, nodes);
    // Every acknowledged submission reached exactly one node, the one chosen,
    // and the hub made each once.
    for (const sub of subs) {
      assert.ok(sub.code, `submission ${sub.key} acknowledged in the end`);
      const holders = nodes.filter((n) => Number(sql(n.dir, `select count(*) from dossier where code = '${sub.code}' and agency = '${n.agency}'`)) === 1);
      assert.deepEqual(holders.map((n) => n.agency), [sub.agency], `${sub.code} reached ${sub.agency} only`);
    }
    assert.equal(Number(sql(hub.dir, "select count(*) from event where kind = 'hub.submission'")), subs.length, 'one submission per key');
    console.log(`# ${events} events from 3 nodes, ${kills} kills, ${nodes.reduce((a, n) => a + n.transfers, 0)} transfers made in the run, ${t.moved} delivered to a node, ${subs.length} online submissions, ${toFirst} transfers to a commune learnt from the hub's agency list`);
  } finally {
    for (const n of nodes) { await kill(n, 'SIGTERM'); n.px?.proc.kill('SIGTERM'); }
    await kill(hub, 'SIGTERM');
    if (!process.env.SYNC_KEEP) rmSync(root, { recursive: true, force: true });
    else console.log(`# kept ${root}`);
  }
});
