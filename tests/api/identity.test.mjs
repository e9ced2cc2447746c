// identity.test.mjs - the applicant's identity (issue 10, "The applicant"):
// every case of tests/data/identity_cases.json as a reception over HTTP.
// Accepted cases answer 201 with the fields as stored (a 13-digit tax code
// written with its dash, a passport upper-cased) and read back the same;
// refused ones answer 400 with the case's error code and add no event. The
// same table drives the CLI suite (tests/sh/cli.sh), the browser test
// (tests/ui/identity.test.mjs) and the core unit test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startNode, stopNode, login, client, newDossier, eventCount } from './harness.mjs';

const T = JSON.parse(readFileSync(join(ROOT, 'tests/data/identity_cases.json'), 'utf8'));
const D = '/api/v1/dossiers';

let node, desk;
before(async () => {
  node = await startNode();
  desk = await login(node, 'tiepnhan');
});
after(async () => { if (node) await stopNode(node); });

const bodyOf = (c) => newDossier({ applicant: { ...T.base, ...c.applicant } });

test('the case table covers every document type, both kinds, and refusals of each', () => {
  const types = new Set(T.cases.map((c) => c.applicant.id_type));
  for (const t of ['cccd', 'cmnd', 'passport', 'none']) {
    assert.ok(T.cases.some((c) => c.applicant.id_type === t && c.ok), `an accepted ${t}`);
    assert.ok(types.has(t));
  }
  for (const t of ['cccd', 'cmnd', 'passport']) assert.ok(T.cases.some((c) => c.applicant.id_type === t && !c.ok), `a refused ${t}`);
  assert.ok(T.cases.some((c) => c.applicant.kind === 'organisation' && c.ok), 'an accepted organisation');
  for (const code of ['text.bad_id_number', 'text.bad_id_type', 'text.bad_tax_code', 'text.required', 'dossier.bad_field']) {
    assert.ok(T.cases.some((c) => c.code === code), `a case refused with ${code}`);
  }
  const names = T.cases.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'case names are unique');
});

for (const c of T.cases) {
  test(`${c.ok ? 'accepted' : 'refused'}: ${c.name} (${c.why})`, async () => {
    const before = eventCount(node);
    const r = await desk.post(D, bodyOf(c));
    if (!c.ok) {
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, c.code, r.json.error.message);
      assert.ok(r.json.error.message.length > 0);
      assert.equal(eventCount(node), before, 'nothing was written');
      return;
    }
    assert.equal(r.status, 201, r.text);
    const ap = r.json.applicant;
    for (const [k, v] of Object.entries(c.stored)) assert.equal(ap[k], v, k);
    if (ap.kind === 'person') {
      for (const k of ['org_name', 'tax_code', 'representative']) assert.equal(ap[k], undefined, `a person has no ${k}`);
    }
    assert.equal(eventCount(node), before + 1, 'one reception event');
    // Read back as stored, in the list and in the reception event.
    const back = await desk.get(`${D}/${encodeURIComponent(r.json.code)}`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.json.applicant, ap);
    const ev = back.json.history.find((h) => h.action === 'receive');
    assert.ok(ev, 'the reception is on the timeline');
  });
}

test('a refused 13-digit CCCD is not stored cut to 12 digits: no dossier carries the 12-digit prefix', async () => {
  const c = T.cases.find((x) => x.name === 'cccd 13 digits');
  const cut = c.applicant.id_number.slice(0, 12);
  const r = await desk.get(`${D}?q=${cut}&limit=50`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.filter((d) => d.applicant && d.applicant.id_number === cut), []);
});

test('an organisation is found by its name and tax code; the citizen look-up shows no identity', async () => {
  const c = T.cases.find((x) => x.name === 'organisation 13 digits');
  const r = await desk.post(D, bodyOf(c));
  assert.equal(r.status, 201, r.text);
  for (const q of ['0101234567-001', 'dich vu kim boi']) {
    const s = await desk.get(`${D}?q=${encodeURIComponent(q)}&limit=50`);
    assert.equal(s.status, 200);
    assert.ok(s.json.items.some((d) => d.code === r.json.code), `found by "${q}"`);
  }
  const pub = await client(node).get(`/api/v1/public/lookup?code=${encodeURIComponent(r.json.code)}&phone=${T.base.phone.slice(-4)}`);
  assert.equal(pub.status, 200, pub.text);
  const text = JSON.stringify(pub.json);
  for (const secret of [c.applicant.id_number, '0101234567', c.applicant.representative]) {
    assert.ok(!text.includes(secret), `the look-up does not show ${secret}`);
  }
});
