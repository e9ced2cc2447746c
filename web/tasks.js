// tasks.js - tasks (giao việc, issue 14; docs/tasks.md): '#/cong-viec' the
// lists (mine, my unit's, near due, overdue, all), '#/cong-viec/giao-viec'
// the form that assigns one (on a hub: to communes), '#/cong-viec/theo-doi'
// the leader's board (by unit, by directive, on a hub by commune), and
// '#/cong-viec/<agency>/<serial>' one task with its progress history and
// the buttons its state allows the officer.
import {
  h, clear, S, api, errText, msgBox, field, busy, fmtDT, fmtD, toMs, now, workSecs, fmtWork, daySecs,
  dateInput, readDate, staffName, tooLong,
} from './lib.js';

const isHub = () => S.settings && S.settings.node_role === 'hub';
const leaderish = () => ['leader', 'admin'].includes(S.me.role);
const seesBoard = () => ['leader', 'admin', 'supervisor'].includes(S.me.role);
export const taskHref = (id) => '#/cong-viec/' + id.split('/').map(encodeURIComponent).join('/');
const apiPath = (id) => '/tasks/' + id.split('/').map(encodeURIComponent).join('/');

const SOURCE = { document: 'Văn bản', meeting: 'Kết luận cuộc họp', person: 'Cá nhân giao' };
const SOURCE_REF = { document: 'Số, ký hiệu và trích yếu văn bản', meeting: 'Kết luận tại buổi làm việc, cuộc họp', person: 'Người giao, nội dung giao' };
const STATE = { assigned: 'Mới giao', in_progress: 'Đang thực hiện', reported_done: 'Đã báo cáo hoàn thành', accepted: 'Đã nghiệm thu', returned: 'Trả lại, làm tiếp', cancelled: 'Đã huỷ' };
const ACTION = {
  start: 'Bắt đầu thực hiện', progress: 'Báo cáo tiến độ', report_done: 'Báo cáo hoàn thành', accept: 'Nghiệm thu',
  return: 'Trả lại để làm tiếp', cancel: 'Huỷ nhiệm vụ', delegate: 'Giao cho đơn vị, cán bộ',
};
const RECUR = { monthly: 'Hằng tháng', quarterly: 'Hằng quý' };
const TABS = [['mine', 'Của tôi'], ['unit', 'Của đơn vị'], ['near_due', 'Sắp đến hạn'], ['overdue', 'Quá hạn'], ['all', 'Tất cả']];

export function taskBadge(t) {
  return h('span', { cls: 'badge tk-' + t.state }, t.state_label || STATE[t.state] || t.state);
}
// Working time left, overdue by, or how it ended.
export function taskDue(t) {
  if (t.state === 'cancelled') return null;
  if (t.state === 'accepted' || (t.state === 'reported_done' && t.timeliness)) {
    return h('span', { cls: 'due due-' + (t.timeliness || 'on_time') }, t.timeliness === 'late' ? 'Hoàn thành quá hạn' : 'Hoàn thành đúng hạn');
  }
  const n = now(), due = toMs(t.due_at);
  if (t.overdue || due < n) return h('span', { cls: 'due due-over' }, 'Quá hạn ' + (due < n ? fmtWork(workSecs(due, n)) : ''));
  const left = workSecs(n, due);
  return h('span', { cls: 'due ' + (t.near_due || left <= daySecs() ? 'due-near' : 'due-ok') }, 'Còn ' + fmtWork(left));
}
function bar(p) {
  return h('span', { cls: 'pbar' }, h('progress', { max: 100, value: p, 'aria-label': `Hoàn thành ${p}%` }), h('span', { cls: 'pct' }, `${p}%`));
}
function deadlineText(t) {
  const d = t.deadline || {};
  if (d.date) return 'Ngày ' + fmtD(d.date + 'T12:00:00+07:00');
  const U = { working_days: 'ngày làm việc', working_hours: 'giờ làm việc', calendar_days: 'ngày' };
  return `${d.time} ${U[d.unit] || d.unit} kể từ khi giao`;
}
const attLink = (a) => h('a', { href: '/api/v1/attachments/' + a.sha256, target: '_blank', rel: 'noopener' }, a.filename || a.sha256.slice(0, 12));

// ---- the lists ----

