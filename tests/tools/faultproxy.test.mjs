// faultproxy.test.mjs - the fault-injecting proxy of the sync tests
// (tests/tools/faultproxy.h) against tiny loopback servers: each mode does
// what it says, and nothing it does to its peers makes it fall over.
// FAULTPROXY names the binary (tests/sh/faultproxy.sh sets it). No test
// asserts a speed: time appears only as lower bounds that a delay or a
// throttle guarantees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { once } from 'node:events';

const BIN = process.env.FAULTPROXY;
if (!BIN) throw new Error('set FAULTPROXY to the faultproxy binary');

const sha = (b) => createHash('sha256').update(b).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- servers ----

// serve(onConn) -> { port, close() }; every socket's errors are expected.
async function serve(onConn) {
  const socks = new Set();
  const srv = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => {});
    s.on('close', () => socks.delete(s));
    onConn(s);
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return {
    port: srv.address().port,
    close: async () => {
      for (const s of socks) s.destroy();
      srv.close();
      await once(srv, 'close');
    },
  };
}
const echo = () => serve((s) => s.pipe(s));
// source(bytes): sends bytes to every connection, then ends it.
const source = (bytes) => serve((s) => s.end(bytes));
// sink(): counts what each connection sent; got[] has one entry per ended connection.
async function sink() {
  const got = [];
  const waiters = [];
  const srv = await serve((s) => {
    const parts = [];
    s.on('data', (d) => parts.push(d));
    s.on('close', () => {
      got.push(Buffer.concat(parts));
      waiters.splice(0).forEach((w) => w());
    });
  });
  srv.got = got;
  srv.next = async (n) => {
    while (got.length < n) await new Promise((r) => waiters.push(r));
    return got[n - 1];
  };
  return srv;
}

// ---- the proxy ----

