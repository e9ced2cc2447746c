// upload-protocol.test.mjs - web/upload.js (the staff app's resumable
// upload) against a simulated server and link on a simulated clock: no
// network, no waiting. The chunk size follows the link (about 10 s a chunk
// at 50 kbit/s, growing on a fast link), a cut costs at most the chunk in
// flight, a lost answer costs nothing, a 409 resumes at expected_offset,
// a refusal stops at once, "Dừng" stops between steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendFile, nextSize, smaller, transient, CHUNK_START, CHUNK_MIN, CHUNK_MAX } from '../../web/upload.js';

// A server holding `received` bytes of `size`, behind a link of `bps`
// bytes a second; cuts: times (ms) at which the link drops. A chunk in
// flight at a cut is lost (lose: 'before') or lands with its answer lost
// (lose: 'answer'). down: ms the link stays down after a cut.
function sim({ size, bps, cuts = [], down = 2000, lose = 'before', refuse = null, conflictAt = null }) {
  const s = { now: 0, received: 0, log: [] };
  const cutIn = (a, b) => cuts.find((c) => c >= a && c < b);
  const isDown = () => cuts.some((c) => s.now >= c && s.now < c + down);
  const fail = (status, extra = {}) => Object.assign(new Error('fail ' + status), { status, ...extra });
  s.clock = () => s.now;
  s.sleep = async (ms) => { s.now += ms; };
  s.t = {
    begin: async () => ({ id: 'u1', offset: 0, size, chunk_max: CHUNK_MAX }),
    async put(id, offset, from, to) {
      const n = to - from;
      s.log.push(['put', offset, n]);
      if (isDown()) throw fail(0);
      if (refuse && offset >= refuse.at) throw fail(refuse.status, { code: refuse.code });
      if (conflictAt !== null && offset === conflictAt) { conflictAt = null; s.received = offset + n; throw fail(409, { code: 'upload.bad_offset', expected: s.received }); }
      const start = s.now, end = s.now + 50 + (n * 1000) / bps;
      const c = cutIn(start, end);
      if (c !== undefined) {
        if (lose === 'answer' && offset === s.received) s.received += n;
        s.now = c;
        throw fail(0);
      }
      s.now = end;
      if (offset !== s.received) throw fail(409, { code: 'upload.bad_offset', expected: s.received });
      s.received += n;
      return { id, offset: s.received, size, complete: s.received === size, file: s.received === size ? { size } : undefined };
    },
    async status() {
      s.log.push(['status']);
      if (isDown()) throw fail(0);
      s.now += 50;
      return { id: 'u1', offset: s.received, size, complete: s.received === size };
    },
  };
  return s;
}

test('chunk sizes: the table of nextSize', () => {
  const K = 1024;
  for (const [size, n, ms, good, run, want, why] of [
    [64 * K, 64 * K, 500, 0, 1, 128 * K, 'fast: double'],
    [512 * K, 512 * K, 500, 0, 1, 1024 * K, 'fast: double up to chunk_max'],
    [1024 * K, 1024 * K, 500, 0, 1, 1024 * K, 'never past chunk_max'],
    [64 * K, 64 * K, 10500, 0, 1, 64 * K, '50 kbit/s: 64 KiB in 10.5 s stays'],
    [64 * K, 64 * K, 40000, 0, 1, 16 * K, 'over 20 s: what fits in 10 s'],
    [64 * K, 64 * K, 400000, 0, 1, CHUNK_MIN, 'never under the minimum'],
    [32 * K, 32 * K, 5200, 64 * K, 2, 32 * K, 'after a failure: wait for three good chunks'],
    [32 * K, 32 * K, 5200, 64 * K, 3, 64 * K, 'three good chunks: back to the size that worked'],
    [64 * K, 10 * K, 100, 0, 1, 64 * K, 'a short last chunk says nothing of the link'],
  ]) assert.equal(nextSize(size, n, ms, CHUNK_MAX, good, run), want, why);
  assert.equal(smaller(64 * K), 32 * K);
  assert.equal(smaller(CHUNK_MIN), CHUNK_MIN);
  assert.equal(CHUNK_START, 64 * K);
  for (const [e, want] of [[{ status: 0 }, true], [{ status: 503 }, true], [{ status: 429 }, true], [{ status: 409 }, false], [{ status: 422 }, false], [{ status: 403 }, false]]) {
    assert.equal(transient(e), want, JSON.stringify(e));
  }
});