function taskTable(items, { commune } = {}) {
  const th = (t) => h('th', { scope: 'col' }, t);
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl tasks' },
    h('thead', null, h('tr', null, th('Nhiệm vụ'), th(isHub() ? 'Giao cho' : 'Chủ trì'), th('Tình trạng'), th('Hạn hoàn thành'))),
    h('tbody', null, items.map((t) => {
      const a = commune && t.assignment ? { ...t, ...t.assignment, due_at: t.due_at, state_label: t.assignment.state_label } : t;
      const sum = t.communes_summary;
      return h('tr', { 'data-id': t.id },
        h('td', { cls: 'task' }, h('a', { href: taskHref(t.id) }, t.title),
          h('div', { cls: 'meta' }, SOURCE[t.source.kind] + ': ' + t.source.ref),
          h('div', { cls: 'meta mono' }, t.id, t.recurrence ? ' · ' + RECUR[t.recurrence.every] : '')),
        h('td', null, sum ? `${sum.total} xã` : (t.unit_name || h('span', { cls: 'meta' }, 'Chưa giao đơn vị')),
          !sum && t.officer ? h('div', { cls: 'meta' }, t.officer_name || staffName(t.officer)) : null,
          sum && sum.overdue ? h('div', { cls: 'meta over' }, `${sum.overdue} xã quá hạn`) : null,
          !t.held_here ? h('div', { cls: 'meta' }, 'Xã ' + t.agency) : null),
        h('td', null, taskBadge(a), h('div', null, bar(a.percent))),
        h('td', { cls: 'when' }, fmtDT(t.due_at), ' ', taskDue(a)));
    }))));
}

export async function tasksScreen(view, q) {
  const tab = q.get('tab') || (isHub() ? 'all' : 'mine');
  const unit = q.get('unit') || '', source = q.get('source') || '', commune = q.get('commune') || '';
  const params = new URLSearchParams({ view: tab, limit: '50' });
  if (unit) params.set('unit', unit);
  if (source) params.set('source', source);
  if (commune) params.set('commune', commune);
  const units = (await api('GET', '/units')).units;
  const tabs = h('nav', { cls: 'tabs', 'aria-label': 'Danh sách công việc' }, TABS
    .filter(([k]) => !isHub() || k !== 'unit')
    .map(([k, label]) => h('a', { href: '#/cong-viec?tab=' + k, 'aria-current': k === tab ? 'page' : null }, label)));
  const box = h('div', { cls: 'plist' }, h('p', { cls: 'loading' }, 'Đang tải…'));
  const count = h('p', { cls: 'sub', 'aria-live': 'polite' });
  const filters = h('form', { cls: 'row filters', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams({ tab });
    const u = ev.target.elements.unit.value, s = ev.target.elements.source.value;
    if (u) p.set('unit', u);
    if (s) p.set('source', s);
    location.hash = '#/cong-viec?' + p;
  } },
  field('Đơn vị', h('select', { name: 'unit', value: unit }, h('option', { value: '' }, 'Tất cả'),
    units.filter((u) => u.active).map((u) => h('option', { value: u.code }, u.name)))),
  field('Nguồn chỉ đạo', h('select', { name: 'source', value: SOURCE[source] ? source : '' }, h('option', { value: '' }, 'Tất cả'),
    Object.entries(SOURCE).map(([k, v]) => h('option', { value: k }, v)))),
  h('div', { cls: 'fld' }, h('button', { type: 'submit' }, 'Lọc')));
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, isHub() ? 'Nhiệm vụ giao cho các xã' : 'Công việc được giao'),
      h('p', { cls: 'sub' }, 'Nhiệm vụ từ văn bản, kết luận cuộc họp hoặc cá nhân giao; hạn tính theo ngày làm việc.')),
    h('div', { cls: 'actions' },
      leaderish() ? h('a', { cls: 'btn primary', href: '#/cong-viec/giao-viec' }, isHub() ? 'Giao việc cho các xã' : 'Giao việc mới') : null,
      seesBoard() ? h('a', { cls: 'btn', href: '#/cong-viec/theo-doi' }, 'Bảng theo dõi') : null),
    tabs, filters,
    source && !SOURCE[source] ? h('p', { cls: 'sub' }, 'Theo chỉ đạo: ', h('strong', null, source), ' · ', h('a', { href: '#/cong-viec?tab=' + tab }, 'Bỏ lọc')) : null,
    commune ? h('p', { cls: 'sub' }, 'Của xã: ', h('strong', null, commune)) : null,
    count, box);
  let shown = 0;
  const page = async (offset, more) => {
    params.set('offset', String(offset));
    let r;
    try { r = await api('GET', '/tasks?' + params); } catch (e) {
      (more || box).replaceWith(msgBox('err', errText(e)));
      return;
    }
    if (!more) clear(box); else more.remove();
    shown += r.items.length;
    count.textContent = `${r.total} nhiệm vụ`;
    if (r.items.length) {
      const tb = box.querySelector('tbody');
      const t = taskTable(r.items, { commune });
      if (tb) tb.append(...t.querySelector('tbody').children); else box.append(t);
    }
    if (shown < r.total) {
      const b = h('button', { type: 'button', cls: 'more', onclick: () => { busy(b, true); page(shown, b); } }, 'Xem thêm');
      box.append(b);
    } else if (!shown) {
      box.append(h('p', { cls: 'empty' }, {
        mine: 'Bạn chưa được giao nhiệm vụ nào.', unit: S.me.unit ? 'Đơn vị chưa có nhiệm vụ nào.' : 'Tài khoản chưa thuộc đơn vị nào.',
        near_due: 'Không có nhiệm vụ nào sắp đến hạn.', overdue: 'Không có nhiệm vụ nào quá hạn.', all: 'Chưa có nhiệm vụ nào.',
      }[tab]));
    }
  };
  await page(0, null);
}

