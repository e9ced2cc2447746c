// report-count.mjs - Biểu II.06a counted again from a node's event log,
// independently of the product: the events are read with the sqlite3
// command (no SQL of motcua's), each dossier's life is replayed from them,
// and the rules of DOMAIN.md / DESIGN §4 are applied here:
// - received: the last event that put the dossier in a state past
//   reception with a reception time; refused at the desk = never received;
// - owner: the agency of the record the last event left (a transfer moves it);
// - ended: the first event into result_ready, refused, stopped or withdrawn
//   after reception; late if a supplement was asked twice or more while
//   processing, else early / on time / late by the date of the end against
//   the date of the legal due time the ending event's record holds;
// - pending at the end instant E: judged on the last event before E: in a
//   supplement wait, overdue only if it was overdue when the wait began;
//   else overdue if E is past the legal due time that event's record holds.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ENDED = new Set(['result_ready', 'returned', 'refused', 'stopped', 'withdrawn']);
const PROCESSING = new Set(['processing', 'awaiting_approval', 'awaiting_payment']);

export function readEvents(dataDir) {
  const out = execFileSync('sqlite3', ['-json', join(dataDir, 'motcua.db'),
    "select seq, at, kind, dossier, payload from event where dossier is not null and kind like 'dossier.%' order by seq"],
  { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.trim() ? JSON.parse(out) : [];
}

const t = (iso) => (iso ? Date.parse(iso) / 1000 : 0);
// The local (UTC+7) date of an instant, as a day number.
const localDay = (s) => Math.floor((s + 7 * 3600) / 86400);

// Each dossier's facts, from its events.
export function lives(events) {
  const by = new Map();
  for (const e of events) {
    const p = JSON.parse(e.payload);
    if (!p.dossier) continue;
    let l = by.get(e.dossier);
    if (!l) by.set(e.dossier, (l = { code: e.dossier, steps: [] }));
    l.steps.push({ at: t(e.at), kind: e.kind, from: p.from, to: p.to, rec: p.dossier });
  }
  for (const l of by.values()) {
    const last = l.steps[l.steps.length - 1].rec;
    l.owner = last.agency;
    l.online = last.channel === 'online';
    l.procedure = last.procedure;
    // The reception: the last step leaving a record with a reception time
    // after a step whose record had none.
    l.received = 0;
    let prev = 0;
    for (const s of l.steps) {
      const r = t(s.rec.received_at);
      if (r && !prev) l.received = s.at;
      if (!r) l.received = 0;
      prev = r;
    }
    l.ended = 0;
    let supp = 0;
    for (const s of l.steps) {
      if (s.kind === 'dossier.request_supplement' && PROCESSING.has(s.from)) supp++;
      if (!l.ended && l.received && s.at >= l.received && ENDED.has(s.to) && !ENDED.has(s.from)) {
        l.ended = s.at;
        const due = t(s.rec.due_legal);
        l.verdict = supp >= 2 ? 'late'
          : localDay(s.at) < localDay(due) ? 'early'
            : localDay(s.at) === localDay(due) ? 'on_time' : 'late';
      }
    }
  }
  return [...by.values()];
}

// The II.06a column keys a dossier counts in for [from, end).
export function cellsOf(l, from, end) {
  const c = [];
  if (!l.received || l.received >= end) return c;
  if (l.ended && l.ended < from) return c;
  c.push(l.received < from ? 'carried' : l.online ? 'new_online' : 'new_direct');
  if (l.ended && l.ended < end) {
    c.push(l.verdict);
  } else {
    let last = null;
    for (const s of l.steps) if (s.at < end) last = s;
    const rec = last.rec;
    let overdue;
    if (rec.status === 'supplement' && t(rec.received_at)) {
      // in a wait: the clock stood still from its start
      let start = last.at;
      for (const s of l.steps) if (s.at < end && s.kind === 'dossier.request_supplement') start = s.at;
      overdue = start > t(rec.due_legal);
    } else {
      overdue = end > t(rec.due_legal);
    }
    c.push(overdue ? 'overdue' : 'in_time');
  }
  return c;
}

const SUMS = {
  received: ['carried', 'new_online', 'new_direct'],
  resolved: ['early', 'on_time', 'late'],
  pending: ['in_time', 'overdue'],
};

// The total row of II.06a for agency over [from, end).
export function countII06a(all, agency, from, end) {
  const v = { carried: 0, new_online: 0, new_direct: 0, early: 0, on_time: 0, late: 0, in_time: 0, overdue: 0 };
  for (const l of all) {
    if (l.owner !== agency) continue;
    for (const k of cellsOf(l, from, end)) v[k]++;
  }
  for (const [k, parts] of Object.entries(SUMS)) v[k] = parts.reduce((s, p) => s + v[p], 0);
  return v;
}

// [from, end) of local dates "YYYY-MM-DD" (to inclusive); a period not over
// yet ends just after now.
export function period(fromDate, toDate, nowIso) {
  const from = Date.parse(fromDate + 'T00:00:00+07:00') / 1000;
  const end = Date.parse(toDate + 'T00:00:00+07:00') / 1000 + 86400;
  const now = Date.parse(nowIso) / 1000;
  return [from, end <= now ? end : now + 1]; // what happened at now is in
}
