// badinput.test.mjs - a table of bad requests (issue 4, "Done when"): malformed
// JSON, wrong types, missing and extra fields, overlong strings, invalid
// UTF-8, NUL bytes, huge numbers, bad limits, traversal-looking codes, SQL
// metacharacters, wrong content types, bodies past the 1 MiB limit (with
// Content-Length and chunked), bodies on GET, unknown endpoints and methods,
// bad query values, bad actions and wrong states, bad roles and logins.
// Every one must be answered 4xx with {"error":{"code","message"}}; after the
// table the server is still up and the event log has not grown.
// Requests go through node:http so that any body, header or method can be sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startNode, stopNode, login, eventCount, newDossier, applicant } from './harness.mjs';

let node;
let admin; // quantri (admin), signed in by cookie
let supervisor; // giamsat
let reception; // tiepnhan
const fx = {}; // demo dossiers in given states

const SQL1 = "' OR 1=1 --";
const SQL2 = '"; DROP TABLE dossier; --';

// One raw HTTP request. body: string | Buffer | undefined; chunks: an array of
// Buffers sent with Transfer-Encoding: chunked.
function send({ method = 'GET', path, headers = {}, body, chunks, timeout = 30000 }) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn, v) => { if (!done) { done = true; fn(v); } };
    const h = { ...headers };
    if (body !== undefined && !chunks) h['Content-Length'] = String(Buffer.byteLength(body));
    if (chunks) h['Transfer-Encoding'] = 'chunked';
    const req = http.request({ host: '127.0.0.1', port: node.port, method, path, headers: h, agent: false }, (res) => {
      const bufs = [];
      res.on('data', (d) => bufs.push(d));
      res.on('end', () => {
        const text = Buffer.concat(bufs).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        finish(resolve, { status: res.statusCode, text, json, headers: res.headers });
      });
      res.on('error', (e) => finish(reject, e));
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`no answer in ${timeout} ms`)));
    req.on('error', (e) => finish(reject, e));
    if (chunks) {
      (async () => {
        for (const c of chunks) {
          if (done) return;
          if (!req.write(c)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch((e) => finish(reject, e));
    } else if (body !== undefined) {
      req.end(body);
    } else {
      req.end();
    }
  });
}

// Headers for who sends the request.
function authHeaders(auth) {
  switch (auth) {
    case 'none': return {};
    case 'admin': return { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf };
    case 'supervisor': return { Cookie: supervisor.cookie, 'X-CSRF-Token': supervisor.csrf };
    case 'reception': return { Cookie: reception.cookie, 'X-CSRF-Token': reception.csrf };
    case 'nocsrf': return { Cookie: admin.cookie };
    case 'badcsrf': return { Cookie: admin.cookie, 'X-CSRF-Token': 'f'.repeat(64) };
    case 'shortcsrf': return { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf.slice(0, 32) };
    case 'othercsrf': return { Cookie: admin.cookie, 'X-CSRF-Token': reception.csrf };
    case 'bogus-cookie': return { Cookie: 'motcua_session=' + '0'.repeat(64), 'X-CSRF-Token': admin.csrf };
    case 'bearer-bad': return { Authorization: 'Bearer ' + 'a'.repeat(64) };
    case 'bearer-empty': return { Authorization: 'Bearer ' };
    case 'basic': return { Authorization: 'Basic cXVhbnRyaTptb3RjdWEtZGVtbw==' };
    default: throw new Error('unknown auth ' + auth);
  }
}

async function run(c) {
  const headers = { ...authHeaders(c.auth || 'admin') };
  let body = c.body;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) body = JSON.stringify(body);
  const hasBody = body !== undefined || c.chunks;
  if (hasBody && c.ct !== null) headers['Content-Type'] = c.ct || 'application/json';
  Object.assign(headers, c.headers || {});
  return send({ method: c.method || (hasBody ? 'POST' : 'GET'), path: c.path, headers, body, chunks: c.chunks, timeout: c.timeout });
}

const D = '/api/v1/dossiers';
const U = '/api/v1/users';
const S = '/api/v1/session';
const R = '/api/v1/public/ratings';
const repeat = (s, n) => s.repeat(n);
const deep = (n) => '['.repeat(n);
const MiB = 1024 * 1024;

// A JSON body with raw bytes spliced in where the marker @@ stands.
function withBytes(json, bytes) {
  const [a, b] = json.split('@@');
  return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]);
}
const dossierText = (name) => `{"procedure":"1.000253","channel":"direct","applicant":{"name":"${name}","id_number":"025090001234","phone":"0912345678"},"summary":"x"}`;