// ---- assigning ----

async function upload(files) {
  const out = [];
  for (const f of files) {
    const r = await api('POST', '/attachments?filename=' + encodeURIComponent(f.name), f, 'application/octet-stream');
    out.push(r.sha256);
  }
  return out;
}

export async function createScreen(view) {
  if (!leaderish()) throw new Error('Chỉ lãnh đạo và quản trị được giao việc.');
  const hub = isHub();
  const [units, agencies] = await Promise.all([
    hub ? Promise.resolve({ units: [] }) : api('GET', '/units'),
    hub ? api('GET', '/agencies') : Promise.resolve({ items: [] }),
  ]);
  const communes = agencies.items.filter((a) => a.kind === 'commune' && !a.self);
  const out = h('div', { 'aria-live': 'polite' });
  const title = h('input', { name: 'title', maxlength: 500, required: true });
  const content = h('textarea', { name: 'content', rows: 4 });
  const kindBox = h('fieldset', { cls: 'targets' }, h('legend', null, 'Nguồn chỉ đạo'),
    Object.entries(SOURCE).map(([k, v], i) => h('div', { cls: 'fld chk' },
      h('input', { type: 'radio', name: 'kind', id: 'src-' + k, value: k, checked: i === 0 }), h('label', { for: 'src-' + k }, v))));
  const ref = h('input', { name: 'ref', maxlength: 500, placeholder: 'Ví dụ: Kế hoạch 12/KH-UBND về rà soát nhiệm vụ năm 2026' });
  const refF = field(SOURCE_REF.document, ref);
  const srcDate = dateInput('source_date', '');
  const kind = () => kindBox.querySelector('input:checked').value;
  kindBox.addEventListener('change', () => {
    refF.querySelector('label').textContent = SOURCE_REF[kind()];
    ref.placeholder = { document: 'Ví dụ: Kế hoạch 12/KH-UBND về rà soát nhiệm vụ năm 2026', meeting: 'Ví dụ: Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc ngày 10/3/2026', person: 'Ví dụ: Chủ tịch UBND xã giao trực tiếp' }[kind()];
  });
  // Owner: a unit of this node, its officer, co-workers.
  const unitSel = h('select', { name: 'unit' }, h('option', { value: '' }, '— Chọn đơn vị —'),
    units.units.filter((u) => u.active).sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'node' ? -1 : 1))
      .map((u) => h('option', { value: u.code }, u.name)));
  const people = S.staff.filter((s) => !s.disabled && s.role !== 'supervisor');
  const officer = h('select', { name: 'officer' });
  const cw = h('div', { cls: 'communes cw' });
  const fillPeople = () => {
    const u = unitSel.value;
    const sorted = [...people].sort((a, b) => (b.unit === u) - (a.unit === u) || a.name.localeCompare(b.name, 'vi'));
    clear(officer, h('option', { value: '' }, '— Chưa chỉ định (lãnh đạo đơn vị phân công) —'),
      sorted.map((s) => h('option', { value: s.login }, s.name + (s.unit === u && u ? '' : s.unit ? ` (${s.unit})` : ''))));
    clear(cw, sorted.map((s) => h('div', { cls: 'fld chk' }, h('input', { type: 'checkbox', id: 'cw-' + s.login, name: 'cw', value: s.login }),
      h('label', { for: 'cw-' + s.login }, s.name + (s.unit ? ` (${s.unit})` : '')))));
  };
  unitSel.addEventListener('change', fillPeople);
  fillPeople();
  // Communes (hub).
  const allC = h('input', { type: 'radio', name: 'to', id: 'to-all', value: 'all', checked: true });
  const someC = h('input', { type: 'radio', name: 'to', id: 'to-some', value: 'some' });
  const cboxes = communes.map((c) => h('div', { cls: 'fld chk' },
    h('input', { type: 'checkbox', id: 'to-' + c.code, name: 'agency', value: c.code, onchange: () => { someC.checked = true; } }),
    h('label', { for: 'to-' + c.code }, `${c.name} (${c.code})`)));
  const chosen = () => cboxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  // Deadline: a date, or working days from now (its due time shown).
  const dlDate = h('input', { type: 'radio', name: 'dl', id: 'dl-date', value: 'date' });
  const dlDays = h('input', { type: 'radio', name: 'dl', id: 'dl-days', value: 'days', checked: true });
  const days = h('input', { name: 'days', type: 'number', min: 1, max: 365, value: 10, inputmode: 'numeric', cls: 'time', 'aria-label': 'Số ngày làm việc' });
  const due = dateInput('due', '');
  const preview = h('div', { cls: 'hint', 'aria-live': 'polite' });
  const showDue = async () => {
    if (!dlDays.checked) { preview.textContent = due.value ? 'Hạn là cuối giờ làm việc của ngày này (ngày nghỉ thì chuyển sang ngày làm việc kế tiếp).' : ''; return; }
    const n = Number(days.value);
    if (!(n > 0)) { preview.textContent = ''; return; }
    try {
      const at = new Date(now() + 7 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
      const r = await api('GET', `/calendar/due?at=${encodeURIComponent(at)}&time=${n}&unit=working_days`);
      preview.textContent = `Hạn hoàn thành: ${fmtDT(r.due)} (theo lịch làm việc của cơ quan, đã trừ ngày nghỉ, lễ, Tết).`;
    } catch { preview.textContent = ''; }
  };
  for (const el of [dlDate, dlDays, days, due]) el.addEventListener('change', showDue);
  days.addEventListener('input', showDue);
  const recur = h('select', { name: 'recur' }, h('option', { value: '' }, 'Không lặp lại'),
    h('option', { value: 'monthly' }, 'Hằng tháng (cùng ngày mỗi tháng)'), h('option', { value: 'quarterly' }, 'Hằng quý (cùng ngày, 3 tháng một lần)'));
  const shared = h('input', { type: 'checkbox', id: 'shared', name: 'shared' });
  const files = h('input', { type: 'file', name: 'files', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff' });
  const btn = h('button', { type: 'submit', cls: 'primary' }, hub ? 'Giao việc cho các xã' : 'Giao việc');
  const fT = field('Tên nhiệm vụ', title), fRef = refF, fD = field('Ngày hạn (dd/mm/yyyy)', due), fS = field('Ngày văn bản, cuộc họp (nếu có)', srcDate);
  const fU = field('Đơn vị chủ trì', unitSel);
  const form = h('form', { cls: 'card', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    for (const f of [fT, fRef, fD, fS, fU]) f.setError('');
    const body = { title: title.value.trim(), source: { kind: kind(), ref: ref.value.trim() } };
    if (content.value.trim()) body.content = content.value.trim();
    let bad = null;
    if (!body.title) { fT.setError('Nhập tên nhiệm vụ.'); bad = bad || title; }
    if (!body.source.ref) { fRef.setError('Nhập nguồn chỉ đạo.'); bad = bad || ref; }
    const sd = readDate(srcDate.value);
    if (sd === null) { fS.setError('Ngày không đúng (dd/mm/yyyy).'); bad = bad || srcDate; } else if (sd) body.source.date = sd;
    if (dlDate.checked) {
      const d = readDate(due.value);
      if (!d) { fD.setError('Nhập ngày hạn đúng dạng dd/mm/yyyy.'); bad = bad || due; } else body.deadline = { date: d };
    } else body.deadline = { time: Number(days.value), unit: 'working_days' };
    if (recur.value) {
      if (!body.deadline || !body.deadline.date) { fD.setError('Nhiệm vụ định kỳ cần hạn là một ngày cụ thể.'); bad = bad || due; }
      body.recurrence = { every: recur.value };
    }
    if (hub) {
      if (someC.checked && !chosen().length) { clear(out, msgBox('err', 'Chọn ít nhất một xã, hoặc giao cho mọi xã.')); return; }
      body.communes = someC.checked ? chosen() : 'all';
    } else {
      if (!unitSel.value) { fU.setError('Chọn đơn vị chủ trì.'); bad = bad || unitSel; }
      body.unit = unitSel.value;
      if (officer.value) body.officer = officer.value;
      const c = [...cw.querySelectorAll('input:checked')].map((i) => i.value).filter((l) => l !== officer.value);
      if (c.length) body.coworkers = c;
      if (shared.checked) body.shared = true;
    }
    if (tooLong(body.content || '', 20000)) { clear(out, msgBox('err', 'Nội dung quá dài.')); return; }
    if (bad) { bad.focus(); return; }
    busy(btn, true);
    try {
      if (files.files.length) body.attachments = await upload([...files.files]);
      const t = await api('POST', '/tasks', body);
      location.hash = taskHref(t.id);
    } catch (e) { busy(btn, false); clear(out, msgBox('err', errText(e))); }
  } },
  fT, field('Nội dung, yêu cầu', content),
  kindBox, fRef, fS,
  hub ? h('fieldset', { cls: 'targets' }, h('legend', null, 'Giao cho'),
    h('div', { cls: 'fld chk' }, allC, h('label', { for: 'to-all' }, 'Mọi xã đã kết nối')),
    h('div', { cls: 'fld chk' }, someC, h('label', { for: 'to-some' }, 'Chỉ các xã chọn dưới đây')),
    communes.length ? h('div', { cls: 'communes' }, cboxes) : h('p', { cls: 'empty' }, 'Chưa có xã nào được duyệt kết nối.'),
    h('p', { cls: 'hint' }, 'Mỗi xã nhận nhiệm vụ ở lần đồng bộ tới; lãnh đạo xã giao tiếp cho đơn vị, cán bộ của xã.'))
    : h('div', { cls: 'grid g2' }, fU, field('Cán bộ chủ trì', officer)),
  hub ? null : h('details', null, h('summary', null, 'Cán bộ phối hợp'), cw),
  h('fieldset', { cls: 'targets' }, h('legend', null, 'Hạn hoàn thành'),
    h('div', { cls: 'fld chk' }, dlDays, h('label', { for: 'dl-days' }, 'Số ngày làm việc kể từ khi giao: '), days),
    h('div', { cls: 'fld chk' }, dlDate, h('label', { for: 'dl-date' }, 'Một ngày cụ thể')),
    fD, preview),
  h('div', { cls: 'grid g2' }, field('Lặp lại', recur), field('Tệp đính kèm (PDF, ảnh)', files)),
  hub ? null : h('div', { cls: 'fld chk' }, shared, h('label', { for: 'shared' }, 'Chia sẻ với tỉnh (tỉnh xem được tiến độ)')),
  out, h('div', { cls: 'actions' }, btn, h('a', { cls: 'btn', href: '#/cong-viec' }, 'Huỷ')));
  due.addEventListener('focus', () => { dlDate.checked = true; });
  clear(view, h('p', { cls: 'crumb' }, h('a', { href: '#/cong-viec' }, 'Công việc'), ' › Giao việc'),
    h('h1', null, hub ? 'Giao việc cho các xã' : 'Giao việc'), form);
  showDue();
}

// ---- one task ----

// The form of one action: what it takes, then POST; done() re-renders.
function actionForm(t, action, commune, done) {
  const out = h('div', { 'aria-live': 'polite' });
  const text = h('textarea', { name: 'text', rows: 3 });
  const pct = h('input', { name: 'percent', type: 'number', min: 0, max: 100, value: Math.max(t.percent, 0), inputmode: 'numeric', cls: 'time' });
  const files = h('input', { type: 'file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff' });
  const reason = action === 'return' || action === 'cancel';
  const kids = [];
  let unitSel, officer;
  if (action === 'progress') kids.push(field('Phần trăm hoàn thành', pct));
  if (action === 'delegate') {
    unitSel = h('select', { name: 'unit' }, h('option', { value: '' }, '— Chọn đơn vị —'));
    officer = h('select', { name: 'officer' }, h('option', { value: '' }, '— Chưa chỉ định —'),
      S.staff.filter((s) => !s.disabled && s.role !== 'supervisor').map((s) => h('option', { value: s.login }, s.name + (s.unit ? ` (${s.unit})` : ''))));
    api('GET', '/units').then((u) => unitSel.append(...u.units.filter((x) => x.active && x.scope === 'node').map((x) => h('option', { value: x.code }, x.name))), () => {});
    kids.push(h('div', { cls: 'grid g2' }, field('Đơn vị chủ trì', unitSel), field('Cán bộ chủ trì', officer)));
  }
  const fText = field(reason ? 'Lý do (bắt buộc)' : action === 'progress' ? 'Nội dung đã làm' : 'Ghi chú', text);
  kids.push(fText);
  if (['progress', 'report_done'].includes(action)) kids.push(field('Tệp đính kèm (báo cáo, hình ảnh)', files));
  const btn = h('button', { type: 'submit', cls: action === 'cancel' ? 'danger' : 'primary' }, ACTION[action]);
  const form = h('form', { cls: 'card inner actform', 'data-action': action, novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    fText.setError('');
    const body = {};
    const v = text.value.trim();
    if (reason) { if (!v) { fText.setError('Nhập lý do.'); text.focus(); return; } body.reason = v; } else if (v) body.text = v;
    if (action === 'progress') {
      const p = Number(pct.value);
      if (!Number.isInteger(p) || p < 0 || p > 100) { clear(out, msgBox('err', 'Phần trăm hoàn thành là số nguyên từ 0 đến 100.')); pct.focus(); return; }
      body.percent = p;
    }
    if (action === 'delegate') {
      if (!unitSel.value) { clear(out, msgBox('err', 'Chọn đơn vị chủ trì.')); unitSel.focus(); return; }
      body.unit = unitSel.value;
      if (officer.value) body.officer = officer.value;
    }
    if (commune) body.commune = commune;
    busy(btn, true);
    try {
      if (files.files && files.files.length) body.attachments = await upload([...files.files]);
      await api('POST', apiPath(t.id) + '/' + action, body);
      done();
    } catch (e) { busy(btn, false); clear(out, msgBox('err', errText(e))); }
  } }, h('h3', null, ACTION[action] + (commune ? ` — xã ${commune}` : '')), kids, out,
  h('div', { cls: 'actions' }, btn, h('button', { type: 'button', onclick: () => form.remove() }, 'Đóng')));
  return form;
}

