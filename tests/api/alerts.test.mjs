// alerts.test.mjs - live alerts and notifications (issue 13): GET
// /api/v1/alerts per role, the sweep's crossings (near due, overdue) made
// once, the daily digest once per working day and never on a day off, the
// bell's list and marking read, the digest's e-mail through a real (tiny)
// SMTP server, and the endpoints' refusals.
//
// A node without the demo data gets three dossiers at a pinned Monday
// 2026-03-02 08:00. Due times, worked out by hand (07:00-11:30, 13:30-17:00):
//   A  1 working day,  assigned to chuyenvien   due Tue 03-03 08:00
//   B  3 working days, assigned to chuyenvien2  due Thu 03-05 08:00
//      (Mon 7 h, Tue 8, Wed 8, Thu 07:00 + 1 h)
//   C  1 working day,  nobody assigned          due Tue 03-03 08:00
// A and C's procedure has a handling unit on the commune's list, B's not.
// The sweep is stepped by hand (motcua notify-sweep at a pinned clock; the
// server's own sweeper is off, MOTCUA_NOTIFY_SWEEP=0) except in the last
// test, which checks that serve sweeps by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import net from 'node:net';
import {
  ROOT, BIN, startNode, startServer, stopServer, stopNode, motcua, bearer, client, newDossier, applicant,
} from './harness.mjs';

const PASSWORD = 'mat-khau-canh-bao';
const P1W = '1.003133'; // 1 working day
const P3W = '1.002755'; // 3 working days
const UNIT = 'Công chức Tư pháp - Hộ tịch';
const USERS = [
  ['quantri', 'admin', 'Quản Trị'],
  ['tiepnhan', 'reception', 'Tiếp Nhận'],
  ['chuyenvien', 'specialist', 'Chuyên Viên Một'],
  ['chuyenvien2', 'specialist', 'Chuyên Viên Hai'],
  ['lanhdao', 'leader', 'Lãnh Đạo'],
  ['giamsat', 'supervisor', 'Giám Sát'],
];

let node;
const tok = {};
const as = {};
const code = {};
const CLOSE = { headers: { Connection: 'close' } };
const closing = (c) => ({
  get: (p) => c.get(p, CLOSE),
  post: (p, b, extra) => c.post(p, b, { ...CLOSE, ...(extra || {}) }),
  patch: (p, b) => c.patch(p, b, CLOSE),
  put: (p, b) => c.req('PUT', p, b, CLOSE),
});