function cases() {
  const t = [];
  const add = (c) => t.push(c);
  const ok = newDossier();

  // ---- malformed JSON ----
  const mj = [
    ['truncated object', '{"procedure":"1.000253","chan'],
    ['lone brace', '{'],
    ['truncated string', '{"procedure":"1.000'],
    ['trailing garbage', JSON.stringify(ok) + ' xyz'],
    ['two objects', JSON.stringify(ok) + JSON.stringify(ok)],
    ['single quotes', "{'procedure':'1.000253','channel':'direct'}"],
    ['block comment', '{/* note */"procedure":"1.000253"}'],
    ['line comment', '// note\n' + JSON.stringify(ok)],
    ['unquoted keys', '{procedure:"1.000253"}'],
    ['trailing comma', '{"procedure":"1.000253",}'],
    ['BOM before object', '\uFEFF' + JSON.stringify(ok)],
    ['whitespace only', '   \n\t '],
    ['null', 'null'],
    ['array instead of object', JSON.stringify([ok])],
    ['empty array', '[]'],
    ['string instead of object', '"hello"'],
    ['number instead of object', '42'],
    ['true instead of object', 'true'],
    ['10000 [', deep(10000)],
    ['10000 [ and ]', deep(10000) + ']'.repeat(10000)],
    ['10000 nested objects', '{"a":'.repeat(10000) + '1' + '}'.repeat(10000)],
    ['depth bomb inside a field', '{"procedure":' + deep(10000) + '}'],
    ['duplicate keys', '{"procedure":"1.000253","procedure":"1.000253","channel":"direct"}'],
    ['invalid escape', '{"procedure":"\\x41"}'],
    ['lone surrogate escape', '{"procedure":"\\ud800"}'],
    ['raw newline in string', '{"procedure":"1.000\n253"}'],
    ['NaN literal', '{"procedure":NaN}'],
    ['hex number', '{"procedure":0x10}'],
    ['unterminated array value', '{"components":[{"name":"a"}'],
  ];
  for (const [n, b] of mj) add({ name: 'malformed JSON: ' + n, path: D, body: b, expect: 400 });
  add({ name: 'empty body', path: D, body: '', expect: 400 });
  add({ name: 'malformed JSON to /users', path: U, body: '{"login":', expect: 400 });
  add({ name: 'malformed JSON to /session', path: S, body: "{'login':'quantri'}", expect: 400 });
  add({ name: 'malformed JSON to PATCH /users', method: 'PATCH', path: U + '/tiepnhan', body: '{"name":}', expect: 400 });
  add({ name: 'malformed JSON to /actions', path: () => `${D}/${fx.received}/actions`, body: '{"action":"accept"', expect: 400 });
  add({ name: 'malformed JSON to /public/ratings', path: R, body: '[1,2', expect: 400 });
  add({ name: 'array body to /users', path: U, body: '[]', expect: 400 });
  add({ name: 'null body to PATCH /users', method: 'PATCH', path: U + '/tiepnhan', body: 'null', expect: 400 });

  // ---- invalid UTF-8 and NUL ----
  add({ name: 'invalid UTF-8 0xC3 0x28 in applicant.name', path: D, body: withBytes(dossierText('Nguy@@'), [0xc3, 0x28]), expect: 400 });
  add({ name: 'invalid UTF-8 0xFF in applicant.name', path: D, body: withBytes(dossierText('A@@B'), [0xff]), expect: 400 });
  add({ name: 'overlong UTF-8 0xC0 0xAF in applicant.name', path: D, body: withBytes(dossierText('..@@etc'), [0xc0, 0xaf]), expect: 400 });
  add({ name: 'UTF-8 surrogate 0xED 0xA0 0x80 in applicant.name', path: D, body: withBytes(dossierText('x@@'), [0xed, 0xa0, 0x80]), expect: 400 });
  add({ name: 'invalid UTF-8 0xFF in summary', path: D, body: withBytes('{"procedure":"1.000253","channel":"direct","applicant":{"name":"A","id_number":"025090001234","phone":"0912345678"},"summary":"@@"}', [0xff, 0xfe]), expect: 400 });
  add({ name: 'invalid UTF-8 in an object key', path: D, body: withBytes('{"@@":1}', [0xc3, 0x28]), expect: 400 });
  add({ name: 'invalid UTF-8 in /users name', path: U, body: withBytes('{"login":"moi.nguoi","name":"@@","role":"reception","password":"12345678abc"}', [0xc0, 0xaf]), expect: 400 });
  add({ name: 'invalid UTF-8 in /actions comment', path: () => `${D}/${fx.received}/actions`, body: withBytes('{"action":"refuse","comment":"@@"}', [0xc3, 0x28]), expect: 400 });
  add({ name: 'invalid UTF-8 in /session login', path: S, body: withBytes('{"login":"@@","password":"motcua-demo"}', [0xff]), expect: 400 });
  add({ name: '\\u0000 in applicant.name', path: D, body: dossierText('Nguy\\u0000en'), expect: 400 });
  add({ name: '\\u0000 in summary', path: D, body: JSON.stringify(newDossier({ summary: 'a\u0000b' })), expect: 400 });
  add({ name: '\\u0000 in /session login', path: S, body: '{"login":"quantri\\u0000x","password":"motcua-demo"}', expect: 400 });
  add({ name: '\\u0000 in PATCH /users password', method: 'PATCH', path: U + '/tiepnhan', body: '{"password":"abcdefgh\\u0000ijk"}', expect: 400 });
  add({ name: 'raw NUL inside a string', path: D, body: withBytes(dossierText('A@@B'), [0x00]), expect: 400 });
  add({ name: 'raw NUL after the object', path: D, body: Buffer.concat([Buffer.from(JSON.stringify(ok)), Buffer.from([0])]), expect: 400 });
  add({ name: 'raw NUL before the object', path: D, body: Buffer.concat([Buffer.from([0]), Buffer.from(JSON.stringify(ok))]), expect: 400 });
  add({ name: 'control character \\u0001 in applicant.name', path: D, body: JSON.stringify(newDossier({ applicant: applicant('A\u0001B') })), expect: 400 });

  // ---- POST /dossiers: wrong types, missing fields, extra fields ----
  const wrong = { number: 42, boolean: true, object: { a: 1 }, array: ['x'] };
  for (const f of ['procedure', 'channel', 'summary', 'received_at']) {
    for (const [k, v] of Object.entries(wrong)) {
      add({ name: `dossier ${f} as ${k}`, path: D, body: newDossier({ [f]: v }), expect: 400, msg: f });
    }
  }
  for (const f of ['name', 'id_number', 'phone', 'email', 'address']) {
    for (const [k, v] of Object.entries(wrong)) {
      add({ name: `dossier applicant.${f} as ${k}`, path: D, body: newDossier({ applicant: { ...applicant(), [f]: v } }), expect: 400, msg: f });
    }
  }
  for (const [k, v] of Object.entries({ string: 'Nguyễn Văn A', number: 7, array: [applicant()], boolean: false, null: null })) {
    add({ name: `dossier applicant as ${k}`, path: D, body: newDossier({ applicant: v }), expect: 400, msg: 'applicant' });
  }
  add({ name: 'dossier pending as string', path: D, body: newDossier({ channel: 'online', pending: 'yes' }), expect: 400, msg: 'pending' });
  add({ name: 'dossier pending as number', path: D, body: newDossier({ channel: 'online', pending: 1 }), expect: 400, msg: 'pending' });
  // pending with a direct channel is allowed: the desk records a dossier it then refuses or sends back
  // for a supplement as waiting for reception (issue 10 items 1 and 2; tests/api/records.test.mjs).
  add({ name: 'dossier components as string', path: D, body: newDossier({ components: 'CCCD' }), expect: 400, msg: 'components' });
  add({ name: 'dossier components as object', path: D, body: newDossier({ components: { name: 'CCCD' } }), expect: 400, msg: 'components' });
  add({ name: 'dossier components item as number', path: D, body: newDossier({ components: [1] }), expect: 400, msg: 'components' });
  add({ name: 'dossier components name as number', path: D, body: newDossier({ components: [{ name: 5, originals: 1, copies: 0 }] }), expect: 400, msg: 'components' });
  add({ name: 'dossier components originals negative', path: D, body: newDossier({ components: [{ name: 'Tờ khai', originals: -1, copies: 0 }] }), expect: 400, msg: 'originals' });
  add({ name: 'dossier components copies 1e400', path: D, body: '{"procedure":"1.000253","channel":"direct","applicant":{"name":"A","id_number":"025090001234","phone":"0912345678"},"components":[{"name":"a","originals":1,"copies":1e400}]}', expect: 400 });
  add({ name: 'dossier components unknown field', path: D, body: newDossier({ components: [{ name: 'Tờ khai', originals: 1, copies: 0, color: 'red' }] }), expect: 400, msg: 'color' });
  add({ name: 'dossier component name of 17 KB', path: D, body: newDossier({ components: [{ name: repeat('a', 17 * 1024), originals: 1, copies: 0 }] }), expect: 400, msg: 'components[0].name' });
  add({ name: 'dossier components 101 items', path: D, body: newDossier({ components: Array.from({ length: 101 }, () => ({ name: 'a', originals: 1, copies: 0 })) }), expect: 400, msg: 'components' });
  for (const f of ['procedure', 'channel', 'applicant']) {
    const b = newDossier();
    delete b[f];
    add({ name: `dossier missing ${f}`, path: D, body: b, expect: 400, msg: f });
  }
  for (const f of ['name', 'id_number', 'phone']) {
    const a = applicant();
    delete a[f];
    add({ name: `dossier missing applicant.${f}`, path: D, body: newDossier({ applicant: a }), expect: 400, msg: f });
  }
  add({ name: 'dossier procedure null', path: D, body: newDossier({ procedure: null }), expect: 400, msg: 'procedure' });
  add({ name: 'dossier empty object', path: D, body: {}, expect: 400 });
  add({ name: 'dossier empty applicant.name', path: D, body: newDossier({ applicant: applicant('   ') }), expect: 400, msg: 'name' });
  add({ name: 'dossier unknown field', path: D, body: newDossier({ colour: 'red' }), expect: 400, code: 'request.unknown_field', msg: 'colour' });
  add({ name: 'dossier sets its own code', path: D, body: newDossier({ code: 'X-1' }), expect: 400, code: 'request.unknown_field', msg: 'code' });
  add({ name: 'dossier sets its own status', path: D, body: newDossier({ status: 'returned' }), expect: 400, code: 'request.unknown_field', msg: 'status' });
  add({ name: 'dossier field in wrong case', path: D, body: { ...newDossier(), Procedure: '1.000253' }, expect: 400, code: 'request.unknown_field', msg: 'Procedure' });
  add({ name: 'dossier unknown applicant field', path: D, body: newDossier({ applicant: { ...applicant(), birthday: '1990-01-01' } }), expect: 400, code: 'request.unknown_field', msg: 'birthday' });
  add({ name: 'dossier unknown applicant field (Vietnamese key)', path: D, body: newDossier({ applicant: { ...applicant(), 'số_căn_cước_công_dân_người_nộp_hồ_sơ_thay_mặt_tổ_chức': 'x' } }), expect: 400, code: 'request.unknown_field', msg: 'số_căn_cước_công_dân' });
  add({ name: 'dossier unknown field (Vietnamese key)', path: D, body: newDossier({ 'số_căn_cước_công_dân_người_nộp_hồ_sơ_thay_mặt_tổ_chức': 'x' }), expect: 400, code: 'request.unknown_field', msg: 'số_căn_cước_công_dân' });
  // values
  add({ name: 'dossier applicant.name 10 KB', path: D, body: newDossier({ applicant: applicant(repeat('Nguyễn ', 1500)) }), expect: 400, msg: 'name' });
  add({ name: 'dossier summary 100 KB', path: D, body: newDossier({ summary: repeat('Hồ sơ thử. ', 10000) }), expect: 400, msg: 'summary' });
  add({ name: 'dossier address 10 KB', path: D, body: newDossier({ applicant: { ...applicant(), address: repeat('a', 10240) } }), expect: 400, msg: 'address' });
  add({ name: 'dossier procedure 5000 chars', path: D, body: newDossier({ procedure: repeat('1', 5000) }) });
  add({ name: 'dossier unknown procedure', path: D, body: newDossier({ procedure: '9.999999' }) });
  add({ name: 'dossier channel fax', path: D, body: newDossier({ channel: 'fax' }), expect: 400, msg: 'channel' });
  add({ name: 'dossier CCCD too short', path: D, body: newDossier({ applicant: { ...applicant(), id_number: '12345' } }), expect: 400 });
  add({ name: 'dossier CCCD with letters', path: D, body: newDossier({ applicant: { ...applicant(), id_number: '02509000123A' } }), expect: 400 });
  add({ name: 'dossier phone with letters', path: D, body: newDossier({ applicant: { ...applicant(), phone: '09123abc78' } }), expect: 400 });
  add({ name: 'dossier bad email', path: D, body: newDossier({ applicant: { ...applicant(), email: 'not an email' } }), expect: 400 });
  add({ name: 'dossier received_at garbage', path: D, body: newDossier({ received_at: 'yesterday' }), expect: 400, msg: 'received_at' });
  add({ name: 'dossier received_at 2026-02-30', path: D, body: newDossier({ received_at: '2026-02-30T08:00' }), expect: 400, msg: 'received_at' });
  add({ name: 'dossier received_at in the future', path: D, body: newDossier({ received_at: '2099-01-05T08:00+07:00' }), expect: 400 });
  add({ name: 'dossier received_at before 2000', path: D, body: newDossier({ received_at: '1999-12-31T08:00' }), expect: 400 });
  add({ name: 'dossier received_at in UTC (Z)', path: D, body: newDossier({ received_at: '2026-01-05T08:00Z' }), expect: 400, msg: 'received_at' });
  add({ name: 'dossier received_at at +08:00', path: D, body: newDossier({ received_at: '2026-01-05T08:00+08:00' }), expect: 400, msg: 'received_at' });
  add({ name: 'dossier received_at as a Unix time string', path: D, body: newDossier({ received_at: '1767574800' }), expect: 400, msg: 'received_at' });
  add({ name: 'dossier duplicate key inside applicant', path: D, body: '{"procedure":"1.000253","channel":"direct","applicant":{"name":"A","name":"B","id_number":"025090001234","phone":"0912345678"}}', expect: 400 });
  add({ name: 'dossier unknown field with a 10 KB name', path: D, body: newDossier({ ['k'.repeat(10240)]: 1 }), expect: 400, code: 'request.unknown_field', msg: 'kkkkkkkkkk' });
  add({ name: 'dossier received_at 100 chars', path: D, body: newDossier({ received_at: repeat('2', 100) }), expect: 400 });

  // ---- SQL metacharacters where the text is not acceptable ----
  for (const [i, s] of [SQL1, SQL2].entries()) {
    add({ name: `SQL #${i} in applicant.id_number`, path: D, body: newDossier({ applicant: { ...applicant(), id_number: s } }), expect: 400 });
    add({ name: `SQL #${i} in applicant.phone`, path: D, body: newDossier({ applicant: { ...applicant(), phone: s } }), expect: 400 });
    add({ name: `SQL #${i} in applicant.email`, path: D, body: newDossier({ applicant: { ...applicant(), email: s } }), expect: 400 });
    add({ name: `SQL #${i} in procedure`, path: D, body: newDossier({ procedure: s }) });
    add({ name: `SQL #${i} in channel`, path: D, body: newDossier({ channel: s }), expect: 400 });
    add({ name: `SQL #${i} in received_at`, path: D, body: newDossier({ received_at: s }), expect: 400 });
    add({ name: `SQL #${i} in action`, path: () => `${D}/${fx.received}/actions`, body: { action: s }, expect: 400 });
    add({ name: `SQL #${i} in to (assign)`, path: () => `${D}/${fx.received}/actions`, body: { action: 'assign', to: s }, expect: 400 });
    add({ name: `SQL #${i} in to_agency (transfer)`, path: () => `${D}/${fx.received}/actions`, body: { action: 'transfer', to_agency: s }, expect: 400 });
    add({ name: `SQL #${i} in new_due`, path: () => `${D}/${fx.processing}/actions`, body: { action: 'apology', comment: 'x', new_due: s }, expect: 400 });
    add({ name: `SQL #${i} in users login`, path: U, body: { login: s, name: 'A', role: 'reception', password: 'abcdefgh123' }, expect: 400 });
    add({ name: `SQL #${i} in users role`, path: U, body: { login: 'nguoi.moi', name: 'A', role: s, password: 'abcdefgh123' }, expect: 400 });
    add({ name: `SQL #${i} in PATCH users role`, method: 'PATCH', path: U + '/tiepnhan', body: { role: s }, expect: 400 });
    add({ name: `SQL #${i} in PATCH users path`, method: 'PATCH', path: U + '/' + encodeURIComponent(s), body: { name: 'A' }, expect: 404 });
    add({ name: `SQL #${i} in dossier code path`, path: D + '/' + encodeURIComponent(s), expect: 404 });
    add({ name: `SQL #${i} in procedure code path`, path: '/api/v1/procedures/' + encodeURIComponent(s), expect: 404 });
    add({ name: `SQL #${i} in status filter`, path: D + '?status=' + encodeURIComponent(s), expect: 400 });
    add({ name: `SQL #${i} in channel filter`, path: D + '?channel=' + encodeURIComponent(s), expect: 400 });
    add({ name: `SQL #${i} in cursor`, path: D + '?cursor=' + encodeURIComponent(s), expect: 400 });
    add({ name: `SQL #${i} in ratings code`, path: R, body: { code: s, phone: '5678', level: 3 } });
    add({ name: `SQL #${i} in settings office_hours`, method: 'PATCH', path: '/api/v1/settings', body: { office_hours: s }, expect: 400 });
  }
  add({ name: 'SQL in /session login', path: S, body: { login: SQL1, password: 'motcua-demo' }, expect: 401 });
  add({ name: 'SQL in ratings phone', path: R, body: { code: 'x', phone: SQL2, level: 3 } });
  add({ name: 'SQL in lookup', path: '/api/v1/public/lookup?code=' + encodeURIComponent(SQL1) + '&phone=' + encodeURIComponent(SQL2) });
  add({ name: 'SQL in calendar unit', path: '/api/v1/calendar/due?at=2026-03-02T07:00&time=3&unit=' + encodeURIComponent(SQL2), expect: 400 });

  // ---- /actions ----
  const act = () => `${D}/${fx.received}/actions`;
  for (const f of ['action', 'to', 'to_agency', 'new_due', 'comment']) {
    for (const [k, v] of Object.entries(wrong)) {
      add({ name: `actions ${f} as ${k}`, path: act, body: { action: 'assign', [f]: v }, expect: 400, msg: f });
    }
  }
  add({ name: 'actions missing action', path: act, body: { comment: 'x' }, expect: 400, msg: 'action' });
  add({ name: 'actions unknown field', path: act, body: { action: 'accept', actor: 'quantri' }, expect: 400, code: 'request.unknown_field', msg: 'actor' });
  add({ name: 'actions unknown action', path: act, body: { action: 'fly' }, expect: 400, msg: 'fly' });
  add({ name: 'actions empty action', path: act, body: { action: '' }, expect: 400 });
  add({ name: 'approve a returned dossier', path: () => `${D}/${fx.returned}/actions`, body: { action: 'approve' }, expect: 409 });
  add({ name: 'accept a returned dossier', path: () => `${D}/${fx.returned}/actions`, body: { action: 'accept' }, expect: 409 });
  add({ name: 'withdraw a returned dossier', path: () => `${D}/${fx.returned}/actions`, body: { action: 'withdraw' }, expect: 409 });
  add({ name: 'return a received dossier', path: act, body: { action: 'return' }, expect: 409 });
  add({ name: 'approve a received dossier', path: act, body: { action: 'approve' }, expect: 409 });
  add({ name: 'assign to an unknown officer', path: act, body: { action: 'assign', to: 'khongco' }, expect: 400, msg: 'khongco' });
  add({ name: 'assign to a supervisor', path: act, body: { action: 'assign', to: 'giamsat' }, expect: 400 });
  add({ name: 'assign with no officer', path: act, body: { action: 'assign' }, expect: 400 });
  add({ name: 'transfer to an unknown agency', path: act, body: { action: 'transfer', to_agency: '999.99' }, expect: 400 });
  add({ name: 'refuse with no comment', path: act, body: { action: 'refuse' }, expect: 400 });
  add({ name: 'refuse with a 3000-byte comment', path: act, body: { action: 'refuse', comment: repeat('x', 3000) }, expect: 400, msg: 'comment' });
  add({ name: 'apology new_due tomorrow', path: () => `${D}/${fx.processing}/actions`, body: { action: 'apology', comment: 'xin lỗi', new_due: 'tomorrow' }, expect: 400, msg: 'new_due' });
  add({ name: 'apology new_due 2026-02-30', path: () => `${D}/${fx.processing}/actions`, body: { action: 'apology', comment: 'xin lỗi', new_due: '2026-02-30T08:00' }, expect: 400, msg: 'new_due' });
  add({ name: 'apology new_due in 2001', path: () => `${D}/${fx.processing}/actions`, body: { action: 'apology', comment: 'xin lỗi', new_due: '2001-01-02T08:00' } });
  add({ name: 'apology without new_due', path: () => `${D}/${fx.processing}/actions`, body: { action: 'apology', comment: 'xin lỗi' }, expect: 400, msg: 'new_due' });
  add({ name: 'action on an unknown dossier', path: `${D}/000.31.45.H45-990101-0001/actions`, body: { action: 'accept' }, expect: 404 });

  // ---- /users and PATCH /users/{login} ----
  const user = { login: 'nguoi.moi', name: 'Người Mới', role: 'reception', password: 'mat-khau-dai' };
  for (const f of ['login', 'name', 'role', 'password']) {
    for (const [k, v] of Object.entries(wrong)) {
      add({ name: `users ${f} as ${k}`, path: U, body: { ...user, [f]: v }, expect: 400, msg: f });
    }
    const b = { ...user };
    delete b[f];
    add({ name: `users missing ${f}`, path: U, body: b, expect: 400, msg: f });
  }
  add({ name: 'users unknown field', path: U, body: { ...user, pw_hash: 'x' }, expect: 400, code: 'request.unknown_field', msg: 'pw_hash' });
  add({ name: 'users bad role', path: U, body: { ...user, role: 'root' }, expect: 400, msg: 'role' });
  add({ name: 'users empty role', path: U, body: { ...user, role: '' }, expect: 400, msg: 'role' });
  add({ name: 'users login with a space', path: U, body: { ...user, login: 'nguoi moi' }, expect: 400, msg: 'login' });
  add({ name: 'users login too short', path: U, body: { ...user, login: 'x' }, expect: 400, msg: 'login' });
  add({ name: 'users login 5000 chars', path: U, body: { ...user, login: repeat('a', 5000) }, expect: 400, msg: 'login' });
  add({ name: 'users password too short', path: U, body: { ...user, password: '1234567' }, expect: 400, msg: 'password' });
  add({ name: 'users name 10 KB', path: U, body: { ...user, name: repeat('n', 10240) }, expect: 400, msg: 'name' });
  add({ name: 'users login that exists', path: U, body: { ...user, login: 'tiepnhan' } });
  const P = U + '/tiepnhan';
  for (const [f, vals] of Object.entries({ name: [1, ['a']], role: [[], true], password: [{}, 12345678] })) {
    for (const v of vals) add({ name: `PATCH users ${f} as ${JSON.stringify(v)}`, method: 'PATCH', path: P, body: { [f]: v }, expect: 400, msg: f });
  }
  for (const v of ['true', 1, null, []]) add({ name: `PATCH users disabled as ${JSON.stringify(v)}`, method: 'PATCH', path: P, body: { disabled: v }, expect: 400, msg: 'disabled' });
  add({ name: 'PATCH users empty object', method: 'PATCH', path: P, body: {}, expect: 400 });
  add({ name: 'PATCH users unknown field', method: 'PATCH', path: P, body: { login: 'khac' }, expect: 400, code: 'request.unknown_field', msg: 'login' });
  add({ name: 'PATCH users bad role', method: 'PATCH', path: P, body: { role: 'superuser' }, expect: 400, msg: 'role' });
  add({ name: 'PATCH users bad role (Vietnamese words)', method: 'PATCH', path: P, body: { role: 'lãnh_đạo_ủy_ban_nhân_dân_xã_phụ_trách' }, expect: 400, msg: 'role' });
  add({ name: 'PATCH users short password', method: 'PATCH', path: P, body: { password: 'short' }, expect: 400, msg: 'password' });
  add({ name: 'PATCH users name 10 KB', method: 'PATCH', path: P, body: { name: repeat('n', 10240) }, expect: 400, msg: 'name' });
  add({ name: 'PATCH users good name, bad role', method: 'PATCH', path: P, body: { name: 'Tên Mới', role: 'root' }, expect: 400, msg: 'role' });
  add({ name: 'PATCH users disable yourself', method: 'PATCH', path: U + '/quantri', body: { disabled: true }, expect: 400 });
  add({ name: 'PATCH a login that does not exist', method: 'PATCH', path: U + '/khongco', body: { name: 'Ai Đó' }, expect: 404 });
  add({ name: 'PATCH a login 5000 chars', method: 'PATCH', path: U + '/' + repeat('a', 5000), body: { name: 'Ai Đó' }, expect: 404 });

  // ---- /session ----
  for (const f of ['login', 'password']) {
    for (const [k, v] of Object.entries(wrong)) {
      add({ name: `session ${f} as ${k}`, path: S, body: { login: 'quantri', password: 'motcua-demo', [f]: v }, expect: 400, msg: f });
    }
  }
  add({ name: 'session missing login', path: S, body: { password: 'motcua-demo' }, expect: 400, msg: 'login' });
  add({ name: 'session missing password', path: S, body: { login: 'quantri' }, expect: 400, msg: 'password' });
  add({ name: 'session unknown field', path: S, body: { login: 'quantri', password: 'motcua-demo', remember: true }, expect: 400, code: 'request.unknown_field', msg: 'remember' });
  add({ name: 'session login that does not exist', path: S, body: { login: 'khongco', password: 'motcua-demo' }, expect: 401 });

  // ---- /public/ratings (rate-limited: 30 a minute, keep these below) ----
  const rate = { code: '000.31.45.H45-990101-0001', phone: '5678', level: 3, comment: 'tốt' };
  for (const f of ['code', 'phone', 'comment']) {
    add({ name: `ratings ${f} as number`, path: R, body: { ...rate, [f]: 12 }, expect: 400, msg: f });
    add({ name: `ratings ${f} as object`, path: R, body: { ...rate, [f]: {} }, expect: 400, msg: f });
  }
  for (const [n, v] of [['string', '"2"'], ['boolean', 'true'], ['null', 'null'], ['array', '[3]'], ['real', '2.5'], ['1e400', '1e400'],
    ['99999999999999999999999', '99999999999999999999999'], ['-1', '-1'], ['0', '0'], ['4', '4'], ['2^32+2', '4294967298']]) {
    add({ name: `ratings level ${n}`, path: R, body: `{"code":"000.31.45.H45-990101-0001","phone":"5678","level":${v}}`, expect: 400 });
  }
  add({ name: 'ratings missing code', path: R, body: { phone: '5678', level: 3 }, expect: 400, msg: 'code' });
  add({ name: 'ratings missing level', path: R, body: { code: rate.code, phone: '5678' }, expect: 400, msg: 'level' });
  add({ name: 'ratings unknown field', path: R, body: { ...rate, stars: 5 }, expect: 400, code: 'request.unknown_field', msg: 'stars' });
  add({ name: 'ratings wrong phone', path: () => R, body: () => ({ code: fx.returned, phone: '0000', level: 3 }) });
  add({ name: 'ratings comment 10 KB', path: () => R, body: () => ({ code: fx.returned, phone: '0000', level: 3, comment: repeat('x', 10240) }), expect: 413, code: 'request.too_large' });
  add({ name: 'ratings comment 1001 characters', path: () => R, body: () => ({ code: fx.returned, phone: '0000', level: 3, comment: repeat('x', 1001) }), expect: 400, msg: 'comment' });

  // ---- content types ----
  for (const [path, method] of [[D, 'POST'], [U, 'POST'], [U + '/tiepnhan', 'PATCH'], [S, 'POST'], [R, 'POST'], ['/api/v1/settings', 'PATCH'], [`${D}/x/actions`, 'POST']]) {
    add({ name: `${method} ${path} as text/plain`, method, path, body: '{"a":1}', ct: 'text/plain', expect: 415 });
  }
  add({ name: 'dossier as form-urlencoded', path: D, body: 'procedure=1.000253&channel=direct', ct: 'application/x-www-form-urlencoded', expect: 415 });
  add({ name: 'session as form-urlencoded', path: S, body: 'login=quantri&password=motcua-demo', ct: 'application/x-www-form-urlencoded', expect: 415 });
  add({ name: 'dossier with no Content-Type', path: D, body: JSON.stringify(ok), ct: null, expect: 415 });
  add({ name: 'users with no Content-Type', path: U, body: JSON.stringify(user), ct: null, expect: 415 });
  add({ name: 'dossier as multipart/form-data', path: D, body: '--b\r\n\r\n{}\r\n--b--', ct: 'multipart/form-data; boundary=b', expect: 415 });
  add({ name: 'dossier as application/jsonp', path: D, body: JSON.stringify(ok), ct: 'application/jsonp', expect: 415 });
  add({ name: 'dossier as text/json', path: D, body: JSON.stringify(ok), ct: 'text/json', expect: 415 });
  add({ name: 'calendar import as application/json', path: '/api/v1/calendar/import', body: '{}', ct: 'application/json', expect: 415 });
  add({ name: 'catalog import as text/csv', path: '/api/v1/catalog/import', body: 'a,b', ct: 'text/csv', expect: 415 });
  add({ name: 'catalog import as one JSON document (it takes JSON lines)', path: '/api/v1/catalog/import', body: '{}', ct: 'application/json', expect: 415 });
  add({ name: 'calendar import as text/csvx (the media type is exact)', path: '/api/v1/calendar/import', body: '2026-01-01,off\n', ct: 'text/csvx', expect: 415 });
  add({ name: 'calendar import empty', path: '/api/v1/calendar/import', body: '', ct: 'text/csv', expect: 400 });
  add({ name: 'calendar import invalid UTF-8', path: '/api/v1/calendar/import', body: Buffer.from([0x32, 0x30, 0xff, 0x0a]), ct: 'text/csv', expect: 400 });
  add({ name: 'calendar import with a raw NUL', path: '/api/v1/calendar/import', body: Buffer.from('2026-01-01\u0000,x\n'), ct: 'text/csv', expect: 400 });
  add({ name: 'catalog import invalid UTF-8', path: '/api/v1/catalog/import', body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), ct: 'application/x-ndjson', expect: 400 });

  // ---- bodies past 1 MiB ----
  const big = JSON.stringify(newDossier({ summary: repeat('a', MiB + 10) }));
  add({ name: 'dossier 1 MiB + 10 with Content-Length', path: D, body: big, expect: 413 });
  add({ name: 'dossier 1 MiB + 1 of spaces with Content-Length', path: D, body: JSON.stringify(ok) + repeat(' ', MiB + 1 - JSON.stringify(ok).length), expect: 413 });
  add({ name: 'PATCH users 2 MiB with Content-Length', method: 'PATCH', path: P, body: JSON.stringify({ name: repeat('a', 2 * MiB) }), expect: 413 });
  add({ name: 'dossier 3 MiB chunked', path: D, chunks: Array.from({ length: 48 }, (_, i) => Buffer.from(i === 0 ? '{"summary":"' + repeat('a', 65536 - 12) : repeat('a', 65536))), expect: 413 });
  add({ name: 'session 1 MiB + 1 chunked', path: S, chunks: [Buffer.from(repeat(' ', 512 * 1024)), Buffer.from(repeat(' ', 512 * 1024)), Buffer.from('{')], expect: 413 });
  add({ name: 'actions 2 MiB chunked in small pieces', path: act, chunks: Array.from({ length: 512 }, () => Buffer.from(repeat(' ', 4096))), expect: 413 });
  add({ name: 'small malformed chunked body', path: D, chunks: [Buffer.from('{"procedure":'), Buffer.from('"1.000253",')], expect: 400 });
  add({ name: 'text/plain 2 MiB (size before type)', path: D, body: repeat('a', 2 * MiB), ct: 'text/plain' });

  // ---- bodies on GET, unknown endpoints, wrong methods ----
  add({ name: 'GET /api/v1/me with a body', path: '/api/v1/me', method: 'GET', body: '{"a":1}', expect: 400 });
  add({ name: 'GET /api/v1/dossiers with a body', path: D, method: 'GET', body: JSON.stringify(ok), expect: 400 });
  add({ name: 'GET /healthz with a body', path: '/healthz', method: 'GET', body: 'x', ct: 'text/plain', expect: 400 });
  add({ name: 'DELETE /api/v1/session with a body', path: S, method: 'DELETE', body: '{}', expect: 400 });
  for (const p of ['/api/v1/nope', '/api/v2/dossiers', '/api/v1/Dossiers', '/api/v1/dossiers/', '/api/v1/dossiers/x/actions/y', '/api/', '/api/v1',
    '/api/v1/users/quantri/password', '/nope.html', '/assets/../../etc/passwd', '/assets/..%2f..%2fetc%2fpasswd', '/..%2f..%2fetc%2fpasswd']) {
    add({ name: `unknown endpoint GET ${p}`, path: p, expect: 404 });
  }
  add({ name: 'unknown endpoint POST /api/v1/dossiers/x/close', path: `${D}/x/close`, body: {}, expect: 404 });
  for (const [m, p] of [['PUT', D], ['DELETE', D], ['PATCH', D], ['DELETE', `${D}/x`], ['PUT', `${D}/x`], ['GET', `${D}/x/actions`],
    ['OPTIONS', D], ['TRACE', D], ['FOO', D], ['POST', '/api/v1/me'], ['POST', '/healthz'], ['PUT', U + '/quantri'], ['DELETE', U + '/quantri'], ['GET', '/api/v1/public/ratings'], ['PATCH', S]]) {
    add({ name: `wrong method ${m} ${p}`, method: m, path: p, expect: 405 });
  }

  // ---- traversal-looking and odd codes ----
  for (const p of [`${D}/..%2F..%2Fetc%2Fpasswd`, '/api/v1/procedures/..%2f..%2f', `${D}/%2e%2e`, `${D}/%00`, `${D}/abc%00def`, `${D}/%00/actions`,
    `${D}/${repeat('X', 5000)}`, `/api/v1/procedures/${repeat('1', 5000)}`, `${D}/000.31.45.H45-261124-0002%0a`, `${D}/%2F`]) {
    add({ name: `odd code GET ${p.slice(0, 60)}`, path: p });
  }
  add({ name: 'invalid UTF-8 in the path', path: `${D}/%FF%FE`, expect: 400 });
  add({ name: 'traversal code in POST actions', path: `${D}/..%2F..%2Fetc%2Fpasswd/actions`, body: { action: 'accept' } });
  add({ name: '5000-char code in POST actions', path: `${D}/${repeat('X', 5000)}/actions`, body: { action: 'accept' }, expect: 404 });

  // ---- bad query values ----
  for (const q of ['status=flying', 'overdue=maybe', 'due_before=yesterday', 'due_before=2026-02-30', 'received_from=abc', 'received_to=2026-13-01',
    'limit=-1', 'limit=0', 'limit=abc', 'limit=501', 'limit=1e2', 'limit=99999999999999999999', 'limit=', 'channel=fax', 'cursor=garbage',
    'q=' + repeat('a', 300), 'q=%C3%28']) {
    add({ name: `dossier list ?${q.slice(0, 40)}`, path: `${D}?${q}`, expect: 400 });
  }
  // Oversized heads: our JSON 414/431, at once (MHD 0.9.75 alone would let a
  // few thousand parameters hang until its 30 s timeout).
  for (const n of [101, 4000, 30000]) {
    add({ name: `dossier list with ${n} query parameters`, path: `${D}?` + Array.from({ length: n }, (_, i) => `p${i % 10}=1`).join('&'), expect: 414, code: 'request.uri_too_long', timeout: 5000 });
  }
  add({ name: 'a 20 KB query value', path: `${D}?q=${repeat('a', 20000)}`, expect: 414, timeout: 5000 });
  // The largest head we accept still reaches our code (the connection's
  // memory pool holds it): 15 KB of query and 99 headers of 150 bytes.
  add({ name: 'a head just under the limits, with limit=0', path: `${D}?limit=0&pad=${repeat('p', 15000)}`,
    headers: Object.fromEntries(Array.from({ length: 95 }, (_, i) => [`X-Pad${i}`, repeat('v', 140)])), expect: 400, msg: 'limit', timeout: 5000 });
  add({ name: '150 headers', path: D, headers: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`X-H${i}`, 'v'])), expect: 431, code: 'request.headers_too_large', timeout: 5000 });
  for (const q of ['after_seq=-5', 'after_seq=abc', 'after_seq=1e3', 'limit=0', 'limit=-1', 'limit=1001', 'limit=abc']) {
    add({ name: `audit ?${q}`, path: `/api/v1/audit?${q}`, expect: 400 });
  }
  for (const q of ['year=abc', 'year=', '', 'year=1800', 'year=99999999999999999999', 'year=2026.5']) {
    add({ name: `days-off ?${q}`, path: `/api/v1/calendar/days-off?${q}`, expect: 400 });
  }
  for (const q of ['at=2026-03-02T07:00&time=3&unit=fortnight', 'at=2026-03-02T07:00&time=-3&unit=working_days', 'at=2026-03-02T07:00&time=abc&unit=working_days',
    'at=garbage&time=3&unit=working_days', 'time=3&unit=working_days', 'at=2026-03-02T07:00&unit=working_days', 'at=2026-03-02T07:00&time=nan&unit=working_days',
    'at=2026-03-02T07:00&time=1e400&unit=calendar_days', 'at=2026-02-30T07:00&time=3&unit=working_days']) {
    add({ name: `calendar due ?${q.slice(0, 50)}`, path: `/api/v1/calendar/due?${q}`, expect: 400 });
  }
  add({ name: 'lookup without a code', path: '/api/v1/public/lookup?phone=5678' });
  add({ name: 'lookup with a wrong phone', path: () => `/api/v1/public/lookup?code=${encodeURIComponent(fx.returned)}&phone=abcd` });
  add({ name: 'settings nothing to change', method: 'PATCH', path: '/api/v1/settings', body: {}, expect: 400 });
  add({ name: 'settings cutoff 25:99', method: 'PATCH', path: '/api/v1/settings', body: { cutoff: '25:99' }, expect: 400 });
  add({ name: 'settings office_hours as number', method: 'PATCH', path: '/api/v1/settings', body: { office_hours: 8 }, expect: 400, msg: 'office_hours' });
  add({ name: 'settings unknown field', method: 'PATCH', path: '/api/v1/settings', body: { agency: 'x' }, expect: 400, code: 'request.unknown_field', msg: 'agency' });

  // ---- authentication, CSRF, roles ----
  add({ name: 'create dossier signed out', auth: 'none', path: D, body: ok, expect: 401 });
  add({ name: 'create dossier without CSRF', auth: 'nocsrf', path: D, body: ok, expect: 403 });
  add({ name: 'create dossier with a wrong CSRF', auth: 'badcsrf', path: D, body: ok, expect: 403 });
  add({ name: 'create dossier with a short CSRF', auth: 'shortcsrf', path: D, body: ok, expect: 403 });
  add({ name: "create dossier with another session's CSRF", auth: 'othercsrf', path: D, body: ok, expect: 403 });
  add({ name: 'create dossier with an unknown session', auth: 'bogus-cookie', path: D, body: ok, expect: 401 });
  add({ name: 'create dossier with a bad bearer token', auth: 'bearer-bad', path: D, body: ok, expect: 401 });
  add({ name: 'create dossier with an empty bearer token', auth: 'bearer-empty', path: D, body: ok, expect: 401 });
  add({ name: 'create dossier with Basic auth', auth: 'basic', path: D, body: ok, expect: 401 });
  add({ name: 'GET /me with an unknown session', auth: 'bogus-cookie', path: '/api/v1/me', expect: 401 });
  add({ name: 'GET /audit signed out', auth: 'none', path: '/api/v1/audit', expect: 401 });
  add({ name: 'sign out without CSRF', auth: 'nocsrf', method: 'DELETE', path: S, expect: 403 });
  add({ name: 'PATCH users without CSRF', auth: 'nocsrf', method: 'PATCH', path: P, body: { name: 'X' }, expect: 403 });
  add({ name: 'supervisor creates a dossier', auth: 'supervisor', path: D, body: ok, expect: 403 });
  add({ name: 'reception adds a user', auth: 'reception', path: U, body: user, expect: 403 });
  add({ name: 'reception disables a user', auth: 'reception', method: 'PATCH', path: U + '/giamsat', body: { disabled: true }, expect: 403 });
  add({ name: 'reception approves', auth: 'reception', path: () => `${D}/${fx.awaiting}/actions`, body: { action: 'approve' }, expect: 403 });
  add({ name: 'reception reads the audit log', auth: 'reception', path: '/api/v1/audit', expect: 403 });
  add({ name: 'reception back-dates a reception', auth: 'reception', path: D, body: newDossier({ received_at: '2025-01-06T08:00' }), expect: 403 });
  return t;
}