function actionButtons(t, actions, commune, holder, done) {
  return h('div', { cls: 'actions wrap' }, actions.map((a) => h('button', {
    type: 'button', cls: a === 'cancel' ? 'danger' : a === 'accept' || a === 'report_done' ? 'primary' : null,
    'data-action': a,
    onclick: () => {
      for (const f of holder.querySelectorAll('form.actform')) f.remove();
      const f = actionForm(t, a, commune, done);
      holder.append(f);
      f.querySelector('input, textarea, select')?.focus();
    },
  }, ACTION[a])));
}

// names: a commune's code to its name (a hub's task). An entry of a
// commune names its officer as the commune's node recorded it.
function history(items, names = {}) {
  if (!items.length) return h('p', { cls: 'empty' }, 'Chưa có hoạt động nào.');
  const who = (x) => (x.action === 'received' ? '' : x.commune ? (x.actor_name || x.actor) + ' — ' + (names[x.commune] || x.commune)
    : x.actor_name || staffName(x.actor) || x.actor);
  return h('ol', { cls: 'timeline history' }, items.map((x) => h('li', null,
    h('div', { cls: 'tl-when' }, fmtDT(x.at)),
    h('div', null,
      h('div', { cls: 'tl-step' }, h('strong', null, x.action_label), x.commune ? h('span', { cls: 'badge' }, names[x.commune] || 'Xã ' + x.commune) : null,
        x.to && x.from !== x.to && x.action !== 'assign' ? h('span', { cls: 'badge tk-' + x.to }, STATE[x.to] || x.to) : null,
        x.percent != null ? bar(x.percent) : null),
      who(x) ? h('div', { cls: 'tl-who' }, who(x)) : null,
      x.text ? h('div', { cls: 'tl-comment' }, x.text) : null,
      x.attachments.length ? h('div', { cls: 'tl-att' }, 'Tệp: ', x.attachments.map((a, i) => [i ? ', ' : '', attLink(a)])) : null,
      x.note === 'after_final' ? h('div', { cls: 'meta' }, 'Đến sau khi nhiệm vụ đã kết thúc: được lưu, không thay đổi tình trạng.') : null))));
}

