// frontdoor.mjs - the front door under attack (issue 9), against a fresh
// demo node on loopback. Each figure is printed next to a baseline measured
// in the same run, with their ratio; nothing is asserted (the pass/fail
// checks are tests/api/frontdoor.test.mjs). Source addresses in 127.0.0.0/8
// stand for distinct clients.
// 1. Server memory: VmRSS when idle, then VmHWM after 64 anonymous clients
//    each sent a 16 MiB POST /api/v1/catalog/import (refused 401 from the
//    head; the body is read and thrown away, never kept).
// 2. /healthz latency (p50, p99, max) seen by a prober in its own process:
//    25 probes a second on schedule (open loop: a stalled server is not
//    probed less), each on a new connection as a load balancer's check,
//    from 127.0.9.1-16. Baseline: no attack. Then FRONTDOOR_SLOW (600) slow
//    clients, each sending one header line every 3 s and coming back when
//    refused or cut, from FRONTDOOR_ADDRS (8) addresses 127.0.0.2... (within
//    the per-address cap) and from 20 (enough to fill the server's
//    connection table).
// 3. The same prober while FRONTDOOR_FLOOD (16) signed-in officers fetch
//    GET /api/v1/procedures (the whole catalog, gzip accepted) in a loop,
//    each on its own kept-alive connection.
//   node bench/frontdoor.mjs   MOTCUA names the binary (as in the tests);
//   FRONTDOOR_SECONDS (8) is each prober window. About a minute in all.
// Only node's standard library.
import http from 'node:http';
import net from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SECONDS = Number(process.env.FRONTDOOR_SECONDS || 8);
const SLOW = Number(process.env.FRONTDOOR_SLOW || 600);
const ADDRS = Number(process.env.FRONTDOOR_ADDRS || 8);
const FLOOD = Number(process.env.FRONTDOOR_FLOOD || 16);
const SLOW_GAP_MS = 3000;

// ---- the prober: `node frontdoor.mjs probe PORT SECONDS` prints JSON ----

const RATE = 25; // probes a second
const PROBE_ADDRS = 16; // 127.0.9.1...: its own addresses, under the per-address cap

// One GET /healthz on a new connection: its time in ms, or null on failure.
function probeOnce(port, from = '127.0.0.1', t0 = performance.now()) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, localAddress: from, timeout: 15000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : null));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

// Open loop: a probe is started every 1/RATE s whether or not the earlier
// ones have been answered, so a stalled server is not probed less (no
// coordinated omission); each latency counts from its scheduled start.
async function prober(port, seconds) {
  const pending = [];
  const t0 = performance.now();
  for (let i = 0; i < seconds * RATE; i++) {
    const at = t0 + (i * 1000) / RATE;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(probeOnce(port, `127.0.9.${1 + (i % PROBE_ADDRS)}`, at));
  }
  const all = await Promise.all(pending);
  const ms = all.filter((x) => x !== null);
  process.stdout.write(JSON.stringify({ ms, failed: all.length - ms.length }));
}

if (process.argv[2] === 'probe') {
  await prober(Number(process.argv[3]), Number(process.argv[4]));
  process.exit(0);
}

// ---- the bench ----

const { startNode, stopNode, login } = await import('../tests/api/harness.mjs');

// Runs the prober in its own process, so the attackers' event loop here
// does not delay its clock; resolves to its latencies.
function probe(port, seconds = SECONDS) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), 'probe', String(port), String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      try { resolve(JSON.parse(out)); } catch { reject(new Error(`prober exited ${code}: ${out}`)); }
    });
  });
}

function stats({ ms, failed }) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (f) => (s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))] : NaN);
  return { n: s.length, failed, p50: q(0.5), p99: q(0.99), max: s.length ? s[s.length - 1] : NaN };
}

function status(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}
const openFds = (pid) => readdirSync(`/proc/${pid}/fd`).length;
// CPU ticks (user + system) of each of the server's threads.
function threadTicks(pid) {
  const t = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
      t.set(tid, Number(v[11]) + Number(v[12])); // utime, stime (fields 14, 15)
    } catch { /* gone */ }
  }
  return t;
}
// The busiest threads over a window, in % of one core (ticks are 1/100 s).
function busiest(before, after, secs, n = 2) {
  const d = [...after].map(([tid, v]) => (v - (before.get(tid) || 0)) / secs);
  return d.sort((a, b) => b - a).slice(0, n).map((x) => `${x.toFixed(0)}%`).join(', ');
}

