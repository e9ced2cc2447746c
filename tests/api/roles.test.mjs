// roles.test.mjs - the role matrix (issue 4, "Done when"): every role × every
// action of the permission table is either allowed or answered 403, exactly as
// docs/permissions.md says. The expectations are read from that file, so the
// table, the document and the server must all agree.
//
// Each case gets a fresh dossier, brought by the admin (quantri, who may do
// everything) into a state where the action applies, assigned to the
// specialist (chuyenvien) where the action needs an assignee; then the role
// under test tries the action. Allowed means 2xx and the state the table names;
// refused means 403 with a JSON error, no event recorded and the dossier
// unchanged. The clock is pinned (Monday 2026-03-02 09:00).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startNode, stopNode, login, newDossier, applicant, eventCount } from './harness.mjs';

const ENV = { MOTCUA_TEST_NOW: '2026-03-02 09:00' };
const OTHER = '000.32.45.H45';
const D = '/api/v1/dossiers';
const ROLES = ['reception', 'specialist', 'leader', 'admin', 'supervisor'];
const LOGIN = { reception: 'tiepnhan', specialist: 'chuyenvien', leader: 'lanhdao', admin: 'quantri', supervisor: 'giamsat' };

// docs/permissions.md: | `action` | Vietnamese | from states | to | reception | specialist | leader | admin | supervisor |
function readPermissions() {
  const text = readFileSync(join(ROOT, 'docs/permissions.md'), 'utf8');
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  const header = lines.find((l) => /\|\s*action\s*\|/.test(l));
  assert.ok(header, 'the permission table header in docs/permissions.md');
  const cols = header.split('|').slice(1, -1).map((s) => s.trim());
  for (const r of ROLES) assert.ok(cols.includes(r), `column ${r} in docs/permissions.md`);
  const table = {};
  for (const l of lines) {
    const cells = l.split('|').slice(1, -1).map((s) => s.trim());
    const m = /^`([a-z_]+)`$/.exec(cells[0] || '');
    if (!m || cells.length !== cols.length) continue;
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    if (!('from states' in row)) continue;
    table[m[1]] = {
      from: row['from states'].split(',').map((s) => s.trim()),
      to: row.to,
      roles: Object.fromEntries(ROLES.map((r) => [r, row[r]])),
    };
  }
  return table;
}

const PERMS = readPermissions();
const ACTIONS = Object.keys(PERMS);

let node;
const as = {}; // role → signed-in client

before(async () => {
  node = await startNode({ env: ENV });
  for (const r of ROLES) as[r] = await login(node, LOGIN[r]);
});

after(async () => {
  if (node) await stopNode(node);
});

// ---- helpers ----

function expectStatus(res, status, what) {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  return res.json;
}

async function create(over = {}) {
  const r = await as.admin.post(D, newDossier(over));
  return expectStatus(r, 201, 'admin receives a dossier');
}

async function adminAct(code, body) {
  const r = await as.admin.post(`${D}/${code}/actions`, body);
  return expectStatus(r, 200, `admin ${body.action}`);
}

// Brings a new dossier into state, assigned to assignee where it applies.
async function dossierIn(state, assignee = 'chuyenvien') {
  if (state === 'submitted') {
    const d = await create({ channel: 'online', pending: true });
    assert.equal(d.status, 'submitted');
    return d;
  }
  const d = await create();
  if (state === 'received') return d;
  await adminAct(d.code, { action: 'assign', to: assignee, comment: 'Giao xử lý' });
  switch (state) {
    case 'processing':
      break;
    case 'supplement':
      await adminAct(d.code, { action: 'request_supplement', comment: 'Thiếu giấy tờ' });
      break;
    case 'awaiting_payment':
      await adminAct(d.code, { action: 'request_payment' });
      break;
    case 'awaiting_approval':
      await adminAct(d.code, { action: 'submit_approval', comment: 'Trình' });
      break;
    case 'result_ready':
      await adminAct(d.code, { action: 'submit_approval', comment: 'Trình' });
      await adminAct(d.code, { action: 'approve' });
      break;
    default:
      throw new Error('no recipe for state ' + state);
  }
  const g = expectStatus(await as.admin.get(`${D}/${d.code}`), 200, 'read back');
  assert.equal(g.status, state);
  return g;
}