export async function taskScreen(view, id) {
  const t = await api('GET', apiPath(id));
  const holder = h('div', { cls: 'actholder' });
  const again = () => taskScreen(view, id).catch((e) => clear(view, msgBox('err', errText(e))));
  const row = (k, v) => (v ? [h('dt', null, k), h('dd', null, v)] : null);
  const cwNames = t.coworker_names.map((c) => c.name).join(', ');
  const communes = t.assignments || null;
  const commTable = communes ? h('section', { cls: 'panel' }, h('h2', null, `Các xã (${communes.length})`),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl communes-prog' },
      h('thead', null, h('tr', null, ...['Xã', 'Tình trạng', 'Cán bộ thực hiện', 'Thao tác'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, communes.map((c) => h('tr', { 'data-agency': c.agency },
        h('td', null, h('strong', null, c.name), h('div', { cls: 'meta mono' }, c.agency),
          h('div', { cls: 'meta' }, c.delivered_at ? 'Xã đã nhận ' + fmtDT(c.delivered_at) : 'Chưa đồng bộ về xã')),
        h('td', null, taskBadge(c), ' ', taskDue({ ...c, due_at: t.due_at }), h('div', null, bar(c.percent)),
          c.reason ? h('div', { cls: 'meta' }, 'Lý do: ' + c.reason) : null),
        h('td', null, c.officer ? staffName(c.officer) : h('span', { cls: 'meta' }, '—'), c.unit ? h('div', { cls: 'meta' }, c.unit) : null),
        h('td', null, c.actions.length ? actionButtons(t, c.actions, c.agency, holder, again) : h('span', { cls: 'meta' }, '—')))))))) : null;
  clear(view,
    h('p', { cls: 'crumb' }, h('a', { href: '#/cong-viec' }, 'Công việc'), ' › ', h('span', { cls: 'mono' }, t.id)),
    h('div', { cls: 'dhead' }, h('h1', null, t.title)),
    h('div', { cls: 'dstate' }, taskBadge(t), taskDue(t), t.recurrence ? h('span', { cls: 'badge' }, RECUR[t.recurrence.every]) : null),
    h('section', { cls: 'panel' },
      h('div', { cls: 'progress-big' }, h('span', null, 'Tiến độ'), bar(t.percent)),
      h('dl', { cls: 'kv' },
        row('Nguồn chỉ đạo', [SOURCE[t.source.kind] + ': ', h('strong', null, t.source.ref), t.source.date ? ` (ngày ${fmtD(t.source.date + 'T12:00:00+07:00')})` : '']),
        row(t.origin === 'hub' ? 'Tỉnh giao' : 'Người giao', `${t.creator_name || t.creator}${t.origin === 'hub' ? ' — ' + t.assigner : ''}, ${fmtDT(t.assigned_at)}`),
        communes ? null : row('Đơn vị chủ trì', t.unit_name || h('span', { cls: 'meta' }, 'Chưa giao đơn vị')),
        communes ? null : row('Cán bộ chủ trì', t.officer ? t.officer_name : h('span', { cls: 'meta' }, 'Chưa chỉ định')),
        row('Phối hợp', cwNames),
        row('Hạn hoàn thành', `${fmtDT(t.due_at)} — ${deadlineText(t)}`),
        row('Hoàn thành lúc', t.done_at ? fmtDT(t.done_at) : ''),
        row(t.state === 'cancelled' ? 'Lý do huỷ' : 'Lý do trả lại', t.reason),
        row('Tệp đính kèm', t.attachments.length ? t.attachments.map((a, i) => [i ? ', ' : '', attLink(a)]) : ''),
        row('Thực hiện tại', t.held_here ? '' : 'Xã ' + t.agency + ' (tỉnh chỉ xem)')),
      t.content ? h('div', { cls: 'note-text task-content' }, t.content) : null),
    t.actions.length ? h('section', { cls: 'panel' }, h('h2', null, 'Thao tác'), actionButtons(t, t.actions, null, holder, again)) : null,
    commTable, holder,
    h('section', { cls: 'panel' }, h('h2', null, 'Lịch sử thực hiện'),
      history(t.history, Object.fromEntries((communes || []).map((c) => [c.agency, c.name])))));
}