const CASES = cases();

async function firstCode(status) {
  const r = await admin.get(`${D}?status=${status}&limit=1`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length > 0, `the demo data has a dossier in state ${status}`);
  return r.json.items[0].code;
}

before(async () => {
  node = await startNode();
  admin = await login(node, 'quantri');
  supervisor = await login(node, 'giamsat');
  reception = await login(node, 'tiepnhan');
  fx.received = await firstCode('received');
  fx.returned = await firstCode('returned');
  fx.processing = await firstCode('processing');
  fx.awaiting = await firstCode('awaiting_approval');
});

after(async () => {
  if (node) await stopNode(node);
});

// Beyond what the connection's memory pool holds (256 KB), libmicrohttpd
// answers by itself (an HTML 414/431): still a 4xx, at once, and the
// server goes on.
test('a 300 KB address or 300 KB of headers: 4xx at once, and the server stays up', async () => {
  const a = await send({ path: `${D}?q=${repeat('a', 300000)}`, headers: authHeaders('admin'), timeout: 5000 });
  assert.ok(a.status === 414 || a.status === 431, `status ${a.status}`);
  const b = await send({ path: D, headers: { ...authHeaders('admin'), 'X-Big': repeat('b', 300000) }, timeout: 5000 });
  assert.ok(b.status === 431 || b.status === 413 || b.status === 400, `status ${b.status}`);
  const ok = await send({ path: '/healthz' });
  assert.equal(ok.status, 200);
});

