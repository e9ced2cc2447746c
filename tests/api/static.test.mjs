// static.test.mjs - the web UI's files over HTTP as a slow link needs them
// (docs/ui.md "Slow links"): brotli and gzip that decode to the very bytes
// served plain, q-values honoured, a strong ETag per encoding and a 304 for
// it, Vary, a year's caching only for an address naming the content, the
// CSP kept, HEAD, 404s; and large JSON answers gzipped.
// Raw node:http, not fetch: fetch asks for compression itself and decodes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { startNode, stopNode } from './harness.mjs';

const node = await startNode();

function get(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(node.base + path, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const plain = (path) => get(path, { 'Accept-Encoding': 'identity' });
const decode = (r) => {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  assert.equal(enc, undefined, 'no other coding');
  return r.body;
};
const varies = (r) => assert.match(r.headers.vary || '', /accept-encoding/i);

after(async () => { await stopNode(node); });


const PATHS = ['/', '/tra-cuu/000.00.25.H45-260302-0001', '/assets/app.js', '/assets/style.css', '/assets/lib.js'];

test('every file is served plain, with its type and the CSP', async () => {
  for (const p of PATHS) {
    const r = await plain(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-encoding'], undefined, p);
    assert.match(r.headers['content-type'], /^(text\/html|text\/javascript|text\/css)/, p);
    assert.match(r.headers['content-security-policy'], /script-src 'self'/, p);
    assert.ok(r.body.length > 100, p);
  }
});

test('br and gzip decode to the plain bytes, each with its own strong ETag', async () => {
  for (const p of PATHS) {
    const id = await plain(p);
    const br = await get(p, { 'Accept-Encoding': 'br' });
    const gz = await get(p, { 'Accept-Encoding': 'gzip' });
    assert.equal(br.headers['content-encoding'], 'br', p);
    assert.equal(gz.headers['content-encoding'], 'gzip', p);
    assert.ok(br.body.length < id.body.length && gz.body.length < id.body.length, p);
    assert.deepEqual(decode(br), id.body, p);
    assert.deepEqual(decode(gz), id.body, p);
    const tags = [id, br, gz].map((r) => r.headers.etag);
    for (const t of tags) assert.match(t, /^"[0-9a-f]{16}(-br|-gz)?"$/, p);
    assert.equal(new Set(tags).size, 3, p + ': one ETag per encoding');
    for (const r of [id, br, gz]) varies(r);
  }
});

test('Accept-Encoding q-values choose the encoding', async () => {
  const cases = [
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0', undefined],
    ['BR;Q=0.5, gzip;q=0.8', 'gzip'],
    ['gzip;q=0.5, br;q=0.8', 'br'],
    ['gzip;q=0.5, br;q=0.5', 'br'], // same q: the smaller
    ['x-gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.3, br;q=0', 'gzip'],
    ['identity', undefined],
    ['', undefined],
    [undefined, undefined],
    ['*;q=0', undefined], // nothing acceptable: sent plain all the same
    ['gzip;q=garbage', undefined],
  ];
  for (const [ae, want] of cases) {
    const r = await get('/assets/app.js', ae === undefined ? {} : { 'Accept-Encoding': ae });
    assert.equal(r.status, 200, ae);
    assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${ae}`);
    varies(r);
  }
});

test('If-None-Match with the ETag gets a 304 without a body', async () => {
  for (const p of PATHS) {
    for (const ae of ['br', 'gzip', 'identity']) {
      const first = await get(p, { 'Accept-Encoding': ae });
      const tag = first.headers.etag;
      for (const inm of [tag, 'W/' + tag, `"nope", ${tag}`, '*']) {
        const r = await get(p, { 'Accept-Encoding': ae, 'If-None-Match': inm });
        assert.equal(r.status, 304, `${p} ${ae} ${inm}`);
        assert.equal(r.body.length, 0);
        assert.equal(r.headers.etag, tag);
        assert.equal(r.headers['content-encoding'], undefined);
        assert.equal(r.headers['cache-control'], first.headers['cache-control']);
        assert.match(r.headers['content-security-policy'], /default-src 'self'/);
        varies(r);
      }
    }
    // Another encoding's tag, a stale hash, a garbled header: the file itself.
    const br = await get(p, { 'Accept-Encoding': 'br' });
    const gzTag = br.headers.etag.replace('-br"', '-gz"');
    for (const inm of [gzTag, '"0000000000000000-br"', 'garbage', '']) {
      const r = await get(p, { 'Accept-Encoding': 'br', 'If-None-Match': inm });
      assert.equal(r.status, 200, `${p} If-None-Match: ${inm}`);
      assert.deepEqual(decode(r), decode(br));
    }
  }
});

test('pages are revalidated; assets named by their hash are kept a year', async () => {
  for (const p of ['/', '/index.html', '/tra-cuu']) {
    assert.equal((await plain(p)).headers['cache-control'], 'no-cache', p);
  }
  // Every "?v=" an HTML or JS file names is the hash of what it names, and
  // that address may be cached for good; any other address is revalidated.
  const seen = new Set();
  const queue = ['/', '/tra-cuu'];
  while (queue.length) {
    const p = queue.shift();
    const text = decode(await get(p, { 'Accept-Encoding': 'br' })).toString('utf8');
    for (const m of text.matchAll(/["'(](?:\/assets\/|\.\/)([\w.-]+)(\?v=([0-9a-f]+))?["')]/g)) {
      const [, name, v, hash] = m;
      assert.ok(v, `${p} names ${name} without its hash`);
      const url = `/assets/${name}?v=${hash}`;
      if (seen.has(url)) continue;
      seen.add(url);
      const r = await plain(url);
      assert.equal(r.status, 200, url);
      assert.equal(r.headers.etag, `"${hash}"`, url);
      assert.match(r.headers['cache-control'], /max-age=31536000/, url);
      assert.match(r.headers['cache-control'], /immutable/, url);
      for (const other of [`/assets/${name}`, `/assets/${name}?v=0123456789abcdef`]) {
        assert.equal((await plain(other)).headers['cache-control'], 'no-cache', other);
      }
      if (/\.(js|css)$/.test(name)) queue.push(url);
    }
  }
  for (const f of ['app.js', 'lib.js', 'lists.js', 'style.css', 'icon.svg', 'tra-cuu.js']) {
    assert.ok([...seen].some((u) => u.startsWith(`/assets/${f}?v=`)), `${f} is referenced by hash`);
  }
});

test('HEAD answers the headers of GET and no body', async () => {
  for (const ae of ['br', 'gzip', 'identity']) {
    const g = await get('/assets/app.js', { 'Accept-Encoding': ae });
    const h = await get('/assets/app.js', { 'Accept-Encoding': ae }, 'HEAD');
    assert.equal(h.status, 200);
    assert.equal(h.body.length, 0);
    assert.equal(h.headers['content-length'], String(g.body.length));
    for (const k of ['etag', 'content-encoding', 'cache-control', 'content-type', 'content-security-policy']) {
      assert.equal(h.headers[k], g.headers[k], k);
    }
  }
});

test('an unknown file is a 404 in JSON, in any encoding', async () => {
  for (const p of ['/assets/nope.js', '/assets/..%2fapp.js', '/assets/sub/app.js', '/nope.html', '/assets/']) {
    const r = await get(p, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(r.status, 404, p);
    assert.equal(r.headers.etag, undefined, p);
    assert.equal(JSON.parse(decode(r)).error.code, 'request.no_route', p);
  }
});

test('large JSON answers are gzipped for clients that take gzip, small ones not', async () => {
  const big = await get('/api/v1/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(big.status, 200);
  assert.equal(big.headers['content-encoding'], 'gzip');
  varies(big);
  const plainBig = await get('/api/v1/openapi.json', { 'Accept-Encoding': 'identity' });
  assert.equal(plainBig.headers['content-encoding'], undefined);
  assert.ok(big.body.length < plainBig.body.length / 3);
  assert.deepEqual(JSON.parse(decode(big)), JSON.parse(plainBig.body));
  const noGzip = await get('/api/v1/openapi.json', { 'Accept-Encoding': 'br, gzip;q=0' });
  assert.equal(noGzip.headers['content-encoding'], undefined);
  const small = await get('/healthz', { 'Accept-Encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  varies(small);
});