// ---- the leader's board ----

function boardTable(caption, first, rows, link) {
  const th = (t) => h('th', { scope: 'col' }, t);
  // data-l: the column's name, shown above the number when a row is a card (360 px).
  const num = (n, hot, href, l) => h('td', { cls: 'num' + (n && hot ? ' ' + hot : ''), 'data-l': l }, n && href ? h('a', { href }, String(n)) : String(n));
  return h('section', { cls: 'panel' }, h('h2', null, caption),
    rows.length ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list counts board' },
      h('thead', null, h('tr', null, th(first), th('Đang làm'), th('Sắp đến hạn'), th('Quá hạn'), th('Xong đúng hạn'), th('Xong quá hạn'))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('th', { scope: 'row' }, r.label, r.sub ? h('div', { cls: 'meta' }, r.sub) : null),
        num(r.open, null, link(r, 'all'), 'Đang làm'), num(r.near_due, 'hot-near', link(r, 'near_due'), 'Sắp đến hạn'),
        num(r.overdue, 'hot-over', link(r, 'overdue'), 'Quá hạn'), num(r.done_on_time, null, null, 'Xong đúng hạn'),
        num(r.done_late, 'hot-over', null, 'Xong quá hạn'))))))
      : h('p', { cls: 'empty' }, 'Chưa có nhiệm vụ nào.'));
}

