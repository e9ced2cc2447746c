// sync-helpers.mjs - shared by the sync suites (sync.test.mjs, pull.test.mjs):
// commune keys made with node:crypto (Ed25519), the signatures of
// docs/sync.md §3-§4 (enrolment proofs, node requests, the hub's answers),
// a provincial hub made with the CLI, and sqlite3 reads of a data directory.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { motcua, PASSWORD } from './harness.mjs';

export const HUB_AGENCY = '000.00.00.H45';
export const PUSH = '/api/v1/sync/push';
export const PULL = '/api/v1/sync/pull';
export const ENROL = '/api/v1/sync/enrol';

const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
export const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

export function keypair(agency) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { pub: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'), priv: privateKey, agency };
}
// A libsodium secret key (seed || public key, 128 hex) as node:crypto's.
export function keyOfSodium(hex) {
  const priv = crypto.createPrivateKey({ key: Buffer.concat([PKCS8, Buffer.from(hex.slice(0, 64), 'hex')]), format: 'der', type: 'pkcs8' });
  const pub = crypto.createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  return { pub, priv };
}
export const signText = (kp, text) => crypto.sign(null, Buffer.from(text), kp.priv).toString('hex');
export function verifyText(pubHex, text, sigHex) {
  const pk = crypto.createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(pubHex, 'hex')]), format: 'der', type: 'spki' });
  return crypto.verify(null, Buffer.from(text), pk, Buffer.from(sigHex, 'hex'));
}
// docs/sync.md §4: "<domain>\n<path>\n<sha256 hex of the uncompressed body>\n".
export const signBody = (kp, body, path = PUSH, domain = 'motcua-sync-v1') => signText(kp, `${domain}\n${path}\n${sha256(body)}\n`);
export const enrolProof = (kp, agency = kp.agency, key = kp.pub) => signText(kp, `motcua-enrol-v1\n${agency}\n${key}\n`);

// The hub's signature on an answer to a node: over the body as received,
// bound to the path (the same signature fails for the other node route).
export function checkHubSigned(hubKey, res, path, what = '') {
  const sig = res.headers.get('motcua-signature');
  assert.match(sig || '', /^[0-9a-f]{128}$/, `${what}: Motcua-Signature on ${res.status} ${res.text.slice(0, 200)}`);
  assert.ok(verifyText(hubKey, `motcua-hub-v1\n${path}\n${sha256(Buffer.from(res.text))}\n`, sig), `${what}: the hub's signature verifies (${res.status})`);
  const other = path === PULL ? PUSH : PULL;
  assert.ok(!verifyText(hubKey, `motcua-hub-v1\n${other}\n${sha256(Buffer.from(res.text))}\n`, sig), `${what}: not valid for another path`);
}

export function expectError(res, status, code, what) {
  assert.equal(res.status, status, `${what}: expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 300)}`);
  if (code) assert.equal(res.json?.error?.code, code, `${what}: error code (${res.text.slice(0, 300)})`);
  return res.json;
}

// A query on a node's database with the sqlite3 CLI (n.data: its directory).
export function sql(n, q) {
  return execFileSync('sqlite3', [join(n.data, 'motcua.db'), q], { encoding: 'utf8' }).trim();
}

// A provincial hub in root/name with one officer of each role.
export function makeHub(root, name) {
  const h = { dir: root, data: join(root, name), env: {} };
  motcua(['init', '--hub', '--agency', HUB_AGENCY, '--name', 'Tỉnh Thử', '--dir', h.data]);
  for (const [login, role] of [['quantri', 'admin'], ['giamsat', 'supervisor'], ['tiepnhan', 'reception'], ['chuyenvien', 'specialist'], ['lanhdao', 'leader']]) {
    motcua(['user', 'add', login, '--role', role, '--name', `Thử ${role}`, '--dir', h.data], { input: PASSWORD + '\n' });
  }
  return h;
}