const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const fmt = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const lat = (st) => `p50 ${fmt(st.p50).padStart(6)} ms  p99 ${fmt(st.p99).padStart(6)} ms  max ${fmt(st.max).padStart(6)} ms`;
const row = (what, text, note = '') => console.log(`${what.padEnd(40)} ${text}${note ? '   ' + note : ''}`);
const ratio = (what, a, b, note = '') => row(what, (a / b).toFixed(2).padStart(9), note);
const ratios = (st, base) => row('  ratio to the baseline', `p50 ${fmt(st.p50 / base.p50).padStart(6)}     p99 ${fmt(st.p99 / base.p99).padStart(6)}`);

// 1. One anonymous upload, `mib` MiB announced and sent: its status.
function upload(port, from, mib) {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/api/v1/catalog/import', localAddress: from, agent: false,
      headers: { 'Content-Type': 'application/x-ndjson', 'Content-Length': String(mib << 20) },
    }, (res) => {
      res.resume();
      const done = () => { resolve({ code: res.statusCode, sent: req.socket ? req.socket.bytesWritten : 0 }); req.destroy(); };
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (e) => resolve({ code: e.code || 'error', sent: req.socket ? req.socket.bytesWritten : 0 }));
    let i = 0;
    const pump = () => {
      while (i < mib) {
        i++;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

// 2. A slow client: the request line, then one header line every gap ms;
// when the server cuts or refuses it, it comes back after a pause.
function slowClients(port, n, addrs) {
  const st = { stopped: false, refused: 0, cut: 0, socks: new Set(), timers: new Set() };
  const later = (fn, ms) => { const t = setTimeout(() => { st.timers.delete(t); fn(); }, ms); st.timers.add(t); };
  const one = (from) => {
    if (st.stopped) return;
    const s = net.connect({ host: '127.0.0.1', port, localAddress: from });
    st.socks.add(s);
    let timer = null;
    let since = 0;
    s.on('connect', () => {
      since = performance.now();
      s.write('GET /api/v1/me HTTP/1.1\r\nHost: x\r\n');
      let k = 0;
      timer = setInterval(() => { if (!s.destroyed) s.write(`X-Slow-${k++}: 1\r\n`); }, SLOW_GAP_MS);
    });
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      st.socks.delete(s);
      if (st.stopped) return;
      // Refused at once (the per-address cap), or cut by the head deadline.
      if (!since || performance.now() - since < SLOW_GAP_MS) st.refused++; else st.cut++;
      later(() => one(from), SLOW_GAP_MS * (0.5 + Math.random()));
    });
  };
  // Spread over the first second, so the server's head deadlines do not
  // all fall at once.
  for (let i = 0; i < n; i++) later(() => one(`127.0.0.${2 + (i % addrs)}`), Math.random() * 1000);
  st.stop = () => {
    st.stopped = true;
    for (const t of st.timers) clearTimeout(t);
    for (const s of st.socks) s.destroy();
  };
  return st;
}

// 3. Signed-in officers fetching the whole catalog, one request at a time
// each, on a kept-alive connection; the body is counted, not decoded.
function catalogFlood(port) {
  const st = { stopped: false, done: 0, bad: {}, bytes: 0, agents: [] };
  const fail = (why) => { st.bad[why] = (st.bad[why] || 0) + 1; };
  const loop = async (c) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    st.agents.push(agent);
    while (!st.stopped) {
      await new Promise((resolve) => {
        const req = http.get({
          host: '127.0.0.1', port, path: '/api/v1/procedures', agent,
          headers: { Cookie: c.cookie, 'Accept-Encoding': 'gzip' },
        }, (res) => {
          res.on('data', (d) => { st.bytes += d.length; });
          res.on('end', () => { if (res.statusCode === 200) st.done++; else fail(res.statusCode); resolve(); });
          res.on('error', (e) => { fail(e.code || 'error'); resolve(); });
        });
        req.on('error', (e) => { fail(e.code || 'error'); resolve(); });
      });
    }
  };
  // Officers come one after another (60 ms apart), as browsers would, not
  // in one burst that a single server thread might accept whole.
  st.run = (officers) => { st.loops = officers.map((c, i) => sleep(60 * i).then(() => loop(c))); };
  st.stop = async () => { st.stopped = true; await Promise.all(st.loops); for (const a of st.agents) a.destroy(); };
  return st;
}