export async function boardScreen(view) {
  const [b, over] = await Promise.all([api('GET', '/tasks/board'), api('GET', '/tasks?view=overdue&limit=200')]);
  const T = b.totals;
  const kpi = (n, label, tone) => h('li', { cls: 'kpi' + (tone ? ' kpi-' + tone + (n ? ' hot' : '') : '') },
    h('a', { href: tone === 'over' ? '#/cong-viec?tab=overdue' : tone === 'near' ? '#/cong-viec?tab=near_due' : '#/cong-viec?tab=all' },
      h('span', { cls: 'n' }, String(n)), h('span', { cls: 'l' }, label)));
  const q = (o) => '#/cong-viec?' + new URLSearchParams(o);
  clear(view,
    h('p', { cls: 'crumb' }, h('a', { href: '#/cong-viec' }, 'Công việc'), ' › Bảng theo dõi'),
    h('div', { cls: 'hhead' }, h('h1', null, 'Theo dõi thực hiện nhiệm vụ'),
      h('p', { cls: 'sub' }, `Số liệu lúc ${fmtDT(b.now)}. Sắp đến hạn: hạn hoàn thành trong một ngày làm việc.`)),
    h('ul', { cls: 'cards' }, kpi(T.open, 'Đang thực hiện'), kpi(T.near_due, 'Sắp đến hạn', 'near'), kpi(T.overdue, 'Quá hạn', 'over'),
      kpi(T.done_on_time, 'Hoàn thành đúng hạn'), kpi(T.done_late, 'Hoàn thành quá hạn')),
    b.by_commune.length ? boardTable('Theo xã', 'Xã', b.by_commune.map((r) => ({ ...r, label: r.name, sub: r.agency })),
      (r, tab) => q({ tab, commune: r.agency })) : null,
    b.by_unit.length || !isHub() ? boardTable('Theo đơn vị chủ trì', 'Đơn vị', b.by_unit.map((r) => ({ ...r, label: r.name })),
      (r, tab) => (r.unit ? q({ tab, unit: r.unit }) : null)) : null,
    boardTable('Theo nguồn chỉ đạo', 'Chỉ đạo', b.by_source.map((r) => ({ ...r, label: r.ref, sub: SOURCE[r.kind] })),
      (r, tab) => q({ tab, source: r.ref })),
    h('section', { cls: 'panel panel-over' }, h('h2', null, `Nhiệm vụ quá hạn (${over.total})`),
      over.items.length ? taskTable(over.items) : h('p', { cls: 'empty' }, 'Không có nhiệm vụ nào quá hạn.')));
}
