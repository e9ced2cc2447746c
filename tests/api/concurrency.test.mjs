// concurrency.test.mjs - the cap on requests in flight per session or API
// token (issue 9, "Tests"; src/http/route.c INFLIGHT_MAX, docs/api.md: "one
// session or token may have 8 requests in flight (429 beyond)").
//
// The requests are made slow without any timing: each is a POST whose head
// carries "Expect: 100-continue" and a Content-Length, and whose body the
// test holds back. The server decides a request from its head alone and
// counts it in flight from then on (http_admit), so "100 Continue" on a
// socket proves the request was admitted and is now in flight; it stays in
// flight until the test sends the body and the answer is written (or the
// client goes away). A request over the cap gets its 429 at once, before its
// body. Nothing here depends on how long a request takes, and the first test
// fails if the cap is removed (every held request would be admitted).
//
// The slot is freed when the server has finished the request (its
// "completed" callback, which also writes the access-log line), a moment
// after the client has read the answer; the tests wait for those log lines
// before they use the session again.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startNode, stopNode, login, bearer, client, newDossier, motcua } from './harness.mjs';

const ENV = { MOTCUA_TEST_NOW: '2026-03-02 09:00' };
const CAP = 8; // docs/api.md: one session or token may have 8 requests in flight
const CLOSE = { headers: { Connection: 'close' } };

let node;
const sockets = new Set(); // raw sockets still open, closed after each test
before(async () => { node = await startNode({ env: ENV }); });
afterEach(() => { for (const s of sockets) s.destroy(); sockets.clear(); });
after(async () => { if (node) await stopNode(node); });

// A POST /api/v1/dossiers over its own socket, head first. auth: headers
// that authenticate (Cookie and X-CSRF-Token, or Authorization).
//   admitted: resolves 'continue' (the server sent 100 Continue: the request
//             is in flight), 'answered' (a final answer came first) or 'closed'
//   final:    resolves the final answer { status, headers, json, text }
//   sendBody(): sends the held body;  abandon(): closes the socket unsent
function heldPost(n, auth) {
  const body = Buffer.from(JSON.stringify(newDossier({ summary: 'Hồ sơ giữ lại' })));
  const sock = net.connect({ host: '127.0.0.1', port: n.port });
  sockets.add(sock);
  sock.on('close', () => sockets.delete(sock));
  let buf = Buffer.alloc(0);
  let done = false;
  let admit, finish;
  const admitted = new Promise((r) => { admit = r; });
  const final = new Promise((r) => { finish = r; });
  const parse = () => {
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      if (status === 100) {
        buf = buf.subarray(end + 4);
        admit('continue');
        continue;
      }
      const len = Number(headers['content-length'] || 0);
      if (buf.length < end + 4 + len) return;
      const text = buf.subarray(end + 4, end + 4 + len).toString('utf8');
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      done = true;
      admit('answered');
      finish({ status, headers, json, text });
      sock.destroy();
      return;
    }
  };
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); parse(); });
  sock.on('error', () => {});
  sock.on('close', () => {
    if (done) return;
    admit('closed');
    finish({ status: 0, headers: {}, json: null, text: 'connection closed without an answer' });
  });
  const head = [
    'POST /api/v1/dossiers HTTP/1.1',
    'Host: 127.0.0.1',
    ...Object.entries(auth).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    'Expect: 100-continue',
    'Connection: close',
    '', '',
  ].join('\r\n');
  sock.write(head);
  return {
    admitted,
    final,
    sendBody: () => sock.write(body),
    abandon: () => sock.destroy(),
  };
}

const sessionAuth = (c) => ({ Cookie: c.cookie, 'X-CSRF-Token': c.csrf });
const bearerAuth = (token) => ({ Authorization: `Bearer ${token}` });

// Fires count held POSTs at once; returns { held, refused } once each has
// been admitted or answered.
async function fireHeld(auth, count) {
  const reqs = Array.from({ length: count }, () => heldPost(node, auth));
  const how = await Promise.all(reqs.map((r) => r.admitted));
  const held = reqs.filter((_, i) => how[i] === 'continue');
  const refused = await Promise.all(reqs.filter((_, i) => how[i] !== 'continue').map((r) => r.final));
  return { held, refused, how };
}

function assert429(res, what) {
  assert.equal(res.status, 429, `${what}: expected 429, got ${res.status}: ${String(res.text).slice(0, 300)}`);
  const ra = typeof res.headers.get === 'function' ? res.headers.get('retry-after') : res.headers['retry-after'];
  assert.match(ra || '', /^\d+$/, `${what}: Retry-After in seconds`);
  assert.ok(Number(ra) >= 1, `${what}: Retry-After ${ra}`);
  assert.ok(res.json && res.json.error, `${what}: a JSON error body`);
  assert.equal(typeof res.json.error.code, 'string', `${what}: error.code`);
  assert.ok(res.json.error.code.length > 0, `${what}: error.code is not empty`);
}