function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 400)}`);
  return res.json;
}

// The server, its clock pinned, around fn; the sweeper off unless asked.
async function at(clock, fn, { sweeper = false } = {}) {
  node.env = { MOTCUA_TEST_NOW: clock, ...(sweeper ? {} : { MOTCUA_NOTIFY_SWEEP: '0' }) };
  await startServer(node);
  try { return await fn(); } finally { await stopServer(node); }
}

// One sweep at clock, run without blocking this process (the SMTP server
// below answers from it).
function sweep(clock) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['notify-sweep', '--dir', node.data], { env: { ...process.env, MOTCUA_TEST_NOW: clock }, encoding: 'utf8' },
      (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(JSON.parse(out))));
  });
}

before(async () => {
  node = await startNode({ demo: false, env: { MOTCUA_TEST_NOW: '2026-03-02 07:00', MOTCUA_NOTIFY_SWEEP: '0' } });
  await stopServer(node);
  const env = { ...process.env, MOTCUA_TEST_NOW: '2026-03-02 07:00' };
  for (const [login_, role, name] of USERS) {
    motcua(['user', 'add', login_, '--role', role, '--name', name, '--dir', node.data], { env, input: PASSWORD + '\n' });
    tok[login_] = motcua(['token', 'create', login_, '--dir', node.data], { env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    as[login_] = closing(bearer(node, tok[login_]));
  }
  const wanted = new Set([P1W, P3W]);
  const lines = readFileSync(join(ROOT, 'data/catalog/commune.jsonl'), 'utf8').split('\n')
    .filter((l) => l && wanted.has(JSON.parse(l).code));
  assert.equal(lines.length, 2);
  const file = join(node.dir, 'procedures.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  motcua(['catalog', 'import', file, '--dir', node.data], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  await at('2026-03-02 08:00', async () => {
    ok(await as.quantri.put(`/api/v1/local-procedures/${P1W}`, {
      enabled: true, times: { direct: { time: 1, unit: 'working_days' } }, handling_unit: UNIT, source: 'Quyết định 1/QĐ-UBND',
    }), 200, 'handling unit');
    // Once the commune keeps a list, only what is on it is received.
    ok(await as.quantri.put(`/api/v1/local-procedures/${P3W}`, {
      enabled: true, times: { direct: { time: 3, unit: 'working_days' } }, source: 'Quyết định 1/QĐ-UBND',
    }), 200, 'enable B\'s procedure');
    let n = 0;
    for (const [k, proc] of [['A', P1W], ['B', P3W], ['C', P1W]]) {
      n++;
      const d = ok(await as.tiepnhan.post('/api/v1/dossiers', newDossier({
        procedure: proc, applicant: { ...applicant(`Người Thử ${k}`), phone: `091200000${n}` },
      })), 201, `receive ${k}`);
      code[k] = d.code;
    }
    ok(await as.tiepnhan.post(`/api/v1/dossiers/${code.A}/actions`, { action: 'assign', to: 'chuyenvien' }), 200, 'assign A');
    ok(await as.tiepnhan.post(`/api/v1/dossiers/${code.B}/actions`, { action: 'assign', to: 'chuyenvien2' }), 200, 'assign B');
    const a = ok(await as.lanhdao.get(`/api/v1/dossiers/${code.A}`), 200, 'A');
    assert.equal(a.due_at, '2026-03-03T08:00:00+07:00');
    const b = ok(await as.lanhdao.get(`/api/v1/dossiers/${code.B}`), 200, 'B');
    assert.equal(b.due_at, '2026-03-05T08:00:00+07:00');
  });
});

after(async () => { if (node) await stopNode(node); });

// ---- the sweep, stepped through the week ----

const STEPS = [
  // Mon 10:00: A and C due within a working day; digests for the four
  // officers with open work (admin and supervisor have none of their own).
  { at: '2026-03-02 10:00', want: { near_due: 2, overdue: 0, digests: 4 } },
  { at: '2026-03-02 10:01', want: { near_due: 0, overdue: 0, digests: 0 } }, // nothing twice
  // Tue 08:30: A and C overdue: A to chuyenvien and lanhdao, C to lanhdao.
  { at: '2026-03-03 08:30', want: { near_due: 0, overdue: 3, digests: 4 } },
  { at: '2026-03-03 06:59', want: { near_due: 0, overdue: 0, digests: 0 } }, // before office hours: no digest
  // Wed 09:00: B due Thu 08:00 is near.
  { at: '2026-03-04 09:00', want: { near_due: 1, overdue: 0, digests: 4 } },
  // Sat 09:00: a day off: B's overdue is told, no digest.
  { at: '2026-03-07 09:00', want: { near_due: 0, overdue: 2, digests: 0 } },
  { at: '2026-03-08 09:00', want: { near_due: 0, overdue: 0, digests: 0 } },
];

test('the sweep tells each crossing once and digests once a working day', async () => {
  // Wed is checked by the alerts below at that clock: sweep up to there
  // first, the rest after.
  for (const s of STEPS.slice(0, 5)) {
    const got = await sweep(s.at);
    assert.deepEqual({ near_due: got.near_due, overdue: got.overdue, digests: got.digests }, s.want, `sweep at ${s.at}`);
  }
});

test('alerts: each role sees its own, leaders by officer and by unit', async () => {
  await at('2026-03-04 09:00', async () => {
    const l = ok(await as.lanhdao.get('/api/v1/alerts'), 200, 'leader');
    assert.equal(l.near_due_before, '2026-03-05T09:00:01+07:00');
    assert.equal(l.overdue.total, 2);
    assert.equal(l.near_due.total, 1);
    assert.deepEqual(l.overdue.by_officer, [
      { login: 'chuyenvien', name: 'Chuyên Viên Một', count: 1 },
      { login: '', name: 'Chưa phân công', count: 1 },
    ]);
    assert.deepEqual(l.overdue.by_unit, [{ unit: UNIT, count: 2 }]);
    assert.deepEqual(l.near_due.by_officer, [{ login: 'chuyenvien2', name: 'Chuyên Viên Hai', count: 1 }]);
    assert.deepEqual(l.near_due.by_unit, [{ unit: 'Chưa phân đơn vị', count: 1 }]);
    // soonest due first, then by code (A and C were received in that order)
    assert.deepEqual(l.items.map((i) => i.code), [code.A, code.C, code.B]);
    const a = l.items.find((i) => i.code === code.A);
    // Tue 08:00-17:00 (7 working hours) and Wed 07:00-09:00 (2)
    assert.equal(a.overdue_by_minutes, 9 * 60);
    assert.equal(a.overdue, true);
    assert.equal(a.near_due, false);
    assert.equal(a.applicant, 'Người Thử A');
    assert.equal(a.assignee_name, 'Chuyên Viên Một');
    assert.equal(a.unit, UNIT);
    assert.ok(a.procedure_name.length > 0);
    const b = l.items.find((i) => i.code === code.B);
    assert.equal(b.overdue_by_minutes, 0);
    assert.equal(b.near_due, true);

    for (const [who, codes] of [['chuyenvien', [code.A]], ['chuyenvien2', [code.B]], ['tiepnhan', [code.C]],
      ['giamsat', [code.A, code.C, code.B]], ['quantri', [code.A, code.C, code.B]]]) {
      const r = ok(await as[who].get('/api/v1/alerts'), 200, who);
      assert.deepEqual(new Set(r.items.map((i) => i.code)), new Set(codes), who);
      assert.equal(r.overdue.total + r.near_due.total, codes.length, who);
    }
    const s = ok(await as.chuyenvien.get('/api/v1/alerts'), 200, 'specialist');
    assert.deepEqual(s.overdue.by_officer, [{ login: 'chuyenvien', name: 'Chuyên Viên Một', count: 1 }]);
  });
});

test('the bell: own notifications, unread count, mark read', async () => {
  await at('2026-03-04 09:30', async () => {
    const l = ok(await as.lanhdao.get('/api/v1/notifications'), 200, 'list');
    // C near due (nobody assigned: the leaders), A and C overdue, three digests
    const kinds = l.items.map((n) => n.kind).sort();
    assert.deepEqual(kinds, ['digest', 'digest', 'digest', 'near_due', 'overdue', 'overdue']);
    assert.equal(l.unread, 6);
    assert.ok(l.items.every((n) => n.read_at === null));
    const over = l.items.filter((n) => n.kind === 'overdue').map((n) => n.dossier).sort();
    assert.deepEqual(over, [code.A, code.C].sort());
    const dg = l.items.find((n) => n.kind === 'digest');
    assert.equal(dg.dossier, null);
    assert.match(dg.title, /^Công việc ngày 04\/03\/2026: 2 hồ sơ quá hạn, 1 hồ sơ sắp đến hạn$/);
    assert.ok(dg.body.includes(code.A) && dg.body.includes(code.B) && dg.body.includes(code.C), dg.body);
    // newest first
    const ids = l.items.map((n) => n.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));

    const cv = ok(await as.chuyenvien.get('/api/v1/notifications'), 200, 'specialist');
    assert.deepEqual(cv.items.map((n) => n.kind).sort(), ['digest', 'digest', 'digest', 'near_due', 'overdue']);
    assert.ok(cv.items.every((n) => n.dossier === null || n.dossier === code.A));
    const a1 = cv.items.find((n) => n.kind === 'near_due');
    assert.equal(a1.title, `Hồ sơ ${code.A} sắp đến hạn`);

    // Another's ids change nothing.
    assert.equal(ok(await as.chuyenvien.post('/api/v1/notifications/read', { ids: [ids[0], ids[1]] }), 200, 'others').unread, 5);
    assert.equal(ok(await as.lanhdao.get('/api/v1/notifications?unread=1&limit=2'), 200, 'page').unread, 6);
    assert.equal(ok(await as.lanhdao.post('/api/v1/notifications/read', { ids: [ids[0], ids[1], 999999] }), 200, 'read two').unread, 4);
    const unread = ok(await as.lanhdao.get('/api/v1/notifications?unread=true'), 200, 'unread');
    assert.equal(unread.items.length, 4);
    assert.ok(!unread.items.some((n) => n.id === ids[0] || n.id === ids[1]));
    const page = ok(await as.lanhdao.get('/api/v1/notifications?limit=1'), 200, 'limit');
    assert.equal(page.items.length, 1);
    assert.ok(page.items[0].read_at);
    assert.equal(ok(await as.lanhdao.post('/api/v1/notifications/read', { all: true }), 200, 'all').unread, 0);
    assert.equal(ok(await as.chuyenvien.get('/api/v1/notifications'), 200, 'still').unread, 5);
  });
});

test('the rest of the week: an overdue on Saturday, no digest on days off', async () => {
  for (const s of STEPS.slice(5)) {
    const got = await sweep(s.at);
    assert.deepEqual({ near_due: got.near_due, overdue: got.overdue, digests: got.digests }, s.want, `sweep at ${s.at}`);
  }
});

test('bad input is refused and changes nothing', async () => {
  await at('2026-03-09 08:00', async () => {
    const before_ = ok(await as.chuyenvien.get('/api/v1/notifications'), 200, 'before').unread;
    const R = '/api/v1/notifications/read';
    const cases = [
      ['not JSON', '{"ids": [1,', 400, 'request.malformed_json'],
      ['unknown field', { ids: [1], everything: true }, 400, 'request.unknown_field'],
      ['ids not integers', { ids: ['1'] }, 400, 'request.bad_field'],
      ['ids fractional', { ids: [1.5] }, 400, 'request.bad_field'],
      ['ids negative', { ids: [-1] }, 400, 'request.bad_field'],
      ['ids an object', { ids: { a: 1 } }, 400, 'request.bad_field'],
      ['too many ids', { ids: Array.from({ length: 501 }, (_, i) => i + 1) }, 400, 'request.bad_field'],
      ['all false', { all: false }, 400, 'request.bad_field'],
      ['both', { all: true, ids: [1] }, 400, 'request.bad_field'],
      ['nothing', {}, 400, 'request.bad_field'],
      ['an array', [1, 2], 400, null],
    ];
    for (const [name, body, status, codeWanted] of cases) {
      const r = await as.chuyenvien.post(R, body);
      assert.equal(r.status, status, `${name}: ${r.text}`);
      if (codeWanted) assert.equal(r.json.error.code, codeWanted, name);
    }
    const huge = JSON.stringify({ ids: [1], pad: 'x'.repeat((1 << 20) + 10) });
    assert.equal((await as.chuyenvien.post(R, huge)).status, 413);
    assert.equal(ok(await as.chuyenvien.get('/api/v1/notifications'), 200, 'after').unread, before_);
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'unread=maybe']) {
      assert.equal((await as.chuyenvien.get('/api/v1/notifications?' + q)).status, 400, q);
    }

    // Nobody signed in: 401 everywhere.
    const anon = closing(client(node));
    for (const [m, p] of [['GET', '/api/v1/alerts'], ['GET', '/api/v1/notifications'], ['POST', R],
      ['GET', '/api/v1/settings/smtp'], ['PUT', '/api/v1/settings/smtp']]) {
      const r = m === 'GET' ? await anon.get(p) : m === 'PUT' ? await anon.put(p, { url: '' }) : await anon.post(p, { all: true });
      assert.equal(r.status, 401, `${m} ${p}`);
    }
    // The SMTP settings are the admin's.
    for (const who of ['chuyenvien', 'lanhdao', 'giamsat', 'tiepnhan']) {
      assert.equal((await as[who].get('/api/v1/settings/smtp')).status, 403, who);
      assert.equal((await as[who].put('/api/v1/settings/smtp', { url: '' })).status, 403, who);
    }
    const S = '/api/v1/settings/smtp';
    for (const [name, body] of [
      ['http url', { url: 'http://mail.example.vn', from: 'a@example.vn' }],
      ['url with a path', { url: 'smtp://mail.example.vn/x', from: 'a@example.vn' }],
      ['bad from', { url: 'smtp://mail.example.vn:25', from: 'không phải thư' }],
      ['from with a line break', { url: 'smtp://mail.example.vn:25', from: 'a@example.vn\r\nBcc: x@y.vn' }],
      ['url without from', { url: 'smtp://mail.example.vn:25' }],
      ['unknown field', { url: '', port: 25 }],
      ['nothing', {}],
      ['number', { url: 25 }],
    ]) assert.equal((await as.quantri.put(S, body)).status, 400, name);
    assert.deepEqual(ok(await as.quantri.get(S), 200, 'smtp'), { url: '', user: '', from: '', password_set: false });
    // A bad e-mail on an account is refused, the account not made.
    assert.equal((await as.quantri.post('/api/v1/users', { login: 'moi', name: 'Mới', role: 'specialist', password: PASSWORD, email: 'x@' })).status, 400);
    assert.equal((await as.quantri.get('/api/v1/users')).json.items.some((u) => u.login === 'moi'), false);
    assert.equal((await as.quantri.patch('/api/v1/users/chuyenvien', { email: 'a b@c.vn' })).status, 400);
  });
});

// ---- e-mail: a tiny SMTP server on 127.0.0.1 ----

function smtpServer() {
  const mails = [];
  const server = net.createServer((sock) => {
    let buf = '', data = null, mail = null;
    const say = (l) => sock.write(l + '\r\n');
    say('220 test ESMTP');
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data !== null) {
          if (line === '.') { mail.data = Buffer.from(data.join('\r\n'), 'latin1').toString('utf8'); mails.push(mail); data = null; say('250 queued'); } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') say('250 test');
        else if (cmd === 'MAIL') { mail = { from: line.slice(10), rcpt: [] }; say('250 ok'); } else if (cmd === 'RCPT') { mail.rcpt.push(line.slice(8)); say('250 ok'); } else if (cmd === 'DATA') { data = []; say('354 go on'); } else if (cmd === 'QUIT') { say('221 bye'); sock.end(); } else if (cmd === 'RSET' || cmd === 'NOOP') say('250 ok');
        else say('502 no');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, mails, port: server.address().port })));
}

// Headers (unfolded) and the decoded body of a message.
function parseMail(text) {
  const [head, ...rest] = text.split('\r\n\r\n');
  const headers = {};
  for (const l of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const k = l.slice(0, l.indexOf(':')).toLowerCase();
    headers[k] = l.slice(l.indexOf(':') + 1).trim();
  }
  const decodeWords = (v) => v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/g, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
  return { headers, subject: decodeWords(headers.subject), from: decodeWords(headers.from), body: Buffer.from(rest.join('\r\n\r\n').replace(/\r\n/g, ''), 'base64').toString('utf8') };
}

test('the digest goes by e-mail when SMTP is set and the officer has an address', async () => {
  const smtp = await smtpServer();
  try {
    await at('2026-03-09 08:00', async () => {
      const s = ok(await as.quantri.put('/api/v1/settings/smtp', {
        url: `smtp://127.0.0.1:${smtp.port}`, user: '', password: 'bi-mat-lam', from: 'motcua@xa.example.vn',
      }), 200, 'set smtp');
      assert.deepEqual(s, { url: `smtp://127.0.0.1:${smtp.port}`, user: '', from: 'motcua@xa.example.vn', password_set: true });
      const g = ok(await as.quantri.get('/api/v1/settings/smtp'), 200, 'get smtp');
      assert.ok(!JSON.stringify(g).includes('bi-mat-lam'));
      assert.ok(!JSON.stringify(ok(await as.quantri.get('/api/v1/settings'), 200, 'settings')).includes('bi-mat-lam'));
      const u = ok(await as.quantri.patch('/api/v1/users/chuyenvien', { email: 'chuyenvien@xa.example.vn' }), 200, 'email');
      assert.equal(u.email, 'chuyenvien@xa.example.vn');
      const n = ok(await as.quantri.post('/api/v1/users', { login: 'chuyenvien3', name: 'Chuyên Viên Ba', role: 'specialist', password: PASSWORD, email: 'cv3@xa.example.vn' }), 201, 'new user');
      assert.equal(n.email, 'cv3@xa.example.vn');
    });
    // Tue 10 March 07:00, the first working instant: digests for the
    // officers with open work; chuyenvien's also by e-mail (chuyenvien3
    // has an address but no work).
    const got = await sweep('2026-03-10 07:00');
    assert.equal(got.digests, 4);
    assert.equal(got.emailed, 1);
    assert.equal(got.email_failed, 0);
    assert.equal(smtp.mails.length, 1);
    const m = smtp.mails[0];
    assert.equal(m.from, '<motcua@xa.example.vn>');
    assert.deepEqual(m.rcpt, ['<chuyenvien@xa.example.vn>']);
    const p = parseMail(m.data);
    assert.equal(p.headers.to, '<chuyenvien@xa.example.vn>');
    assert.match(p.headers['content-type'], /^text\/plain; charset=UTF-8$/);
    assert.ok(p.headers.date && p.headers['message-id']);
    assert.equal(p.subject, 'Công việc ngày 10/03/2026: 1 hồ sơ quá hạn, 0 hồ sơ sắp đến hạn');
    assert.ok(p.body.startsWith('Kính gửi Chuyên Viên Một,'), p.body);
    assert.ok(p.body.includes(code.A), p.body);
    assert.ok(!p.body.includes(code.B), 'only their own');
    // Sent once: a second sweep sends nothing.
    assert.equal((await sweep('2026-03-10 07:05')).emailed, 0);
    assert.equal(smtp.mails.length, 1);
    await at('2026-03-10 07:10', async () => {
      const l = ok(await as.chuyenvien.get('/api/v1/notifications?limit=1'), 200, 'list');
      assert.equal(l.items[0].kind, 'digest');
      assert.equal(l.items[0].emailed_at, '2026-03-10T07:00:00+07:00');
      assert.equal(l.items[0].email_error, null);
    });
  } finally {
    await new Promise((r) => smtp.server.close(r));
  }
  // The server is gone: the next day's e-mail fails and says why.
  const got = await sweep('2026-03-11 07:00');
  assert.equal(got.email_failed, 1);
  await at('2026-03-11 07:10', async () => {
    const l = ok(await as.chuyenvien.get('/api/v1/notifications?limit=1'), 200, 'list');
    assert.equal(l.items[0].emailed_at, null);
    assert.ok(l.items[0].email_error && l.items[0].email_error.length > 0);
  });
});

test('serve sweeps by itself', async () => {
  // Thursday 12 March: nobody swept yet today; serve's sweeper does.
  await at('2026-03-12 08:00', async () => {
    let l;
    for (let i = 0; i < 100; i++) {
      l = ok(await as.chuyenvien2.get('/api/v1/notifications?limit=1'), 200, 'list');
      if (l.items[0] && l.items[0].title.includes('12/03/2026')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(l.items[0].title, /^Công việc ngày 12\/03\/2026/);
  }, { sweeper: true });
});
