// documents.test.mjs - a commune's document registers and the hub (issue
// 14, docs/sync.md §7.1): the node's document.registered and
// document.updated events reach the hub through the fault-injecting proxy,
// are stored there as signed with the verdict "stored" (no hub state: the
// registers are the commune's own), and the scan the incoming entry names
// follows its attachment.added event, byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login } from '../api/harness.mjs';
import { sha256, sql } from '../api/sync-helpers.mjs';
import { pdf, cli, world, addNode, cleanup, quietly } from './world.mjs';

test('document events reach the hub stored; the scan they name follows', { timeout: 180000 }, async () => {
  const w = await world('documents');
  try {
    const a = await addNode(w, 'a', '000.31.02.H45');
    const bytes = pdf('Cong van so 1234');
    const ids = await quietly(a, async () => {
      const c = await login(a, 'tiepnhan');
      const up = await c.req('POST', '/api/v1/attachments?filename=cv-1234.pdf', new Uint8Array(bytes), { headers: { 'Content-Type': 'application/pdf' } });
      assert.equal(up.status, 201, up.text);
      const d = await c.post('/api/v1/documents/in', {
        issuer: 'UBND tỉnh Phú Thọ', symbol: '1234/UBND-KGVX', doc_date: '2026-01-05', received_at: '2026-01-06', type: 'cong_van',
        excerpt: 'V/v rà soát nhiệm vụ chính trị', attachments: [up.json.sha256], unit: 'VP',
      });
      assert.equal(d.status, 201, d.text);
      const lead = await login(a, 'lanhdao');
      assert.equal((await lead.patch(`/api/v1/documents/in/${d.json.id}`, { done: true })).status, 200);
      const o = await c.post('/api/v1/documents/out', { type: 'quyet_dinh', excerpt: 'Về việc thành lập Tổ công tác', unit: 'VP', signer: { name: 'Hoàng Văn Dũng', title: 'Chủ tịch' }, recipients: ['Như Điều 3'] });
      assert.equal(o.status, 201, o.text);
      return [d.json.id, o.json.id];
    });
    const r = cli(a.data, ['sync', 'now']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const rows = sql(w.hub, "select kind || ':' || verdict from hub_event where agency = '000.31.02.H45' and kind like 'document.%' order by seq").split('\n');
    assert.deepEqual(rows, ['document.registered:stored', 'document.updated:stored', 'document.registered:stored']);
    const payload = JSON.parse(sql(w.hub, "select payload from hub_event where agency = '000.31.02.H45' and kind = 'document.updated'"));
    assert.equal(payload.document.id, ids[0]);
    assert.equal(payload.document.state, 'done');
    assert.equal(payload.document.attachments[0].sha256, sha256(bytes));
    assert.equal(sql(w.hub, `select kind || ':' || agency from hub_file where sha256 = '${sha256(bytes)}'`), 'attachment:000.31.02.H45');
    assert.equal(sql(w.hub, "select count(*) from hub_event where agency = '000.31.02.H45' and verdict in ('rejected','deferred')"), '0');
  } finally { await cleanup(w); }
});
