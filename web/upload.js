// upload.js - the resumable upload of a scan (issue 12; src/app/files.h),
// without the DOM and without Node: the staff app (files.js) sends files
// with it, and the slow-link test (tests/api/slowlink.test.mjs) imports this
// same file, so the protocol the test proves is the one the officers use.
//
// The protocol: begin an upload (the server answers its id and chunk_max),
// then PUT chunks at byte offsets. A chunk lands only at the offset the
// server holds; one at another offset gets 409 upload.bad_offset with
// expected_offset. So after a failure the client asks the server where it
// stands (GET /uploads/{id}) and goes on from there: a link cut in the
// middle of a chunk costs that chunk once, never the file.
//
// Chunk size adapts to the link: start at 64 KiB; double while a chunk
// takes under 2 s (towards chunk_max); cut to what fits in ~10 s when one
// takes over 20 s; halve after a failure, and after three chunks in a row
// go back up (doubling) to the size that was working before it: a cut is
// not the link getting slower. At 50 kbit/s a 64 KiB chunk takes about
// 10 s, so a link cut every minute still lands five chunks between cuts and
// loses at most the one in flight.

export const CHUNK_START = 64 << 10;
export const CHUNK_MIN = 16 << 10;
export const CHUNK_MAX = 1 << 20; // the server's default (its begin answer says)
export const FAST_MS = 2000;
export const TARGET_MS = 10000;
// Waits before asking again after a failure: the link comes back by itself.
export const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

const round = (n) => Math.floor(n / CHUNK_MIN) * CHUNK_MIN;

// The next chunk size after n bytes went in ms milliseconds (max: the
// server's chunk_max; good: the size that worked before the last failure,
// run: chunks landed since it).
export function nextSize(size, n, ms, max = CHUNK_MAX, good = 0, run = 0) {
  if (ms > 2 * TARGET_MS) return Math.max(CHUNK_MIN, Math.min(size, round((n * TARGET_MS) / ms)));
  if (ms < FAST_MS && n >= size) return Math.min(max, size * 2);
  if (run >= 3 && size < good && ms < TARGET_MS) return Math.min(good, size * 2, max);
  return Math.min(size, max);
}
export const smaller = (size) => Math.max(CHUNK_MIN, round(size / 2));

// A failure worth trying again: no answer at all (status 0), a server error,
// too many requests. Anything else (a refused file, no permission, the
// upload gone) is the officer's to see.
export const transient = (e) => !e || !e.status || e.status >= 500 || e.status === 429 || e.status === 408;

export class Aborted extends Error {
  constructor() { super('đã dừng tải lên'); this.aborted = true; }
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) { reject(new Aborted()); return; }
    const t = setTimeout(() => { if (signal) signal.removeEventListener('abort', stop); resolve(); }, ms);
    const stop = () => { clearTimeout(t); reject(new Aborted()); };
    if (signal) signal.addEventListener('abort', stop, { once: true });
  });
}

// Sends size bytes through transport t:
//   t.begin() -> { id, offset, chunk_max? }   (a new upload, or one to resume)
//   t.put(id, offset, from, to) -> the server's answer { offset, complete, file? }
//   t.status(id) -> the same shape
// Each throws on failure an error with .status (0: no answer), .code and,
// for 409 upload.bad_offset, .expected (the offset to resume at).
// opts: onProgress({ state: 'sending' | 'waiting', offset, size, chunk,
// wait, attempt }), signal (an AbortSignal: stops between steps), start
// (first chunk), backoff (ms list), sleep, clock (tests).
// Returns { id, file, answer, stats }; stats counts puts (chunks sent),
// resends (failures after which bytes already sent had to go again),
// resent (those bytes), failures, statuses (GET /uploads/{id} calls), sizes
// (each chunk's size).
export async function sendFile(t, size, opts = {}) {
  const backoff = opts.backoff || BACKOFF_MS;
  const sleep = opts.sleep || pause;
  const clock = opts.clock || (() => Date.now());
  const report = opts.onProgress || (() => {});
  const signal = opts.signal || null;
  const stats = { puts: 0, resends: 0, resent: 0, failures: 0, statuses: 0, conflicts: 0, sizes: [] };
  const check = () => { if (signal && signal.aborted) throw new Aborted(); };
  let tries = 0;
  // Waits (longer each time) then runs f again, while it fails transiently.
  async function persist(f, at) {
    for (;;) {
      check();
      try {
        const r = await f();
        tries = 0;
        return r;
      } catch (e) {
        if (e && e.aborted) throw e;
        if (!transient(e)) throw e;
        const wait = backoff[Math.min(tries, backoff.length - 1)];
        tries++;
        report({ state: 'waiting', offset: at(), size, wait, attempt: tries, error: e });
        await sleep(wait, signal);
      }
    }
  }
  let off = 0;
  const u = await persist(() => t.begin(), () => off);
  const id = u.id;
  const max = Math.max(CHUNK_MIN, Math.min(u.chunk_max || CHUNK_MAX, CHUNK_MAX * 16));
  let chunk = Math.min(opts.start || CHUNK_START, max);
  off = u.offset || 0;
  let sent = off; // the end of the bytes sent so far
  let good = 0, run = 0; // the size before the last failure; chunks landed since
  const done = (r) => ({ id, file: r.file, answer: r, stats });
  if (u.complete) return done(u);
  for (;;) {
    check();
    const end = Math.min(size, off + chunk);
    report({ state: 'sending', offset: off, size, chunk: end - off });
    stats.puts++;
    stats.sizes.push(end - off);
    sent = Math.max(sent, end);
    const t0 = clock();
    let r;
    try {
      r = await t.put(id, off, off, end);
    } catch (e) {
      if (e && e.aborted) throw e;
      if (e && e.status === 409 && Number.isInteger(e.expected)) {
        // The server holds another offset (an answer was lost): go on there.
        stats.conflicts++;
        off = e.expected;
        continue;
      }
      if (!transient(e)) throw e;
      stats.failures++;
      good = Math.max(good, chunk);
      run = 0;
      chunk = smaller(chunk);
      const wait = backoff[Math.min(tries, backoff.length - 1)];
      tries++;
      report({ state: 'waiting', offset: off, size, wait, attempt: tries, error: e });
      await sleep(wait, signal);
      const s = await persist(() => { stats.statuses++; return t.status(id); }, () => off);
      if (s.complete) return done(s);
      if (s.offset < sent) { stats.resends++; stats.resent += sent - s.offset; }
      off = s.offset;
      continue;
    }
    tries = 0;
    run++;
    chunk = nextSize(chunk, end - off, clock() - t0, max, good, run);
    if (chunk >= good) good = 0;
    if (r.complete) {
      report({ state: 'sending', offset: size, size, chunk: 0 });
      return done(r);
    }
    off = r.offset;
  }
}