test('50 kbit/s, no cut: 64 KiB chunks of about 10 s, each byte once', async () => {
  const size = 2_000_000;
  const s = sim({ size, bps: 6250 });
  const r = await sendFile(s.t, size, { sleep: s.sleep, clock: s.clock });
  assert.equal(s.received, size);
  assert.equal(r.stats.failures, 0);
  assert.deepEqual([...new Set(r.stats.sizes.slice(0, -1))], [64 * 1024]);
  assert.equal(r.stats.sizes.reduce((a, b) => a + b, 0), size);
});

test('a fast link: chunks grow to chunk_max', async () => {
  const size = 8_000_000;
  const s = sim({ size, bps: 10_000_000 });
  const r = await sendFile(s.t, size, { sleep: s.sleep, clock: s.clock });
  assert.equal(s.received, size);
  assert.deepEqual(r.stats.sizes.slice(0, 6), [64, 128, 256, 512, 1024, 1024].map((k) => k * 1024));
});

test('cut every 60 s at 50 kbit/s: at most the chunk in flight resent per cut, never from the start', async () => {
  const size = 3_000_000; // ~8 min
  const cuts = Array.from({ length: 12 }, (_, i) => 60000 * (i + 1) + 1234);
  for (const lose of ['before', 'answer']) {
    const s = sim({ size, bps: 6250, cuts, lose });
    const r = await sendFile(s.t, size, { sleep: s.sleep, clock: s.clock });
    assert.equal(s.received, size, lose);
    const hit = cuts.filter((c) => c < s.now).length;
    assert.ok(r.stats.failures >= 1 && r.stats.failures <= hit, `${lose}: failures ${r.stats.failures}, cuts ${hit}`);
    if (lose === 'answer') assert.equal(r.stats.resends, 0, 'a chunk stored before its answer was lost is not sent again');
    else assert.equal(r.stats.resends, r.stats.failures, 'each cut chunk once more');
    assert.ok(r.stats.resent <= hit * 64 * 1024, `${lose}: resent ${r.stats.resent}`);
    assert.equal(s.log.filter((l) => l[0] === 'put' && l[1] === 0).length, 1, `${lose}: byte 0 sent once`);
    // Each failure is followed by a status request before the next chunk.
    for (let i = 0; i < s.log.length - 1; i++) if (s.log[i][0] === 'put' && s.log[i + 1][0] === 'put') assert.ok(s.log[i + 1][1] >= s.log[i][1], 'offsets go forward');
    assert.ok(Math.max(...r.stats.sizes) <= 64 * 1024, 'the chunk stays about 10 s');
  }
});

test('409: resume at expected_offset; a refusal stops at once; a stop between steps', async () => {
  const size = 500_000;
  let s = sim({ size, bps: 1e6, conflictAt: 65536 });
  let r = await sendFile(s.t, size, { sleep: s.sleep, clock: s.clock });
  assert.equal(s.received, size);
  assert.equal(r.stats.conflicts, 1);

  s = sim({ size, bps: 1e6, refuse: { at: 0, status: 415, code: 'file.bad_type' } });
  await assert.rejects(sendFile(s.t, size, { sleep: s.sleep, clock: s.clock }), (e) => e.status === 415 && e.code === 'file.bad_type');
  assert.equal(s.log.length, 1, 'no retry of a refusal');

  s = sim({ size, bps: 1e6 });
  const ac = new AbortController();
  const seen = [];
  await assert.rejects(sendFile(s.t, size, { sleep: s.sleep, clock: s.clock, signal: ac.signal,
    onProgress: (ev) => { seen.push(ev.offset); if (ev.offset > 0) ac.abort(); } }), (e) => e.aborted);
  assert.ok(s.received > 0 && s.received < size, 'stopped part way, what was sent is kept');

  // A link that stays down: the waits grow, capped.
  s = sim({ size, bps: 1e6, cuts: [10], down: 200000 });
  const waits = [];
  r = await sendFile(s.t, size, { sleep: s.sleep, clock: s.clock, onProgress: (ev) => { if (ev.state === 'waiting') waits.push(ev.wait); } });
  assert.equal(s.received, size);
  assert.deepEqual(waits.slice(0, 8), [1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000]);
});
