// client.test.mjs - a client derived from the API document works (issue 16):
// openapi-typescript turns `motcua openapi` into types
// (build/client/schema.d.ts), tsc type-checks and compiles reception.ts
// (openapi-fetch calls) against them into build/client/out, and the compiled
// client runs a reception against a fresh demo node: sign in, receive a
// dossier, assign it, read it back. The same file with one field the
// document does not have must not compile.
// Run by tests/sh/contract.sh (node --test tests/client/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, startNode, stopNode, motcua, PASSWORD } from '../api/harness.mjs';

const OUT = join(ROOT, 'build/client');
const BIN = (name) => join(ROOT, 'node_modules/.bin', name);

// tsc on a project; returns { status, output }.
function tsc(project) {
  const r = spawnSync(BIN('tsc'), ['-p', project, '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: (r.stdout + r.stderr).trim() };
}

let node;
before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  node = await startNode({ env: { MOTCUA_TEST_NOW: '2026-03-02 09:00' } });
});
after(async () => { if (node) await stopNode(node); });

test('openapi-typescript generates types from `motcua openapi`', () => {
  writeFileSync(join(OUT, 'openapi.json'), motcua(['openapi']));
  execFileSync(BIN('openapi-typescript'), [join(OUT, 'openapi.json'), '-o', join(OUT, 'schema.d.ts')], { cwd: ROOT, stdio: 'pipe' });
  const types = readFileSync(join(OUT, 'schema.d.ts'), 'utf8');
  assert.match(types, /export interface paths/);
  assert.match(types, /receiveDossier: \{/);
});

test('reception.ts type-checks against the generated types and compiles', () => {
  const r = tsc(join(ROOT, 'tests/client/tsconfig.json'));
  assert.equal(r.status, 0, `tsc:\n${r.output}`);
});

test('the compiled client signs in, receives a dossier, assigns it and reads it back', async () => {
  const { reception } = await import(pathToFileURL(join(OUT, 'out/reception.js')).href);
  const r = await reception(node.base, 'tiepnhan', PASSWORD, 'chuyenvien');
  assert.equal(r.signedInAs, 'tiepnhan');
  assert.match(r.received.code, /^000\.31\.45\.H45-\d{6}-\d{4}$/);
  assert.equal(r.received.status, 'received');
  assert.equal(r.moved.code, r.received.code);
  assert.equal(r.moved.status, 'processing');
  assert.equal(r.moved.assignee, 'chuyenvien');
  assert.deepEqual(r.readBack, r.moved, 'read back as the action answered it');
  assert.deepEqual(r.readBack.history.map((e) => e.action), ['receive', 'assign']);
  assert.equal(r.readBack.applicant.name, 'Trần Thị Khách');
});

// reception.ts with one change, type-checked (no output): must fail naming it.
function mutant(name, from, to) {
  const dir = join(OUT, 'mutants', name);
  mkdirSync(dir, { recursive: true });
  const src = readFileSync(join(ROOT, 'tests/client/reception.ts'), 'utf8');
  assert.ok(src.includes(from), `reception.ts has ${from}`);
  writeFileSync(join(dir, 'reception.ts'), src.replace(from, to));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(ROOT, 'tests/client/tsconfig.json'),
    compilerOptions: { noEmit: true, rootDir: '.' },
    files: ['reception.ts'],
  }));
  return tsc(join(dir, 'tsconfig.json'));
}

test('the type check fails when the client uses what the document does not have', () => {
  const cases = [
    ['answer-field', 'received.data.code; // FIELD', 'received.data.dossier_code; // FIELD', /TS2339: Property 'dossier_code' does not exist/],
    ['body-field', "summary: 'Hồ sơ", "colour: 'red', summary: 'Hồ sơ", /TS2353: Object literal may only specify known properties, and 'colour' does not exist/],
    ['action', "action: 'assign'", "action: 'delegate'", /TS2322: Type '"delegate"' is not assignable/],
    ['path', "api.GET('/api/v1/dossiers/{code}'", "api.GET('/api/v1/dossier/{code}'", /TS2345|TS2769/],
  ];
  for (const [name, from, to, re] of cases) {
    const r = mutant(name, from, to);
    assert.notEqual(r.status, 0, `${name}: compiled, yet it uses what the document does not have`);
    assert.match(r.output, re, name);
  }
});