const node = await startNode();
const pid = node.proc.pid;
const port = node.port;
try {
  console.log(`== the front door under attack (bench/frontdoor.mjs; /healthz probed ${RATE}/s ` +
    `on new connections, ${SECONDS} s a window) ==`);

  // 1. Memory under anonymous uploads, first (before any sign-in: each
  // argon2id hash takes 64 MiB, which VmHWM would keep).
  for (let i = 0; i < 20; i++) await probeOnce(port);
  await sleep(300);
  const idleRss = status(pid, 'VmRSS');
  const idleHwm = status(pid, 'VmHWM');
  const t0 = performance.now();
  const ups = await Promise.all(Array.from({ length: 64 }, (_, i) => upload(port, `127.0.1.${1 + (i % 8)}`, 16)));
  const upSecs = (performance.now() - t0) / 1000;
  const peak = status(pid, 'VmHWM');
  const others = ups.map((u) => u.code).filter((c) => c !== 401);
  const sentMiB = ups.reduce((a, u) => a + u.sent, 0) / (1 << 20);
  row('server RSS, idle', mb(idleRss).padStart(9), `(VmRSS; VmHWM since start ${mb(idleHwm)})`);
  row('server RSS, 64 x 16 MiB anonymous', mb(peak).padStart(9),
    `(VmHWM; ${64 - others.length}/64 answered 401 in ${upSecs.toFixed(1)} s, ${sentMiB.toFixed(0)} MiB sent` +
    `${others.length ? '; others: ' + others.join(',') : ''})`);
  ratio('  ratio to idle', peak, idleRss, '(aim: bounded; the test asks < 64 MB)');

  // 2. /healthz with no attack, then under slow clients: first from
  // ADDRS addresses (within the per-address cap), then from 20, enough to
  // fill the server's connection table.
  console.log();
  const base = stats(await probe(port));
  row('/healthz, no attack (baseline)', lat(base), `(${base.n} probes${base.failed ? `, ${base.failed} failed` : ''})`);
  for (const addrs of SLOW > 0 ? [...new Set([ADDRS, 20])] : []) {
    const fds0 = openFds(pid);
    const slow = slowClients(port, SLOW, addrs);
    await sleep(2000); // connected and trickling
    let held = 0;
    const fdSampler = setInterval(() => { held = Math.max(held, openFds(pid) - fds0); }, 100);
    const st = stats(await probe(port));
    clearInterval(fdSampler);
    slow.stop();
    row(`/healthz, ${SLOW} slow from ${addrs} addresses`, lat(st),
      `(${st.n} probes${st.failed ? `, ${st.failed} failed` : ''}; server held up to ${held} sockets; ` +
      `${slow.refused} refused, ${slow.cut} cut)`);
    ratios(st, base);
    await sleep(1000); // the server closes them
  }

  // 3. /healthz during the catalog flood.
  const users = ['tiepnhan', 'chuyenvien', 'lanhdao', 'quantri', 'giamsat'];
  const officers = await Promise.all(Array.from({ length: FLOOD }, (_, i) => login(node, users[i % users.length])));
  const flood = catalogFlood(port);
  flood.run(officers);
  await sleep(1000);
  const f0 = { done: flood.done, bytes: flood.bytes, t: performance.now(), ticks: threadTicks(pid) };
  const st = stats(await probe(port));
  const fSecs = (performance.now() - f0.t) / 1000;
  const ticks = threadTicks(pid);
  const busy = busiest(f0.ticks, ticks, fSecs);
  let spent = 0;
  for (const [tid, v] of ticks) spent += v - (f0.ticks.get(tid) || 0);
  const cpuPer = (spent * 10) / Math.max(1, flood.done - f0.done); // ms of server CPU a catalog
  const fRate = (flood.done - f0.done) / fSecs;
  const fMB = (flood.bytes - f0.bytes) / fSecs / (1 << 20);
  await flood.stop();
  const bad = Object.entries(flood.bad).map(([k, v]) => `${v}x ${k}`).join(', ');
  row(`/healthz, ${FLOOD} officers fetch the catalog`, lat(st),
    `(${st.n} probes${st.failed ? `, ${st.failed} failed` : ''}; ${fRate.toFixed(1)} catalogs/s, ` +
    `${fMB.toFixed(2)} MB/s gzipped, ${cpuPer.toFixed(0)} ms of server CPU each; busiest server threads ${busy}${bad ? '; not 200: ' + bad : ''})`);
  ratios(st, base);
} finally {
  await stopNode(node);
}