// For each action: the state to try it in and the request body.
const CASES = {
  accept: { state: 'submitted', body: {} },
  refuse: { state: 'received', body: { comment: 'Không thuộc thẩm quyền' } },
  request_supplement: { state: 'processing', body: { comment: 'Bổ sung bản sao' } },
  supplement_received: { state: 'supplement', body: { comment: 'Đã nhận bổ sung' } },
  assign: { state: 'received', body: { to: 'chuyenvien' } },
  reassign: { state: 'processing', body: { to: 'lanhdao', comment: 'Phân công lại' } },
  request_payment: { state: 'processing', body: {} },
  payment_received: { state: 'awaiting_payment', body: {} },
  submit_approval: { state: 'processing', body: { comment: 'Trình ký' } },
  approve: { state: 'awaiting_approval', body: {} },
  send_back: { state: 'awaiting_approval', body: { comment: 'Kiểm tra lại' } },
  stop: { state: 'processing', body: { comment: 'Dừng theo đề nghị' } },
  withdraw: { state: 'received', body: { comment: 'Công dân rút' } },
  apology: { state: 'processing', body: { comment: 'Cần xác minh thêm', new_due: '2026-03-20T17:00+07:00' } },
  return: { state: 'result_ready', body: { comment: 'Nhận trực tiếp' } },
  transfer: { state: 'received', body: { to_agency: OTHER, comment: 'Chuyển xã khác' } },
};

// The state the table says an action leads to, from a given state.
function expectedState(action, from) {
  const to = PERMS[action].to;
  if (to === '(same)') return from;
  if (to.startsWith('(state before')) return 'processing'; // every supplement here paused processing
  return to;
}

// ---- the table itself ----

test('docs/permissions.md lists every action the test knows, and only those', () => {
  assert.deepEqual([...ACTIONS].sort(), Object.keys(CASES).sort());
  for (const a of ACTIONS) {
    assert.ok(PERMS[a].from.includes(CASES[a].state), `${a} applies in ${CASES[a].state}`);
    for (const r of ROLES) assert.ok(['yes', 'own', '-'].includes(PERMS[a].roles[r]), `${a}/${r}: ${PERMS[a].roles[r]}`);
  }
  for (const a of ACTIONS) assert.equal(PERMS[a].roles.supervisor, '-', 'the supervisor changes nothing');
  for (const a of ACTIONS) assert.equal(PERMS[a].roles.admin, 'yes', 'the admin may do everything');
});

for (const role of ROLES) {
  test(`GET /api/v1/me lists exactly the actions docs/permissions.md allows a ${role}`, async () => {
    const me = expectStatus(await as[role].get('/api/v1/me'), 200, 'me');
    assert.equal(me.role, role);
    const allowed = ACTIONS.filter((a) => PERMS[a].roles[role] !== '-').sort();
    assert.deepEqual([...me.actions].sort(), allowed);
  });
}

// ---- every role × every action ----

