// slowlink.test.mjs - a scan sent over a commune's bad link (issue 12): a
// multi-page PDF uploaded through the fault-injecting proxy
// (tests/tools/faultproxy.h) throttled both ways and cut (every connection
// reset, new ones refused for a moment) at a fixed period, by the staff
// app's own upload code (web/upload.js through upload-client.mjs). It must
// complete, stored once, with at most one chunk sent again per cut.
//
// Full size (SLOWLINK_FULL=1, run by `make soak`): a 20 MB PDF of 1000
// pages at 50 kbit/s, cut every 60 s: about an hour. `make test` runs the
// same at a tenth: 2 MB at 400 kbit/s, cut every 10 s (a cut every four
// chunks or so, as in the full run), about a minute. SLOWLINK_BYTES_PER_PAGE, SLOWLINK_PAGES,
// SLOWLINK_BPS, SLOWLINK_CUT_MS, SLOWLINK_DOWN_MS override either.
// The proxy is $FAULTPROXY, or the one built beside $MOTCUA, or
// build/tests/tools/faultproxy (make faultproxy). No speed is asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import net from 'node:net';
import { ROOT, BIN, startNode, stopNode, login, newDossier, applicant } from './harness.mjs';
import { pdf } from './scans.mjs';
import { upload } from './upload-client.mjs';

const FULL = process.env.SLOWLINK_FULL === '1';
const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const P = {
  pages: num('SLOWLINK_PAGES', FULL ? 1000 : 100),
  perPage: num('SLOWLINK_BYTES_PER_PAGE', 20000),
  bps: num('SLOWLINK_BPS', FULL ? 6250 : 50000), // bytes a second: 50 kbit/s, 400 kbit/s
  cutMs: num('SLOWLINK_CUT_MS', FULL ? 60000 : 10000),
  downMs: num('SLOWLINK_DOWN_MS', FULL ? 3000 : 500),
};
const sha = (b) => createHash('sha256').update(b).digest('hex');

function proxyBin() {
  const cands = [process.env.FAULTPROXY, join(dirname(BIN), 'tests/tools/faultproxy'), join(ROOT, 'build/tests/tools/faultproxy')];
  const found = cands.find((p) => p && existsSync(p));
  if (!found) throw new Error('no faultproxy binary: run make faultproxy');
  return found;
}