test(`bad-input table: ${CASES.length} requests, each 4xx with a JSON error`, { timeout: 300000 }, async () => {
  assert.ok(CASES.length >= 120, `only ${CASES.length} cases`);
  const names = new Set();
  for (const c of CASES) {
    assert.ok(!names.has(c.name), 'duplicate case name ' + c.name);
    names.add(c.name);
  }
  // The public routes allow 30 requests a minute per address: stay below.
  const onPath = (p) => CASES.filter((c) => String(typeof c.path === 'function' ? c.path() : c.path).startsWith(p)).length;
  assert.ok(onPath(R) < 30 && onPath('/api/v1/public/lookup') < 30, 'too many public requests for the rate limit');
  const events0 = eventCount(node);
  const failures = [];
  for (const c0 of CASES) {
    const c = { ...c0, path: typeof c0.path === 'function' ? c0.path() : c0.path, body: typeof c0.body === 'function' ? c0.body() : c0.body };
    let r;
    try {
      r = await run(c);
    } catch (e) {
      failures.push(`${c.name}: request failed: ${e.message}` + (node.proc.exitCode !== null ? ` (server exited: ${node.proc.exitCode ?? node.proc.signalCode})` : ''));
      if (node.proc.exitCode !== null || node.proc.signalCode !== null) break;
      continue;
    }
    const problems = [];
    if (!(r.status >= 400 && r.status < 500)) problems.push(`status ${r.status} is not 4xx`);
    if (c.expect !== undefined && r.status !== c.expect) problems.push(`status ${r.status}, want ${c.expect}`);
    const err = r.json && typeof r.json === 'object' && !Array.isArray(r.json) ? r.json.error : undefined;
    if (!err || typeof err !== 'object') {
      problems.push('body is not {"error":{...}}');
    } else {
      if (typeof err.code !== 'string' || !err.code) problems.push('error.code is not a non-empty string');
      if (typeof err.message !== 'string' || !err.message.trim()) problems.push('error.message is empty');
      if (c.code && err.code !== c.code) problems.push(`error.code '${err.code}', want '${c.code}'`);
      if (c.msg && typeof err.message === 'string' && !err.message.includes(c.msg)) problems.push(`message does not name '${c.msg}'`);
    }
    if (problems.length) failures.push(`${c.name} [${c.method || (c.body !== undefined || c.chunks ? 'POST' : 'GET')} ${c.path.slice(0, 80)}]: ${problems.join('; ')}; body: ${r.text.slice(0, 300)}`);
  }
  const health = await fetch(node.base + '/healthz');
  assert.equal(health.status, 200, 'the server is still up after the table');
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.equal(node.proc.exitCode, null, 'the server process is still running');
  assert.deepEqual(failures, [], `${failures.length} of ${CASES.length} bad requests were not answered as expected`);
  assert.equal(eventCount(node), events0, 'no bad request added an event');
});