for (const role of ROLES) {
  for (const action of Object.keys(CASES)) {
    const rule = PERMS[action] ? PERMS[action].roles[role] : undefined;
    const verdict = rule === '-' ? '403' : 'allowed';
    test(`${role} × ${action} → ${verdict} (${rule})`, async () => {
      assert.ok(rule, `${action} is in docs/permissions.md`);
      const c = CASES[action];
      const d = await dossierIn(c.state);
      const before = eventCount(node);
      const r = await as[role].post(`${D}/${d.code}/actions`, { action, ...c.body });
      if (rule === '-') {
        expectStatus(r, 403, `${role} ${action}`);
        assert.ok(r.json && r.json.error && r.json.error.code && r.json.error.message, `JSON error: ${r.text}`);
        assert.equal(eventCount(node), before, 'nothing recorded');
        const g = expectStatus(await as.admin.get(`${D}/${d.code}`), 200, 'read back');
        assert.equal(g.status, d.status, 'state unchanged');
        assert.equal(g.agency, d.agency);
        assert.equal(g.history.length, d.history.length);
      } else {
        assert.notEqual(r.status, 403, `${role} may ${action} (${rule}) but got 403: ${r.text}`);
        expectStatus(r, 200, `${role} ${action}`);
        const x = r.json;
        assert.equal(x.status, expectedState(action, d.status), `${action} from ${d.status}`);
        assert.equal(x.history.at(-1).action, action);
        assert.equal(x.history.at(-1).actor, LOGIN[role]);
        assert.equal(eventCount(node), before + 1, 'one event');
        if (action === 'transfer') assert.equal(x.agency, OTHER);
        if (action === 'assign') assert.equal(x.assignee, 'chuyenvien');
        if (action === 'reassign') assert.equal(x.assignee, 'lanhdao');
        if (action === 'apology') assert.equal(x.due_at, '2026-03-20T17:00:00+07:00');
      }
    });
  }
}

// ---- "own": a specialist acts only on dossiers assigned to them ----

for (const action of Object.keys(CASES)) {
  if (!PERMS[action] || PERMS[action].roles.specialist !== 'own') continue;
  const c = CASES[action];
  if (!['processing', 'supplement', 'awaiting_payment', 'awaiting_approval'].includes(c.state)) continue;
  test(`specialist × ${action} on a dossier assigned to someone else → 403`, async () => {
    const d = await dossierIn(c.state, 'lanhdao');
    assert.equal(d.assignee, 'lanhdao');
    const before = eventCount(node);
    const r = await as.specialist.post(`${D}/${d.code}/actions`, { action, ...c.body });
    expectStatus(r, 403, `specialist ${action} on another's dossier`);
    assert.equal(eventCount(node), before);
    const g = expectStatus(await as.admin.get(`${D}/${d.code}`), 200, 'read back');
    assert.equal(g.status, d.status);
  });
}

test('specialist on an unassigned received dossier: own-only actions → 403', async () => {
  const d = await dossierIn('received');
  const before = eventCount(node);
  expectStatus(await as.specialist.post(`${D}/${d.code}/actions`, { action: 'request_supplement', comment: 'x' }), 403, 'request_supplement');
  assert.equal(eventCount(node), before);
});

// ---- endpoints beyond the dossier actions ----

test('POST /api/v1/dossiers: reception and admin 201; specialist, leader, supervisor 403', async () => {
  for (const role of ROLES) {
    const before = eventCount(node);
    const r = await as[role].post(D, newDossier({ applicant: applicant(`Người ${role}`) }));
    if (role === 'reception' || role === 'admin') {
      expectStatus(r, 201, role);
      assert.equal(eventCount(node), before + 1);
    } else {
      expectStatus(r, 403, role);
      assert.ok(r.json.error.message);
      assert.equal(eventCount(node), before);
    }
  }
});

test('back-dating a reception (received_at) is for the admin only', async () => {
  const body = newDossier({ received_at: '2026-02-20T08:00+07:00' });
  const before = eventCount(node);
  expectStatus(await as.reception.post(D, body), 403, 'reception back-dates');
  assert.equal(eventCount(node), before);
  const d = expectStatus(await as.admin.post(D, body), 201, 'admin back-dates');
  assert.equal(d.received_at, '2026-02-20T08:00:00+07:00');
});

test('every role reads dossiers, procedures and the calendar', async () => {
  const d = await create();
  for (const role of ROLES) {
    expectStatus(await as[role].get(`${D}?limit=3`), 200, `${role} lists`);
    expectStatus(await as[role].get(`${D}/${d.code}`), 200, `${role} reads`);
    expectStatus(await as[role].get('/api/v1/procedures?q=khai%20sinh'), 200, `${role} procedures`);
    expectStatus(await as[role].get('/api/v1/calendar/days-off?year=2026'), 200, `${role} calendar`);
  }
});