async function startProxy(targetPort) {
  const proc = spawn(proxyBin(), ['--target', `127.0.0.1:${targetPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => (err += d));
  const exited = once(proc, 'exit');
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(); });
    proc.on('exit', () => reject(new Error('faultproxy exited: ' + err)));
  });
  const m = out.match(/^faultproxy listen 127\.0\.0\.1:(\d+) control 127\.0\.0\.1:(\d+)/);
  assert.ok(m, 'ready line: ' + out);
  const ctlPort = Number(m[2]);
  const ctl = async (line) => {
    const s = net.connect(ctlPort, '127.0.0.1');
    s.write(line + '\n');
    let buf = '';
    for await (const d of s) { buf += d; if (buf.includes('\n')) break; }
    s.destroy();
    const reply = buf.split('\n')[0];
    assert.match(reply, /^ok/, `faultproxy ${line}: ${reply}`);
    return reply;
  };
  return {
    base: `http://127.0.0.1:${m[1]}`, ctl,
    stop: async () => { proc.kill('SIGTERM'); const [code] = await exited; assert.equal(code, 0, 'faultproxy exit: ' + err); },
  };
}

function blobs(dir) {
  const root = join(dir, 'files');
  const out = { blobs: [], parts: [] };
  if (!existsSync(root)) return out;
  for (const d of readdirSync(root)) for (const f of readdirSync(join(root, d))) (d === 'tmp' ? out.parts : out.blobs).push(d + f);
  return out;
}

let node, proxy;
before(async () => {
  node = await startNode({ env: { MOTCUA_OCR_WORKERS: '0' } }); // the upload alone, its blob counted
  proxy = await startProxy(node.port);
});
after(async () => {
  if (proxy) await proxy.stop();
  if (node) await stopNode(node);
});

test(`a ${FULL ? '20' : '2'} MB scan at ${(P.bps * 8) / 1000} kbit/s, cut every ${P.cutMs / 1000} s: completes, stored once, at most one chunk resent per cut`, { timeout: FULL ? 3 * 3600e3 : 600e3 }, async (t) => {
  const bytes = pdf(P.pages, P.perPage);
  const rec = await login(node, 'tiepnhan');
  const d = await rec.post('/api/v1/dossiers', newDossier({
    applicant: { ...applicant('Lường Văn Chậm'), id_number: '025090007777' },
    components: [{ name: 'Tờ khai', originals: 1, copies: 0 }],
  }));
  assert.equal(d.status, 201, d.text);
  const who = { cookie: rec.cookie, csrf: rec.csrf };
  const before = blobs(node.data);

  await proxy.ctl(`throttle both ${P.bps}`);
  let cuts = 0;
  const timer = setInterval(async () => {
    cuts++;
    await proxy.ctl('down drop');
    setTimeout(() => proxy.ctl('up').catch(() => {}), P.downMs);
  }, P.cutMs);
  const t0 = Date.now();
  let r;
  try {
    r = await upload(proxy.base, who, d.json.code, { component: 0, kind: 'scan', filename: 'to-khai-day.pdf' }, bytes);
  } finally {
    clearInterval(timer);
    await new Promise((res) => setTimeout(res, P.downMs + 100));
    await proxy.ctl('pass');
    await proxy.ctl('up');
  }
  const secs = (Date.now() - t0) / 1000;
  const s = r.stats;
  const landed = s.puts - s.failures - s.conflicts;
  const figures = `${(bytes.length / 1e6).toFixed(1)} MB in ${secs.toFixed(0)} s; chunks sent ${s.puts}, landed ${landed}, failed ${s.failures}, ` +
    `resends ${s.resends} (${s.resent} bytes), cuts ${cuts}, status calls ${s.statuses}, 409s ${s.conflicts}, ` +
    `chunk sizes ${Math.min(...s.sizes)}..${Math.max(...s.sizes)}`;
  t.diagnostic(figures);

  // Complete, the very bytes, once.
  assert.equal(r.file.sha256, sha(bytes));
  assert.equal(r.file.pages, P.pages);
  const files = (await rec.get(`/api/v1/dossiers/${encodeURIComponent(d.json.code)}/files`)).json.items;
  assert.deepEqual(files.map((f) => [f.sha256, f.pages, f.size]), [[sha(bytes), P.pages, bytes.length]]);
  const after = blobs(node.data);
  assert.deepEqual(after.blobs.filter((b) => !before.blobs.includes(b)), [sha(bytes)], 'one new blob');
  assert.equal(statSync(join(node.data, 'files', sha(bytes).slice(0, 2), sha(bytes).slice(2))).size, bytes.length);
  assert.deepEqual(after.parts, [], 'no part file left');
  // The link was cut, and each cut cost at most the chunk in flight.
  assert.ok(cuts >= 2, `the link was cut during the upload (${cuts})`);
  assert.ok(s.failures >= 1, 'some chunk met a cut');
  assert.ok(s.resends <= cuts, `resends ${s.resends} <= cuts ${cuts}`);
  assert.ok(s.failures <= cuts, `failures ${s.failures} <= cuts ${cuts}: no failure but the cuts`);
  assert.ok(s.resent <= cuts * Math.max(...s.sizes), `bytes resent ${s.resent} <= one chunk per cut`);
  // Every byte went at least once; the only extra bytes are the resent ones.
  const sentBytes = s.sizes.reduce((a, b) => a + b, 0);
  assert.ok(sentBytes >= bytes.length, 'every byte sent');
  assert.ok(sentBytes <= bytes.length + s.resent + s.conflicts * Math.max(...s.sizes), `bytes sent ${sentBytes} = file + resent`);
});
