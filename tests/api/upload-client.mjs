// upload-client.mjs - uploads from Node with the staff app's own protocol:
// web/upload.js (chunk sizes that follow the link, resume from the server's
// offset after a failure) over a plain HTTP transport. Each request has its
// own connection (no keep-alive pool), so a link cut never leaves a dead
// pooled socket for the next chunk to fail on: every failure is the cut's.
import http from 'node:http';
import { sendFile } from '../../web/upload.js';

export { sendFile };

// One request: resolves { status, json } for 2xx, throws { status, code,
// expected } for an error answer and { status: 0 } when no answer came.
export function request(base, { cookie, csrf }, method, path, body, type = 'application/json', timeoutMs = 300000) {
  const u = new URL(path, base);
  const payload = body === undefined ? null : Buffer.isBuffer(body) || body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
  const headers = { Cookie: cookie, 'Accept-Language': 'vi', Connection: 'close' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (payload) { headers['Content-Type'] = type; headers['Content-Length'] = payload.length; }
  return new Promise((resolve, reject) => {
    const fail = (e) => reject(Object.assign(new Error('no answer: ' + (e && e.message)), { status: 0, cause: e }));
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent: false }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('answer cut short')));
      res.on('end', () => {
        if (!res.complete) return fail(new Error('answer cut short'));
        let json = null;
        try { json = JSON.parse(Buffer.concat(parts).toString('utf8')); } catch { /* not JSON */ }
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve({ status: res.statusCode, json });
        const e = new Error(`${method} ${path}: ${res.statusCode} ${json && json.error ? json.error.message : ''}`);
        Object.assign(e, { status: res.statusCode, code: json && json.error && json.error.code, expected: json ? json.expected_offset : undefined, json });
        reject(e);
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(payload || undefined);
  });
}

// The transport upload.js takes, for bytes to dossier code (req: the begin
// body without size). onRequest(kind, detail) sees each request as it goes.
export function transport(base, who, code, req, bytes, onRequest = () => {}) {
  const enc = encodeURIComponent;
  return {
    async begin() {
      onRequest('begin');
      return (await request(base, who, 'POST', `/api/v1/dossiers/${enc(code)}/uploads`, { ...req, size: bytes.length })).json;
    },
    async put(id, offset, from, to) {
      onRequest('put', { offset, n: to - from });
      return (await request(base, who, 'PUT', `/api/v1/uploads/${id}?offset=${offset}`, bytes.subarray(from, to), 'application/octet-stream')).json;
    },
    async status(id) {
      onRequest('status');
      return (await request(base, who, 'GET', `/api/v1/uploads/${id}`)).json;
    },
  };
}

// Uploads bytes with the UI's protocol; resolves what sendFile does.
export function upload(base, who, code, req, bytes, opts = {}) {
  return sendFile(transport(base, who, code, req, bytes, opts.onRequest), bytes.length, opts);
}