// Lines of the access log matching re (the server writes a request's line
// after it has released its slot).
const logCount = (re) => node.log.split('\n').filter((l) => re.test(l)).length;
async function waitForLog(re, count, what) {
  for (let i = 0; i < 400; i++) {
    if (logCount(re) >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`${what}: ${logCount(re)} of ${count} access-log lines /${re.source}/ after 10 s`);
}

const burst = (c, path, count) => Promise.all(Array.from({ length: count }, () => c.get(path, CLOSE)));
const LIST = '/api/v1/dossiers?limit=500';
const CREATED = / POST \/api\/v1\/dossiers 201 /;

test(`one session with ${CAP} requests in flight gets 429 beyond them; a second session of the same officer is not held back; once they finish the first works again`, async () => {
  const a = await login(node, 'tiepnhan');
  const b = await login(node, 'tiepnhan');
  const created0 = logCount(CREATED);

  // 20 slow requests at once: exactly CAP are admitted, the others refused.
  const { held, refused } = await fireHeld(sessionAuth(a), 20);
  assert.equal(held.length, CAP, `admitted in flight at once (cap ${CAP})`);
  assert.equal(refused.length, 20 - CAP);
  for (const r of refused) assert429(r, 'a held request over the cap');

  // While they are held: every further request of session a is refused ...
  const fromA = await burst(a, LIST, 10);
  fromA.forEach((r, i) => assert429(r, `session a, GET #${i + 1} while ${CAP} are in flight`));
  assert429(await a.get('/api/v1/me', CLOSE), 'session a, GET /me');
  // ... and the other session's requests, as many at once as the cap, all succeed.
  const fromB = await burst(b, LIST, CAP);
  fromB.forEach((r, i) => assert.equal(r.status, 200, `session b, GET #${i + 1}: ${r.text.slice(0, 200)}`));
  assert.ok(fromB[0].json.items.length > 0);
  assert.equal((await b.post('/api/v1/dossiers', newDossier(), CLOSE)).status, 201, 'session b may write too');

  // The held requests complete normally.
  for (const h of held) h.sendBody();
  const answers = await Promise.all(held.map((h) => h.final));
  answers.forEach((r, i) => assert.equal(r.status, 201, `held request #${i + 1}: ${r.text.slice(0, 200)}`));
  await waitForLog(CREATED, created0 + CAP + 1, 'the held requests finished');

  // Session a has its whole allowance back.
  const again = await burst(a, LIST, CAP);
  again.forEach((r, i) => assert.equal(r.status, 200, `session a again, GET #${i + 1}: ${r.text.slice(0, 200)}`));
  assert.equal((await a.get('/api/v1/me', CLOSE)).status, 200);
});

test('an API token has its own cap: held at the cap it gets 429, the same officer\'s session does not', async () => {
  const newToken = (login_) => motcua(['token', 'create', login_, '--dir', node.data],
    { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  // The reception officer's token holds its requests (POST /dossiers is
  // theirs); the leader is another officer with a token and a session.
  const rtoken = newToken('tiepnhan');
  const rapi = bearer(node, rtoken);
  const rsession = await login(node, 'tiepnhan');
  const api = bearer(node, newToken('lanhdao'));
  const session = await login(node, 'lanhdao');
  assert.equal((await rapi.get('/api/v1/me', CLOSE)).status, 200);
  const created0 = logCount(CREATED);
  const { held, refused } = await fireHeld(bearerAuth(rtoken), CAP + 4);
  assert.equal(held.length, CAP, 'admitted in flight for the token');
  for (const r of refused) assert429(r, 'a held request of the token over the cap');
  (await burst(rapi, LIST, 4)).forEach((r, i) => assert429(r, `token GET #${i + 1}`));
  (await burst(rsession, LIST, CAP)).forEach((r, i) => assert.equal(r.status, 200, `the officer's session, GET #${i + 1}`));
  // Other officers' tokens and sessions are not affected either.
  assert.equal((await api.get(LIST, CLOSE)).status, 200, 'another officer\'s token');
  assert.equal((await session.get(LIST, CLOSE)).status, 200, 'another officer\'s session');

  for (const h of held) h.sendBody();
  (await Promise.all(held.map((h) => h.final))).forEach((r, i) => assert.equal(r.status, 201, `held #${i + 1}`));
  await waitForLog(CREATED, created0 + CAP, 'the token\'s held requests finished');
  (await burst(rapi, LIST, CAP)).forEach((r, i) => assert.equal(r.status, 200, `token again, GET #${i + 1}`));
});

test('requests abandoned by the client free their slots: the session works again', async () => {
  const c = await login(node, 'tiepnhan');
  const aborted = / POST \/api\/v1\/dossiers \d+ [\d.]+ms \(aborted\)/;
  const aborted0 = logCount(aborted);
  const { held } = await fireHeld(sessionAuth(c), CAP);
  assert.equal(held.length, CAP);
  assert429(await c.get(LIST, CLOSE), 'the session while its requests hang');
  for (const h of held) h.abandon();
  await waitForLog(aborted, aborted0 + CAP, 'the server noticed the abandoned requests');
  (await burst(c, LIST, CAP)).forEach((r, i) => assert.equal(r.status, 200, `GET #${i + 1} after the abandoned requests`));
});

test('requests refused before they are admitted (no CSRF token, wrong role) take no slot', async () => {
  const c = await login(node, 'chuyenvien');
  const noCsrf = client(node, { cookie: c.cookie });
  // 3 × CAP refusals, one after the other: none of them holds a slot.
  for (let i = 0; i < 3 * CAP; i++) {
    const r = i % 2 ? await noCsrf.post('/api/v1/dossiers', newDossier(), CLOSE) : await c.post('/api/v1/dossiers', newDossier(), CLOSE);
    assert.equal(r.status, 403, `refusal #${i + 1}: ${r.text.slice(0, 200)}`);
  }
  (await burst(c, LIST, CAP)).forEach((r, i) => assert.equal(r.status, 200, `GET #${i + 1}`));
});