// Request heads too big for the connection's memory pool are refused by
// libmicrohttpd itself (its own HTML page, not the JSON error): what matters
// here is that the client gets a prompt 4xx instead of a hung connection.
test('oversized request heads get a prompt 4xx answer', async () => {
  const head = (path, headers = {}) => send({ path, headers: { ...authHeaders('admin'), ...headers }, timeout: 10000 })
    .then((r) => r.status, (e) => `no answer (${e.message})`);
  const many = (n) => Array.from({ length: n }, (_, i) => `x${i}=1`).join('&');
  const results = {
    'a 100 KB query string': await head(`${D}?q=${'a'.repeat(100000)}`),
    'a 70 KB header': await head('/api/v1/me', { 'X-Big': 'a'.repeat(70000) }),
    '1000 headers': await head('/api/v1/me', Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, '1']))),
    '1000 query parameters (7 KB)': await head(`/healthz?${many(1000)}`),
    '1000 query parameters on a dossier search': await head(`${D}?${many(1000)}`),
  };
  const bad = Object.entries(results).filter(([, s]) => !(s >= 400 && s < 500));
  assert.deepEqual(bad, [], JSON.stringify(results));
  assert.equal((await fetch(node.base + '/healthz')).status, 200);
});

test('SQL metacharacters in free text are stored verbatim and the tables survive', async () => {
  const db = join(node.data, 'motcua.db');
  const count = (table) => Number(execFileSync('sqlite3', [db, `select count(*) from ${table}`], { encoding: 'utf8' }).trim());
  const dossiers0 = count('dossier');
  const users0 = count('user');
  const created = [];
  for (const s of [SQL1, SQL2, "Robert'); DROP TABLE user;--", "x' UNION SELECT pw_hash FROM user --"]) {
    const body = newDossier({
      applicant: { ...applicant(s), address: s },
      summary: `${s} /* */ %s %n \\ ; --`,
      components: [{ name: s, originals: 1, copies: 0 }],
    });
    const r = await admin.post(D, body);
    assert.equal(r.status, 201, r.text);
    created.push({ code: r.json.code, body });
    const g = await admin.get(`${D}/${encodeURIComponent(r.json.code)}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.applicant.name, s);
    assert.equal(g.json.applicant.address, s);
    assert.equal(g.json.summary, body.summary);
    assert.equal(g.json.components[0].name, s);
  }
  // A comment on an action is free text too.
  const c0 = created[0].code;
  const ref = await admin.post(`${D}/${encodeURIComponent(c0)}/actions`, { action: 'refuse', comment: SQL2 });
  assert.equal(ref.status, 200, ref.text);
  assert.equal(ref.json.note, SQL2);
  // A staff name with SQL in it.
  const nu = await admin.post(U, { login: 'sql.test', name: SQL1, role: 'reception', password: 'mat-khau-dai' });
  assert.equal(nu.status, 201, nu.text);
  assert.equal(nu.json.name, SQL1);
  // Searching for SQL finds only what contains it, never everything.
  const all = await admin.get(`${D}?limit=500`);
  const s = await admin.get(`${D}?q=${encodeURIComponent(SQL1)}&limit=500`);
  assert.equal(s.status, 200, s.text);
  assert.ok(s.json.items.length < all.json.items.length, 'a search for SQL does not match every dossier');
  const p = await admin.get(`/api/v1/procedures?q=${encodeURIComponent(SQL2)}`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.items.length, 0);
  // The tables are all there and have exactly the new rows.
  assert.equal(count('dossier'), dossiers0 + created.length);
  assert.equal(count('user'), users0 + 1);
  const h = await fetch(node.base + '/healthz');
  assert.equal(h.status, 200);
});
