// durability.test.mjs - issue 4, "Done when": a client creates dossiers in a
// loop, a few requests in flight, while the server is killed with SIGKILL at
// a random moment; 20 rounds. After each restart every dossier that got a 201
// exists (with what was sent), no code was handed out twice, the number of
// new rows lies between the 201s and the 201s plus the requests whose fate is
// unknown, and `motcua check` passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, startNode, startServer, stopNode, login, newDossier, applicant } from './harness.mjs';

const ROUNDS = 20;
const WORKERS = 4; // requests in flight at once
const LOOP_CAP_MS = 5000; // a round's loop stops by itself even if the kill never comes
const REQ_TIMEOUT_MS = 5000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function dossierRows(node) {
  return Number(execFileSync('sqlite3', [join(node.data, 'motcua.db'), 'select count(*) from dossier'], { encoding: 'utf8' }).trim());
}

function check(node) {
  try {
    return { rc: 0, out: execFileSync(BIN, ['check', '--dir', node.data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { rc: e.status ?? -1, out: `${e.stdout || ''}${e.stderr || ''}` };
  }
}

// Creates dossiers as fast as it can until stop() is called or the cap passes.
// With keyed, each request carries an Idempotency-Key and the requests whose
// fate is unknown are listed in res.lost (to be retried after the restart).
function createLoop(node, c, round, keyed = false) {
  let stopped = false;
  const deadline = Date.now() + LOOP_CAP_MS;
  const res = { created: [], unknown: 0, unexpected: [], lost: [] };
  const worker = async (w) => {
    for (let i = 0; !stopped && Date.now() < deadline; i++) {
      const summary = `độ bền ${keyed ? 'khoá ' : ''}r${round} w${w} #${i}`;
      const body = JSON.stringify(newDossier({ summary, applicant: applicant(`Người thử ${round}-${w}-${i}`) }));
      const key = `durable-r${round}-w${w}-i${i}-${process.pid}`;
      let status = 0;
      let text = '';
      try {
        const headers = { 'Content-Type': 'application/json', Cookie: c.cookie, 'X-CSRF-Token': c.csrf };
        if (keyed) headers['Idempotency-Key'] = key;
        const r = await fetch(node.base + '/api/v1/dossiers', {
          method: 'POST', headers, body, signal: AbortSignal.timeout(REQ_TIMEOUT_MS),
        });
        status = r.status;
        text = await r.text();
      } catch (e) {
        // The connection broke: the dossier may or may not exist.
        res.unknown++;
        res.lost.push({ key, body, summary });
        if (stopped) return;
        res.unexpected.push(`round ${round}: request failed before the kill: ${e.cause?.code || e.message}`);
        return;
      }
      if (status === 201) {
        let code;
        try { code = JSON.parse(text).code; } catch { /* cut off by the kill */ }
        if (typeof code === 'string' && code) res.created.push({ code, summary });
        else { res.unknown++; res.lost.push({ key, body, summary }); }
      } else {
        res.unexpected.push(`round ${round}: POST /api/v1/dossiers answered ${status}: ${text.slice(0, 200)}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return { res, done, stop: () => { stopped = true; } };
}

test(`SIGKILL while creating dossiers, ${ROUNDS} rounds: every 201 survives and check passes`, { timeout: 15 * 60 * 1000 }, async (t) => {
  const node = await startNode();
  const problems = [];
  const everything = new Map(); // code -> summary, over all rounds
  let total201 = 0;
  let totalUnknown = 0;
  try {
    let c = await login(node, 'tiepnhan');
    for (let round = 1; round <= ROUNDS; round++) {
      const rows0 = dossierRows(node);
      const loop = createLoop(node, c, round);
      await sleep(50 + Math.random() * 350);
      const proc = node.proc;
      if (proc.exitCode !== null || proc.signalCode !== null) {
        problems.push(`round ${round}: the server exited by itself (${proc.exitCode ?? proc.signalCode}): ${node.log.slice(-500)}`);
      } else {
        const exited = new Promise((r) => proc.once('exit', r));
        loop.stop(); // from here on a broken connection is expected
        proc.kill('SIGKILL');
        await exited;
      }
      loop.stop();
      await loop.done;
      const { created, unknown, unexpected } = loop.res;
      problems.push(...unexpected);
      total201 += created.length;
      totalUnknown += unknown;
      for (const d of created) {
        if (everything.has(d.code)) problems.push(`round ${round}: code ${d.code} was handed out twice`);
        everything.set(d.code, d.summary);
      }

      // Restart on a new port; the old session should still be good.
      const old = c;
      await startServer(node);
      const me = await fetch(node.base + '/api/v1/me', { headers: { Cookie: old.cookie } });
      if (me.status !== 200) problems.push(`round ${round}: the session did not survive the restart (GET /api/v1/me → ${me.status})`);
      c = await login(node, 'tiepnhan');

      for (const d of created) {
        const r = await fetch(`${node.base}/api/v1/dossiers/${encodeURIComponent(d.code)}`, { headers: { Cookie: c.cookie } });
        const body = await r.text();
        if (r.status !== 200) {
          problems.push(`round ${round}: dossier ${d.code} got a 201 but GET answers ${r.status}: ${body.slice(0, 200)}`);
          continue;
        }
        const j = JSON.parse(body);
        if (j.summary !== d.summary) problems.push(`round ${round}: dossier ${d.code} holds summary '${j.summary}', sent '${d.summary}'`);
      }
      const rows1 = dossierRows(node);
      if (rows1 - rows0 < created.length || rows1 - rows0 > created.length + unknown) {
        problems.push(`round ${round}: ${rows1 - rows0} new dossier rows for ${created.length} 201s and ${unknown} unknown`);
      }
      t.diagnostic(`round ${round}: ${created.length} created, ${unknown} unknown, ${rows1 - rows0} new rows`);
      const ck = check(node);
      if (ck.rc !== 0) problems.push(`round ${round}: motcua check exited ${ck.rc}: ${ck.out.trim().slice(0, 500)}`);
      if (problems.length > 50) break;
    }

    // A last pass: nothing acknowledged in an earlier round went missing later.
    for (const [code, summary] of everything) {
      const r = await fetch(`${node.base}/api/v1/dossiers/${encodeURIComponent(code)}`, { headers: { Cookie: c.cookie } });
      const body = await r.text();
      if (r.status !== 200) problems.push(`final: dossier ${code} answers ${r.status}`);
      else if (JSON.parse(body).summary !== summary) problems.push(`final: dossier ${code} changed its summary`);
    }
  } finally {
    await stopNode(node);
  }
  assert.deepEqual(problems, [], `${problems.length} problems (${total201} dossiers acknowledged, ${totalUnknown} unknown)`);
  assert.ok(total201 >= ROUNDS, `the loop created dossiers at all (${total201})`);
  assert.ok(totalUnknown > 0, 'some kills caught requests in flight');
});

// The same, with the client doing what the UI does on a broken link: every
// request carries an Idempotency-Key, and after the restart each request
// whose answer was lost is sent again with its key. Then every request has
// exactly one dossier: nothing lost, nothing doubled.
const KEYED_ROUNDS = 8;
test(`SIGKILL with Idempotency-Key retries, ${KEYED_ROUNDS} rounds: each request has exactly one dossier`, { timeout: 10 * 60 * 1000 }, async (t) => {
  const node = await startNode();
  const problems = [];
  let retried = 0, replays = 0; // replays: committed before the kill, answer lost
  try {
    let c = await login(node, 'tiepnhan');
    for (let round = 1; round <= KEYED_ROUNDS; round++) {
      const rows0 = dossierRows(node);
      const loop = createLoop(node, c, round, true);
      await sleep(50 + Math.random() * 350);
      const proc = node.proc;
      const exited = new Promise((r) => proc.once('exit', r));
      loop.stop();
      proc.kill('SIGKILL');
      await exited;
      await loop.done;
      const { created, lost, unexpected } = loop.res;
      problems.push(...unexpected);
      await startServer(node);
      c = await login(node, 'tiepnhan');
      for (const q of lost) {
        const r = await fetch(node.base + '/api/v1/dossiers', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'Idempotency-Key': q.key },
          body: q.body,
        });
        const text = await r.text();
        if (r.status !== 201) { problems.push(`round ${round}: the retry of ${q.key} answered ${r.status}: ${text.slice(0, 200)}`); continue; }
        retried++;
        if (r.headers.get('idempotent-replayed') === 'true') replays++;
        created.push({ code: JSON.parse(text).code, summary: q.summary });
      }
      const rows1 = dossierRows(node);
      const sent = new Set(created.map((d) => d.summary));
      if (sent.size !== created.length) problems.push(`round ${round}: two requests share a summary`);
      if (rows1 - rows0 !== created.length) problems.push(`round ${round}: ${rows1 - rows0} new dossier rows for ${created.length} requests`);
      const dup = execFileSync('sqlite3', [join(node.data, 'motcua.db'),
        `select summary, count(*) from dossier where summary like 'độ bền khoá r${round} %' group by summary having count(*) <> 1`], { encoding: 'utf8' }).trim();
      if (dup) problems.push(`round ${round}: doubled: ${dup.slice(0, 300)}`);
      for (const d of created) {
        const r = await fetch(`${node.base}/api/v1/dossiers/${encodeURIComponent(d.code)}`, { headers: { Cookie: c.cookie } });
        const j = await r.json();
        if (r.status !== 200 || j.summary !== d.summary) problems.push(`round ${round}: ${d.code} answers ${r.status} '${j.summary}', sent '${d.summary}'`);
      }
      t.diagnostic(`round ${round}: ${created.length - lost.length} acknowledged, ${lost.length} retried, ${rows1 - rows0} new rows`);
      const ck = check(node);
      if (ck.rc !== 0) problems.push(`round ${round}: motcua check exited ${ck.rc}: ${ck.out.trim().slice(0, 500)}`);
      if (problems.length > 50) break;
    }
  } finally {
    await stopNode(node);
  }
  assert.deepEqual(problems, [], `${problems.length} problems`);
  t.diagnostic(`${retried} retried, of which ${replays} had been written before the kill`);
  assert.ok(retried > 0, 'some kills caught requests in flight, which were retried');
});