async function startProxy(targetPort) {
  const proc = spawn(BIN, ['--target', `127.0.0.1:${targetPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = once(proc, 'exit');
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve();
    });
    proc.on('exit', () => reject(new Error(`faultproxy exited: ${err}`)));
  });
  const m = out.match(/^faultproxy listen 127\.0\.0\.1:(\d+) control 127\.0\.0\.1:(\d+) target/);
  assert.ok(m, `ready line: ${out}`);
  const p = { port: Number(m[1]), ctlPort: Number(m[2]), proc };
  p.ctl = (line) => ctl(p.ctlPort, line);
  // stop(): SIGTERM must end it cleanly (exit 0; under ASan, no leak).
  p.stop = async () => {
    proc.kill('SIGTERM');
    const [code, sig] = await exited;
    assert.equal(code, 0, `faultproxy exit ${code} ${sig} ${err}`);
  };
  return p;
}

// ctl(port, line) -> the reply line, over a fresh control connection.
async function ctl(port, line) {
  const s = net.connect(port, '127.0.0.1');
  s.write(line + '\n');
  let buf = '';
  for await (const d of s) {
    buf += d;
    if (buf.includes('\n')) break;
  }
  s.destroy();
  return buf.split('\n')[0];
}

async function withProxy(server, fn) {
  const p = await startProxy(server.port);
  try {
    await fn(p);
  } finally {
    await p.stop();
    await server.close();
  }
}

// exchange(port, payload, opts) -> { data, err, ended, ms }: connects, sends
// payload (then FIN unless opts.keepOpen), collects what comes back.
function exchange(port, payload = Buffer.alloc(0), opts = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const parts = [];
    let err = null;
    let ended = false;
    const s = net.connect(port, '127.0.0.1');
    s.on('data', (d) => parts.push(d));
    s.on('end', () => (ended = true));
    s.on('error', (e) => (err = e.code));
    s.on('close', () => resolve({ data: Buffer.concat(parts), err, ended, ms: performance.now() - t0 }));
    s.on('connect', () => {
      if (payload.length) s.write(payload);
      if (!opts.keepOpen) s.end();
    });
  });
}

// ---- tests ----

test('addresses outside 127.0.0.0/8 are refused', async () => {
  const cases = [
    ['--target', '10.0.0.1:80'],
    ['--target', '0.0.0.0:80'],
    ['--target', 'localhost:80'],
    ['--target', '127.0.0.1:80', '--listen', '0.0.0.0:0'],
    ['--target', '127.0.0.1:80', '--control', '192.168.1.1:0'],
    ['--target', '127.0.0.1:99999'],
    ['--target', '::1:80'],
  ];
  for (const args of cases) {
    const r = await new Promise((resolve) =>
      execFile(BIN, args, (e, stdout, stderr) => resolve({ code: e ? e.code : 0, stderr })));
    assert.equal(r.code, 2, `${args.join(' ')}: exit`);
    assert.match(r.stderr, /^faultproxy: /, args.join(' '));
  }
});

test('pass-through: 5 MB echoed intact, and 40 connections at once', async () => {
  await withProxy(await echo(), async (p) => {
    const big = randomBytes(5 * 1024 * 1024);
    const r = await exchange(p.port, big);
    assert.equal(r.err, null);
    assert.equal(r.data.length, big.length);
    assert.equal(sha(r.data), sha(big));
    const payloads = Array.from({ length: 40 }, () => randomBytes(50000));
    const rs = await Promise.all(payloads.map((b) => exchange(p.port, b)));
    rs.forEach((x, i) => assert.equal(sha(x.data), sha(payloads[i]), `connection ${i}`));
    const st = await p.ctl('status');
    assert.match(st, /^ok /);
    assert.match(st, / accepted=41 /);
    assert.match(st, new RegExp(` c2s=${big.length + 40 * 50000} `));
  });
});

test('the control port rejects bad commands and keeps working', async () => {
  await withProxy(await echo(), async (p) => {
    const bad = [
      '', 'frobnicate', 'pass now', 'refuse maybe', 'down up', 'cut', 'cut sideways 10',
      'cut c2s', 'cut c2s -1', 'cut c2s 10x', 'cut c2s 10 later', 'cut c2s 99999999999999999999',
      'delay s2c', 'delay s2c 90000000', 'throttle both +5', 'random s2c 1 50', 'random both 1 50 10',
      'random s2c 1 101 10', 'random s2c 1 50 0', 'status please', 'a b c d e f g h i',
    ];
    for (const line of bad) assert.match(await p.ctl(line), /^err \S/, JSON.stringify(line));
    const good = ['cut both 10 rst', 'cut off', 'delay both 0', 'throttle c2s 0', 'random c2s 7 10 100',
      'random off', 'refuse close', 'accept', 'down hold', 'up', 'pass'];
    for (const line of good) assert.match(await p.ctl(line), /^ok/, line);
    // A line past 256 bytes is refused and ends that control connection.
    assert.match(await p.ctl('status ' + 'x'.repeat(400)), /^err line too long/);
    // Several commands on one connection get one reply each, in order.
    const s = net.connect(p.ctlPort, '127.0.0.1');
    s.write('status\nbogus\npass\n');
    let buf = '';
    for await (const d of s) {
      buf += d;
      if (buf.split('\n').length > 3) break;
    }
    s.destroy();
    const lines = buf.split('\n');
    assert.match(lines[0], /^ok listening=1/);
    assert.match(lines[1], /^err unknown command 'bogus'/);
    assert.equal(lines[2], 'ok');
    // `faultproxy ctl`: exit 0 on ok, 1 on err, 2 on a bad address.
    const run = (args) => new Promise((resolve) =>
      execFile(BIN, ['ctl', ...args], (e, stdout) => resolve({ code: e ? e.code : 0, stdout })));
    let r = await run([`127.0.0.1:${p.ctlPort}`, 'delay', 'c2s', '0']);
    assert.deepEqual(r, { code: 0, stdout: 'ok\n' });
    r = await run([`127.0.0.1:${p.ctlPort}`, 'delay', 'sideways', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^err unknown direction/);
    r = await run(['8.8.8.8:53', 'status']);
    assert.equal(r.code, 2);
    const e = await exchange(p.port, Buffer.from('still here'));
    assert.equal(e.data.toString(), 'still here');
  });
});

test('refuse: ECONNREFUSED (or ECONNRESET with rst); accept restores', async () => {
  await withProxy(await echo(), async (p) => {
    assert.equal(await p.ctl('refuse'), 'ok');
    let r = await exchange(p.port, Buffer.from('x'));
    assert.equal(r.err, 'ECONNREFUSED');
    assert.equal(await p.ctl('refuse rst'), 'ok');
    r = await exchange(p.port, Buffer.from('x'), { keepOpen: true });
    assert.ok(['ECONNRESET', 'EPIPE'].includes(r.err), `got ${r.err}`);
    assert.equal(r.data.length, 0);
    assert.equal(await p.ctl('accept'), 'ok');
    r = await exchange(p.port, Buffer.from('back'));
    assert.equal(r.err, null);
    assert.equal(r.data.toString(), 'back');
    assert.match(await p.ctl('status'), / refused=1 /);
  });
});

test('link down (drop) resets open connections and refuses new ones; up restores', async () => {
  await withProxy(await echo(), async (p) => {
    const s = net.connect(p.port, '127.0.0.1');
    const closed = new Promise((resolve) => {
      let err = null;
      s.on('error', (e) => (err = e.code));
      s.on('close', () => resolve(err));
    });
    s.write('ping');
    const [first] = await once(s, 'data');
    assert.equal(first.toString(), 'ping');
    assert.equal(await p.ctl('down'), 'ok');
    assert.equal(await closed, 'ECONNRESET');
    assert.equal((await exchange(p.port, Buffer.from('x'))).err, 'ECONNREFUSED');
    assert.match(await p.ctl('status'), / listening=0 .* down=drop .* conns=0 /);
    assert.equal(await p.ctl('up'), 'ok');
    const r = await exchange(p.port, Buffer.from('up again'));
    assert.equal(r.data.toString(), 'up again');
  });
});

test('link down (hold) stalls every connection, new ones too, until up', async () => {
  await withProxy(await echo(), async (p) => {
    const s = net.connect(p.port, '127.0.0.1');
    s.on('error', () => {});
    const got = [];
    s.on('data', (d) => got.push(d.toString()));
    s.write('a');
    while (!got.length) await sleep(10);
    assert.equal(await p.ctl('down hold'), 'ok');
    s.write('b');
    const later = exchange(p.port, Buffer.from('new'));
    await sleep(300);
    assert.deepEqual(got, ['a'], 'nothing moves while the link is held');
    assert.match(await p.ctl('status'), / down=hold .* conns=2 /);
    assert.equal(await p.ctl('up'), 'ok');
    while (got.join('') !== 'ab') await sleep(10);
    const r = await later;
    assert.equal(r.err, null);
    assert.equal(r.data.toString(), 'new');
    s.destroy();
  });
});

test('cut s2c after N bytes: exactly N bytes, then a clean end', async () => {
  const body = randomBytes(200000);
  await withProxy(await source(body), async (p) => {
    for (const n of [0, 1, 1000, 40000, 150000]) {
      assert.equal(await p.ctl(`cut s2c ${n}`), 'ok');
      const r = await exchange(p.port, Buffer.alloc(0), { keepOpen: true });
      assert.equal(r.err, null, `cut at ${n}`);
      assert.equal(r.ended, true, `cut at ${n}: FIN`);
      assert.equal(r.data.length, n, `cut at ${n}`);
      assert.equal(sha(r.data), sha(body.subarray(0, n)), `cut at ${n}: the first N bytes`);
    }
    assert.equal(await p.ctl('cut off'), 'ok');
    const r = await exchange(p.port);
    assert.equal(sha(r.data), sha(body));
  });
});

test('cut c2s after N bytes: the target gets exactly N bytes, then EOF', async () => {
  const srv = await sink();
  const body = randomBytes(300000);
  await withProxy(srv, async (p) => {
    let k = 0;
    for (const n of [5, 65536, 123457]) {
      assert.equal(await p.ctl(`cut c2s ${n}`), 'ok');
      const r = await exchange(p.port, body);
      assert.notEqual(r.err === null && r.data.length === body.length, true);
      const got = await srv.next(++k);
      assert.equal(got.length, n, `cut at ${n}`);
      assert.equal(sha(got), sha(body.subarray(0, n)));
    }
    assert.equal(await p.ctl('cut both 1000 rst'), 'ok');
    const r = await exchange(p.port, body);
    assert.ok(['ECONNRESET', 'EPIPE'].includes(r.err), `rst cut: ${r.err}`);
    const got = await srv.next(++k);
    assert.ok(got.length <= 1000, `rst cut delivered ${got.length}`);
    assert.match(await p.ctl('status'), / cuts=4 /);
  });
});

test('delay: a round trip takes at least both delays', async () => {
  await withProxy(await echo(), async (p) => {
    assert.equal(await p.ctl('delay c2s 150'), 'ok');
    assert.equal(await p.ctl('delay s2c 200'), 'ok');
    const r = await exchange(p.port, Buffer.from('slow'));
    assert.equal(r.data.toString(), 'slow');
    assert.ok(r.ms >= 350, `round trip ${r.ms} ms`);
    const many = randomBytes(300000);
    const r2 = await exchange(p.port, many);
    assert.equal(sha(r2.data), sha(many), 'order kept under delay');
  });
});

test('throttle: no faster than the rate (50 kbit/s down, 100 kB/s up)', async () => {
  const body = randomBytes(10000);
  await withProxy(await source(body), async (p) => {
    assert.equal(await p.ctl('throttle s2c 6250'), 'ok');
    const r = await exchange(p.port, Buffer.alloc(0), { keepOpen: true });
    assert.equal(sha(r.data), sha(body));
    // A bucket of rate/10 bytes, full when set: bytes <= rate/10 + rate * t.
    const floor = ((body.length - 625) / 6250) * 1000;
    assert.ok(r.ms >= floor, `${body.length} B in ${r.ms} ms, floor ${floor}`);
  });
  const srv = await sink();
  const up = randomBytes(150000);
  await withProxy(srv, async (p) => {
    assert.equal(await p.ctl('throttle c2s 100000'), 'ok');
    const t0 = performance.now();
    await exchange(p.port, up);
    const got = await srv.next(1);
    const ms = performance.now() - t0;
    assert.equal(sha(got), sha(up));
    const floor = ((up.length - 10000) / 100000) * 1000;
    assert.ok(ms >= floor, `${up.length} B in ${ms} ms, floor ${floor}`);
  });
});

test('random cuts are reproducible from the seed', async () => {
  const body = randomBytes(65536);
  await withProxy(await source(body), async (p) => {
    const round = async (seed) => {
      assert.equal(await p.ctl(`random s2c ${seed} 50 30000`), 'ok');
      const lens = [];
      for (let i = 0; i < 16; i++) {
        const r = await exchange(p.port, Buffer.alloc(0), { keepOpen: true });
        assert.equal(sha(r.data), sha(body.subarray(0, r.data.length)), 'a prefix, in order');
        lens.push(r.data.length);
      }
      return lens;
    };
    const a = await round(42);
    const b = await round(42);
    const c = await round(43);
    assert.deepEqual(b, a, 'same seed, same cuts');
    assert.notDeepEqual(c, a, 'another seed, other cuts');
    const cut = a.filter((n) => n < body.length);
    assert.ok(cut.length > 0 && cut.length < a.length, `some cut, some not: ${a}`);
    assert.ok(cut.every((n) => n < 30000), `cut below MAX: ${a}`);
    assert.equal(await p.ctl('random off'), 'ok');
    assert.equal((await exchange(p.port)).data.length, body.length);
  });
});

test('peers vanishing, a dead target, resets: the proxy stays up', async () => {
  const srv = await echo();
  await withProxy(srv, async (p) => {
    // Clients that reset mid-transfer.
    const rude = Array.from({ length: 30 }, (_, i) => new Promise((resolve) => {
      const s = net.connect(p.port, '127.0.0.1');
      s.on('error', () => {});
      s.on('close', resolve);
      s.on('connect', () => {
        s.write(randomBytes(100000));
        setTimeout(() => s.resetAndDestroy(), i % 5);
      });
    }));
    await Promise.all(rude);
    for (let i = 0; i < 200 && !/ conns=0 /.test(await p.ctl('status')); i++) await sleep(10);
    assert.match(await p.ctl('status'), / conns=0 /);
    const r = await exchange(p.port, Buffer.from('alive'));
    assert.equal(r.data.toString(), 'alive');
  });
  // The target gone: connections are reset, the proxy goes on.
  const gone = await echo();
  const p = await startProxy(gone.port);
  await gone.close();
  const r = await exchange(p.port, Buffer.from('x'), { keepOpen: true });
  assert.ok(['ECONNRESET', 'EPIPE'].includes(r.err), `dead target: ${r.err}`);
  assert.match(await p.ctl('status'), /^ok /);
  await p.stop();
});