test('users endpoints: admin only; everyone else 403 and nothing changes', async () => {
  expectStatus(await as.admin.get('/api/v1/users'), 200, 'admin lists users');
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const before = eventCount(node);
    const c = as[role];
    const list = expectStatus(await c.get('/api/v1/users'), 403, `${role} GET /users`);
    assert.ok(list.error);
    expectStatus(await c.post('/api/v1/users', { login: `moi_${role}`, name: 'Người Mới', role: 'admin', password: 'mat-khau-moi-1' }), 403, `${role} POST /users`);
    expectStatus(await c.patch('/api/v1/users/tiepnhan', { role: 'admin' }), 403, `${role} PATCH role`);
    expectStatus(await c.patch('/api/v1/users/quantri', { password: 'chiem-quyen-1' }), 403, `${role} PATCH password`);
    expectStatus(await c.patch('/api/v1/users/lanhdao', { disabled: true }), 403, `${role} PATCH disabled`);
    expectStatus(await c.patch(`/api/v1/users/${LOGIN[role]}`, { role: 'admin' }), 403, `${role} promotes self`);
    assert.equal(eventCount(node), before, `${role}: nothing recorded`);
  }
  const users = expectStatus(await as.admin.get('/api/v1/users'), 200, 'admin lists users').items;
  for (const u of users) {
    assert.ok(!u.login.startsWith('moi_'), `${u.login} was added`);
    assert.equal(u.disabled, false, `${u.login} disabled`);
  }
  assert.equal(users.find((u) => u.login === 'tiepnhan').role, 'reception');
  for (const role of ROLES) expectStatus(await as[role].get('/api/v1/me'), 200, `${role} still signed in`);
});

test('audit: supervisor and admin 200; reception, specialist, leader 403', async () => {
  for (const role of ROLES) {
    const r = await as[role].get('/api/v1/audit?after_seq=0&limit=3');
    if (role === 'supervisor' || role === 'admin') {
      assert.equal(expectStatus(r, 200, role).events.length, 3);
    } else {
      expectStatus(r, 403, role);
      assert.ok(r.json.error.message);
      assert.ok(!r.text.includes('prev_hash'));
    }
  }
});

test('settings and imports: admin only', async () => {
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const before = eventCount(node);
    const c = as[role];
    expectStatus(await c.patch('/api/v1/settings', { cutoff: '14:00' }), 403, `${role} PATCH /settings`);
    expectStatus(await c.post('/api/v1/calendar/import', 'date,kind\n2026-03-03,off\n', { headers: { 'Content-Type': 'text/csv' } }), 403, `${role} calendar import`);
    expectStatus(await c.post('/api/v1/catalog/import', '{"code":"9.999999","name":"Thủ tục giả"}\n', { headers: { 'Content-Type': 'application/x-ndjson' } }), 403, `${role} catalog import`);
    assert.equal(eventCount(node), before, `${role}: nothing recorded`);
  }
  assert.equal(expectStatus(await as.admin.get('/api/v1/settings'), 200, 'settings').cutoff, '15:00');
  expectStatus(await as.admin.get('/api/v1/procedures/9.999999'), 404, 'no procedure was imported');
});

test('the supervisor reads everything and changes nothing', async () => {
  const d = await dossierIn('processing');
  const sup = as.supervisor;
  expectStatus(await sup.get(`${D}/${d.code}`), 200, 'read');
  expectStatus(await sup.get('/api/v1/dashboard'), 200, 'dashboard');
  const before = eventCount(node);
  for (const action of ACTIONS) {
    const r = await sup.post(`${D}/${d.code}/actions`, { action, ...CASES[action].body });
    expectStatus(r, 403, `supervisor ${action}`);
  }
  assert.equal(eventCount(node), before);
});
