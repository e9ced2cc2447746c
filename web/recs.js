// recs.js - recommendations (kiến nghị, docs/recommendations.md). On a
// commune: the list ('#/kien-nghi'), the filing form ('#/kien-nghi/moi')
// and a recommendation's page with its timeline, the working time each
// stage took, and the close / reopen / withdraw steps. On the hub: the board
// (Bảng theo dõi kiến nghị: by department, by commune, the overdue answers),
// the list, and a recommendation's page with the route and answer forms.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, fmtD, fmtWork, csvButton, dateInput, readDate, tooLong } from './lib.js';

const isHub = () => S.settings && S.settings.node_role === 'hub';
const LEADS = new Set(['leader', 'admin']);
const OVERSEERS = new Set(['leader', 'admin', 'supervisor']);
const STATES = { filed: 'Đã gửi tỉnh', routed: 'Đã chuyển sở, ngành', answered: 'Đã trả lời', closed: 'Đã kết thúc', withdrawn: 'Đã rút' };
const STAGE = { route: 'Gửi → chuyển sở, ngành', answer: 'Chuyển → trả lời', close: 'Trả lời → kết thúc' };
const STEP = {
  file: 'Xã gửi kiến nghị', route: 'Tỉnh chuyển sở, ngành', reroute: 'Tỉnh chuyển sở, ngành khác', answer: 'Sở, ngành trả lời',
  close: 'Xã kết thúc kiến nghị', reopen: 'Xã kiến nghị lại', withdraw: 'Xã rút kiến nghị',
};
// The steps' buttons, in the order shown, and what each form asks.
const ACTS = {
  route: { l: 'Chuyển sở, ngành', dept: true, note: 'comment', noteLabel: 'Ý kiến chỉ đạo (nếu có)' },
  reroute: { l: 'Chuyển sở, ngành khác', dept: true, note: 'reason', noteLabel: 'Lý do chuyển', need: true },
  answer: { l: 'Trả lời kiến nghị', answer: true, kind: 'primary' },
  close: { l: 'Kết thúc', note: 'comment', noteLabel: 'Ý kiến của xã (nếu có)', kind: 'primary' },
  reopen: { l: 'Kiến nghị lại', note: 'reason', noteLabel: 'Lý do kiến nghị lại', need: true },
  withdraw: { l: 'Rút kiến nghị', note: 'reason', noteLabel: 'Lý do rút', need: true, kind: 'danger' },
};
const th = (t, cls) => h('th', { scope: 'col', cls }, t);
const num = (n) => (n ?? 0).toLocaleString('vi-VN');
const dt = (label, ...v) => [h('dt', null, label), h('dd', null, ...v)];
export const recHref = (id) => '#/kien-nghi/' + id.split('/').map(encodeURIComponent).join('/');
const recPath = (id) => '/recommendations/' + id.split('/').map(encodeURIComponent).join('/');
const days = (n) => (n == null ? '—' : String(n).replace('.', ',') + ' ngày');

export function recBadge(r) {
  return h('span', { cls: 'badge rs-' + r.state }, r.state_label || STATES[r.state] || r.state);
}
function dueOf(r) {
  if (r.overdue) return h('span', { cls: 'due due-over' }, 'Quá hạn trả lời');
  if (r.state === 'routed' && !r.due_at) return h('span', { cls: 'due due-none' }, 'Chờ tỉnh xác nhận hạn');
  return null;
}
// The stages' working times, as a list of "label: time".
function stageList(r) {
  return h('ul', { cls: 'stages' }, (r.times || []).map((s) => h('li', { 'data-stage': s.stage },
    h('span', { cls: 'sub' }, STAGE[s.stage] + ': '), h('strong', null, fmtWork(s.working_secs)), s.running ? h('span', { cls: 'sub' }, ' (đang chờ)') : null)));
}

// ---- units and fields for the forms ----
let unitsP = null;
const departments = () => (unitsP ||= api('GET', '/units').then((r) => r.units.filter((u) => u.scope === 'province' && u.active)).catch((e) => { unitsP = null; throw e; }));
let fieldsP = null;
const catalogFields = () => (fieldsP ||= api('GET', '/procedures?limit=1').then((r) => r.fields || []).catch(() => []));
function deptSelect(name, units, value, empty = 'Chọn sở, ngành…') {
  return h('select', { name }, h('option', { value: '' }, empty),
    units.map((u) => h('option', { value: u.code, selected: u.code === value }, u.name)));
}

// A file picker that uploads each chosen file as an attachment at once and
// keeps the list of their hashes.
function attachPicker(id) {
  const files = [];
  const list = h('ul', { cls: 'atts' });
  const out = h('div', { 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id, multiple: true, cls: 'vh', accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/*' });
  const show = () => clear(list, files.map((f, i) => h('li', null, h('span', null, f.filename), ' ',
    h('span', { cls: 'sub' }, `(${Math.max(1, Math.round(f.size / 1024))} KB) `),
    h('button', { type: 'button', cls: 'linkish', onclick: () => { files.splice(i, 1); show(); } }, 'Bỏ'))));
  input.addEventListener('change', async () => {
    clear(out);
    for (const f of [...input.files]) {
      const li = h('li', { cls: 'loading' }, `Đang tải lên ${f.name}…`);
      list.append(li);
      try {
        const a = await api('POST', '/attachments?filename=' + encodeURIComponent(f.name), f, f.type || 'application/octet-stream');
        if (!files.some((x) => x.sha256 === a.sha256)) files.push(a);
      } catch (e) { out.append(msgBox('err', `${f.name}: ${errText(e)}`)); }
    }
    input.value = '';
    show();
  });
  const wrap = h('div', { cls: 'fld' }, h('span', { cls: 'flabel' }, 'Tệp đính kèm'),
    h('div', null, input, h('label', { for: id, cls: 'btn filebtn' }, 'Chọn tệp…'), h('span', { cls: 'hint' }, ' PDF, JPEG, PNG, TIFF; tối đa 20 MB mỗi tệp')),
    list, out);
  wrap.shas = () => files.map((f) => f.sha256);
  return wrap;
}
function attList(atts) {
  if (!atts || !atts.length) return null;
  return h('ul', { cls: 'atts' }, atts.map((a) => h('li', null,
    h('a', { href: '/api/v1/attachments/' + a.sha256, target: '_blank', rel: 'noopener' }, a.filename || a.sha256.slice(0, 12)),
    h('span', { cls: 'sub' }, ` (${Math.max(1, Math.round(a.size / 1024))} KB)`))));
}

// ---- the list ----
function recTable(items, hub) {
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl recs' },
    h('thead', null, h('tr', null, th('Kiến nghị'), hub ? th('Xã') : null, th('Sở, ngành'), th('Trạng thái'), th('Thời gian'))),
    h('tbody', null, items.map((r) => h('tr', { 'data-id': r.id, cls: r.overdue ? 'over' : null },
      h('td', { cls: 'code' }, h('a', { href: recHref(r.id) }, r.id), h('div', { cls: 'aname' }, r.topic),
        h('div', { cls: 'meta' }, (r.field ? r.field + ' · ' : '') + 'Gửi ' + fmtDT(r.filed_at))),
      hub ? h('td', null, r.agency_name || r.agency) : null,
      h('td', null, (r.department || r.concerns).name, r.department ? null : h('div', { cls: 'meta' }, 'Xã đề nghị, chưa chuyển')),
      h('td', null, recBadge(r), r.round > 1 ? h('div', { cls: 'meta' }, `Lần ${r.round}`) : null, dueOf(r),
        r.due_at && r.state === 'routed' ? h('div', { cls: 'meta' }, 'Hạn trả lời ' + fmtD(r.due_at)) : null),
      h('td', null, stageList(r)))))));
}

function filterForm(q, base, units, { hub, board } = {}) {
  const st = h('select', { name: 'state' }, h('option', { value: '' }, 'Tất cả'), h('option', { value: 'open', selected: q.get('state') === 'open' }, 'Đang chờ tỉnh'),
    Object.entries(STATES).map(([k, v]) => h('option', { value: k, selected: q.get('state') === k }, v)));
  const dep = deptSelect('department', units, q.get('department') || '', 'Tất cả sở, ngành');
  const kw = h('input', { name: 'q', type: 'search', value: q.get('q') || '', placeholder: 'Số, chủ đề, nội dung (gõ không dấu được)' });
  const ag = hub ? h('input', { name: 'agency', value: q.get('agency') || '', placeholder: 'Mã xã, ví dụ 000.31.45.H45', autocomplete: 'off', spellcheck: 'false' }) : null;
  const fl = h('input', { name: 'field', value: q.get('field') || '', list: 'rec-fields', placeholder: 'Lĩnh vực' });
  const from = dateInput('from', q.get('from')), to = dateInput('to', q.get('to'));
  const od = h('input', { type: 'checkbox', id: 'f-overdue', checked: q.get('overdue') === 'true' });
  const err = h('div', { 'aria-live': 'polite' });
  return h('form', { cls: 'search recs-filter', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    const f = readDate(from.value), t = readDate(to.value);
    if (f === null || t === null) { clear(err, msgBox('err', 'Ngày gõ theo dạng dd/mm/yyyy.')); return; }
    for (const [k, v] of [['state', st.value], ['department', dep.value], ['q', kw.value.trim()], ['agency', ag && ag.value.trim()], ['field', fl.value.trim()], ['from', f], ['to', t]]) if (v) p.set(k, v);
    if (od.checked) p.set('overdue', 'true');
    location.hash = base + (p.toString() ? '?' + p : '');
  } },
  h('div', { cls: 'grid g4' },
    board ? null : field('Trạng thái', st), field('Sở, ngành', dep), ag ? field('Xã', ag) : null, field('Lĩnh vực', fl),
    field('Gửi từ ngày', from), field('Đến ngày', to), board ? null : field('Tìm', kw),
    board ? null : h('div', { cls: 'fld chk' }, od, h('label', { for: 'f-overdue' }, 'Chỉ kiến nghị quá hạn trả lời'))),
  h('datalist', { id: 'rec-fields' }), err,
  h('div', { cls: 'actions' }, h('button', { type: 'submit', cls: 'primary' }, 'Lọc'), h('a', { href: base, cls: 'btn' }, 'Bỏ lọc')));
}
const FILTERS = ['state', 'department', 'agency', 'field', 'q', 'from', 'to', 'overdue'];
const params = (q, keys = FILTERS) => { const p = new URLSearchParams(); for (const k of keys) if (q.get(k)) p.set(k, q.get(k)); return p; };

export async function recListScreen(view, q, { base = '#/kien-nghi' } = {}) {
  const hub = isHub();
  const [units] = await Promise.all([departments()]);
  const p = params(q);
  p.set('limit', '100');
  const r = await api('GET', '/recommendations?' + p);
  const canFile = !hub && LEADS.has(S.me.role);
  const table = r.items.length ? recTable(r.items, hub) : null;
  const mine = hub && !OVERSEERS.has(S.me.role);
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, hub ? (mine ? 'Kiến nghị chuyển đến đơn vị' : 'Danh sách kiến nghị của các xã') : 'Kiến nghị với tỉnh'),
      h('p', { cls: 'sub' }, hub
        ? (mine ? 'Các kiến nghị tỉnh đã chuyển đến sở, ngành của bạn để trả lời.' : h('a', { href: '#/kien-nghi' }, '‹ Bảng theo dõi kiến nghị'))
        : 'Kiến nghị, đề xuất của xã gửi Ủy ban nhân dân tỉnh; tỉnh chuyển sở, ngành trả lời. Thời gian tính theo ngày giờ làm việc.')),
    canFile ? h('div', { cls: 'actions' }, h('a', { href: '#/kien-nghi/moi', cls: 'btn primary', id: 'new-rec' }, 'Gửi kiến nghị mới')) : null,
    h('details', { cls: 'card', open: params(q).toString() ? true : null }, h('summary', null, 'Lọc theo trạng thái, sở, ngành, lĩnh vực, thời gian'), filterForm(q, base, units, { hub })),
    h('section', { cls: 'panel' },
      h('h2', null, 'Kiến nghị', h('span', { cls: 'cnt' }, `(${num(r.total)})`),
        table ? h('span', { cls: 'all' }, csvButton(() => view.querySelector('table.recs'), 'kien-nghi')) : null),
      table || h('p', { cls: 'empty' }, hub ? 'Không có kiến nghị nào khớp.' : 'Xã chưa gửi kiến nghị nào khớp điều kiện lọc.'),
      r.total > r.items.length ? h('p', { cls: 'sub' }, `Đang hiện ${r.items.length} kiến nghị mới nhất; lọc để thu hẹp.`) : null));
  catalogFields().then((fs) => { const dl = view.querySelector('#rec-fields'); if (dl) clear(dl, fs.map((f) => h('option', { value: f }))); });
}

// ---- the filing form ----
export async function recNewScreen(view) {
  if (isHub()) throw new Error('Kiến nghị do xã gửi, trên máy của xã.');
  if (!LEADS.has(S.me.role)) throw new Error('Chỉ lãnh đạo hoặc quản trị của xã gửi kiến nghị với tỉnh.');
  const units = await departments();
  const topic = h('input', { name: 'topic', maxlength: 300, required: true });
  const content = h('textarea', { name: 'content', rows: 8, required: true });
  const fld = h('input', { name: 'field', list: 'rec-fields-new', maxlength: 200, placeholder: 'Ví dụ: Đất đai' });
  const dep = deptSelect('concerns', units, '');
  const att = attachPicker('rec-att');
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', cls: 'primary' }, 'Gửi kiến nghị');
  const wraps = { topic: field('Chủ đề', topic), content: field('Nội dung kiến nghị', content, 'Nêu rõ vướng mắc, căn cứ và đề xuất của xã.'),
    concerns: field('Sở, ngành liên quan', dep, 'Tỉnh sẽ chuyển kiến nghị đến sở, ngành trả lời.'), field: field('Lĩnh vực', fld, 'Gõ tự do hoặc chọn lĩnh vực trong danh mục thủ tục.') };
  const form = h('form', { cls: 'card', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    let bad = false;
    const need = (k, v, msg) => { wraps[k].setError(v ? '' : msg); bad ||= !v; };
    need('topic', topic.value.trim(), 'Nhập chủ đề.');
    need('content', content.value.trim(), 'Nhập nội dung kiến nghị.');
    need('concerns', dep.value, 'Chọn sở, ngành liên quan.');
    if (!bad && tooLong(topic.value, 300)) { wraps.topic.setError('Chủ đề dài quá 300 byte.'); bad = true; }
    if (bad) { view.querySelector('[aria-invalid="true"]')?.focus(); return; }
    busy(btn, true);
    try {
      const r = await api('POST', '/recommendations', { topic: topic.value.trim(), content: content.value, field: fld.value.trim() || null, concerns: dep.value, attachments: att.shas() });
      S.leaveGuard = null;
      location.hash = recHref(r.id);
    } catch (e) { busy(btn, false); clear(out, msgBox('err', errText(e))); }
  } },
  wraps.topic, wraps.content, h('div', { cls: 'grid g2' }, wraps.concerns, wraps.field), att,
  h('datalist', { id: 'rec-fields-new' }), out,
  h('div', { cls: 'actions' }, btn, h('a', { href: '#/kien-nghi', cls: 'btn' }, 'Huỷ')));
  S.leaveGuard = () => (topic.value.trim() || content.value.trim() ? 'Kiến nghị đang soạn sẽ mất. Vẫn rời trang?' : null);
  clear(view, h('p', { cls: 'crumb' }, h('a', { href: '#/kien-nghi' }, 'Kiến nghị với tỉnh'), ' › Gửi kiến nghị'),
    h('h1', null, 'Gửi kiến nghị với tỉnh'),
    h('p', { cls: 'sub' }, 'Kiến nghị được đánh số theo năm và gửi lên tỉnh trong lần đồng bộ tiếp theo (kể cả khi mạng chập chờn, phần mềm tự gửi lại).'),
    form);
  catalogFields().then((fs) => { const dl = view.querySelector('#rec-fields-new'); if (dl) clear(dl, fs.map((f) => h('option', { value: f }))); });
  topic.focus();
}

// ---- one recommendation ----
function stepItem(s) {
  const label = s.confirms === 'reopen' ? 'Tỉnh nhận lại kiến nghị, hạn trả lời mới' : STEP[s.action] || s.label || s.action;
  return h('li', { 'data-action': s.action },
    h('div', { cls: 'tl-when' }, fmtDT(s.at)),
    h('div', { cls: 'tl-body' },
      h('div', { cls: 'tl-step' }, h('strong', null, label), s.round > 1 ? h('span', { cls: 'sub' }, `(lần ${s.round})`) : null),
      h('div', { cls: 'tl-who' }, (s.side === 'province' ? 'Tỉnh · ' : 'Xã · ') + (s.by ? s.by.name || s.by.login : ''),
        s.by && s.by.unit ? ` (${s.by.unit})` : ''),
      s.department ? h('div', { cls: 'tl-who' }, 'Sở, ngành: ', s.department.name) : null,
      s.due_at ? h('div', { cls: 'tl-due' }, 'Hạn trả lời: ', fmtDT(s.due_at)) : null,
      s.reason ? h('div', { cls: 'tl-comment' }, 'Lý do: ', s.reason) : null,
      s.comment ? h('div', { cls: 'tl-comment' }, s.comment) : null,
      s.answer ? h('div', { cls: 'tl-comment' }, s.answer.document ? `Văn bản ${s.answer.document}: ` : '', s.answer.text) : null));
}

function timesPanel(r) {
  const rows = (r.times || []).map((s) => h('tr', { 'data-stage': s.stage },
    h('td', { cls: 'stage' }, STAGE[s.stage]), h('td', { cls: 'nowrap', 'data-label': 'Từ' }, fmtDT(s.from)),
    h('td', { cls: 'nowrap', 'data-label': 'Đến' }, s.running ? 'đang chờ' : fmtDT(s.to)),
    h('td', { cls: 'num nowrap', 'data-label': 'Thời gian làm việc' }, h('strong', null, fmtWork(s.working_secs)))));
  const rounds = (r.rounds || []).length > 1 ? h('table', { cls: 'list compact rounds' },
    h('thead', null, h('tr', null, th('Lần'), th('Sở, ngành'), th('Bắt đầu'), th('Hạn trả lời'), th('Trả lời'), th('Thời gian', 'num'))),
    h('tbody', null, r.rounds.map((x) => h('tr', { cls: x.overdue ? 'over' : null },
      h('td', { cls: 'stage' }, 'Lần ' + x.round), h('td', { 'data-label': 'Sở, ngành' }, x.department ? x.department.name : '—'),
      h('td', { cls: 'nowrap', 'data-label': 'Bắt đầu' }, fmtDT(x.started_at)),
      h('td', { cls: 'nowrap', 'data-label': 'Hạn trả lời' }, x.due_at ? fmtDT(x.due_at) : '—'),
      h('td', { cls: 'nowrap', 'data-label': 'Trả lời' }, x.answered_at ? fmtDT(x.answered_at) : 'chưa'),
      h('td', { cls: 'num nowrap', 'data-label': 'Thời gian' }, fmtWork(x.working_secs)))))) : null;
  return h('section', { cls: 'panel', id: 'rec-times' }, h('h2', null, 'Thời gian từng bước'),
    h('p', { cls: 'sub' }, 'Tính theo giờ làm việc (không tính ngày nghỉ, ngày lễ, Tết và ngoài giờ hành chính).'),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list compact stages-t' },
      h('thead', null, h('tr', null, th('Giai đoạn'), th('Từ'), th('Đến'), th('Thời gian làm việc', 'num'))), h('tbody', null, rows))),
    rounds ? [h('h3', null, 'Các lần trả lời'), h('div', { cls: 'tablewrap' }, rounds)] : null);
}

function actForm(k, r, box, units, onDone) {
  const a = ACTS[k];
  const out = h('div', { 'aria-live': 'polite' });
  const dep = a.dept ? deptSelect('department', units.filter((u) => k !== 'reroute' || !r.department || u.code !== r.department.code),
    k === 'route' ? r.concerns.code : '') : null;
  const note = a.note ? h('textarea', { name: a.note, rows: 3 }) : null;
  const ans = a.answer ? h('textarea', { name: 'answer', rows: 6 }) : null;
  const doc = a.answer ? h('input', { name: 'document', maxlength: 100, placeholder: 'Ví dụ: 125/SXD-QLXD' }) : null;
  const att = a.answer ? attachPicker('ans-att') : null;
  const wraps = {};
  const ok = h('button', { type: 'submit', cls: a.kind === 'danger' ? 'danger' : 'primary' }, 'Xác nhận: ' + a.l);
  const form = h('form', { cls: 'card inner', novalidate: true, 'data-form': k, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    const body = {};
    let bad = false;
    if (dep) { wraps.dep.setError(dep.value ? '' : 'Chọn sở, ngành.'); bad ||= !dep.value; body.department = dep.value; }
    if (note) {
      const v = note.value.trim();
      wraps.note.setError(a.need && !v ? 'Nhập ' + a.noteLabel.toLowerCase() + '.' : tooLong(v) ? 'Dài quá 2000 byte.' : '');
      bad ||= (a.need && !v) || tooLong(v);
      if (v) body[a.note] = v;
    }
    if (ans) {
      wraps.ans.setError(ans.value.trim() ? '' : 'Nhập nội dung trả lời.');
      bad ||= !ans.value.trim();
      body.answer = ans.value;
      if (doc.value.trim()) body.document = doc.value.trim();
      const shas = att.shas();
      if (shas.length) body.attachments = shas;
    }
    if (bad) { form.querySelector('[aria-invalid="true"]')?.focus(); return; }
    busy(ok, true);
    try {
      await api('POST', recPath(r.id) + '/' + k, body);
      onDone(a.l + ': đã ghi nhận.' + (isHub() ? ' Xã nhận được trong lần đồng bộ tiếp theo.' : ' Tỉnh nhận được trong lần đồng bộ tiếp theo.'));
    } catch (e) { busy(ok, false); clear(out, msgBox('err', errText(e))); }
  } },
  h('h3', null, a.l),
  dep ? (wraps.dep = field('Sở, ngành', dep)) : null,
  ans ? (wraps.ans = field('Nội dung trả lời', ans)) : null,
  doc ? field('Số, ký hiệu văn bản trả lời', doc) : null,
  att,
  note ? (wraps.note = field(a.noteLabel, note)) : null,
  out,
  h('div', { cls: 'actions' }, ok, h('button', { type: 'button', onclick: () => { clear(box); } }, 'Huỷ')));
  clear(box, form);
  (dep || ans || note)?.focus();
}

// Why there is no button: who the recommendation waits for.
function waitText(r, hub) {
  if (r.state === 'closed') return 'Kiến nghị đã kết thúc.';
  if (r.state === 'withdrawn') return 'Xã đã rút kiến nghị.';
  if (r.state === 'filed') return hub ? 'Chờ lãnh đạo tỉnh chuyển sở, ngành.' : 'Đang chờ tỉnh chuyển sở, ngành.';
  if (r.state === 'routed') return hub ? 'Chờ ' + (r.department ? r.department.name : 'sở, ngành') + ' trả lời.' : 'Đang chờ sở, ngành trả lời.';
  return hub ? 'Đã trả lời; chờ xã kết thúc hoặc kiến nghị lại.' : 'Lãnh đạo xã kết thúc hoặc kiến nghị lại.';
}

export async function recScreen(view, id, note) {
  const [r, units] = await Promise.all([api('GET', recPath(id)), departments()]);
  const hub = isHub();
  const box = h('div', { cls: 'act-form' });
  const acts = (r.actions || []).filter((k) => ACTS[k]);
  const reload = (msg) => recScreen(view, id, msg);
  const ans = r.answer;
  clear(view,
    h('p', { cls: 'crumb' }, h('a', { href: '#/kien-nghi' }, hub ? 'Kiến nghị của các xã' : 'Kiến nghị với tỉnh'), ' › ', r.id),
    h('div', { cls: 'dhead' }, h('h1', null, 'Kiến nghị ', h('span', { cls: 'mono' }, r.id)),
      h('div', { cls: 'dstate' }, recBadge(r), dueOf(r))),
    h('p', { cls: 'pname' }, r.topic),
    h('div', { 'aria-live': 'polite' }, note ? msgBox('ok', note) : null),
    h('section', { cls: 'panel', 'aria-label': 'Thao tác' }, h('h2', null, 'Thao tác'),
      acts.length ? h('div', { cls: 'actions wrap', id: 'rec-actions' }, acts.map((k) => h('button', {
        type: 'button', cls: ACTS[k].kind || '', 'data-action': k, onclick: () => actForm(k, r, box, units, reload) }, ACTS[k].l)))
        : h('p', { cls: 'empty' }, waitText(r, hub)),
      box),
    h('div', { cls: 'two' },
      h('section', { cls: 'panel' }, h('h2', null, 'Nội dung kiến nghị'),
        h('dl', { cls: 'kv' },
          dt('Số kiến nghị', h('span', { cls: 'mono' }, r.id)),
          hub ? dt('Xã gửi', r.agency_name, ' (', r.agency, ')') : null,
          dt('Chủ đề', r.topic),
          dt('Lĩnh vực', r.field || '—'),
          dt('Sở, ngành liên quan', r.concerns.name),
          dt('Người gửi', r.filed_by.name, ' · ', fmtDT(r.filed_at)),
          r.reason ? dt(r.state === 'withdrawn' ? 'Lý do rút' : 'Lý do kiến nghị lại', r.reason) : null),
        h('div', { cls: 'rec-content pre' }, r.content),
        attList(r.attachments)),
      h('section', { cls: 'panel' }, h('h2', null, 'Xử lý của tỉnh'),
        h('dl', { cls: 'kv' },
          dt('Trạng thái', r.state_label, r.round > 1 ? ` (lần ${r.round})` : ''),
          dt('Sở, ngành trả lời', r.department ? r.department.name : 'Chưa chuyển'),
          dt('Chuyển lúc', r.routed_at ? fmtDT(r.routed_at) : '—'),
          dt('Hạn trả lời', r.due_at ? fmtDT(r.due_at) : r.state === 'routed' ? 'Chờ tỉnh xác nhận' : '—', r.overdue ? [' ', h('span', { cls: 'due due-over' }, 'Quá hạn')] : null),
          dt('Trả lời lúc', ans ? fmtDT(ans.at) : 'Chưa trả lời'),
          ans ? dt('Người trả lời', ans.by.name, ans.by.unit ? ` (${ans.by.unit})` : '') : null,
          ans && ans.document ? dt('Văn bản trả lời', h('span', { cls: 'mono' }, ans.document)) : null,
          r.closed_at ? dt('Kết thúc lúc', fmtDT(r.closed_at)) : null,
          r.withdrawn_at ? dt('Rút lúc', fmtDT(r.withdrawn_at)) : null),
        ans ? h('div', { cls: 'rec-answer pre', id: 'rec-answer' }, ans.text) : null,
        ans ? attList(ans.attachments) : null)),
    timesPanel(r),
    h('section', { cls: 'panel' }, h('h2', null, 'Quá trình xử lý'),
      h('ol', { cls: 'timeline', id: 'rec-timeline' }, (r.timeline || []).map(stepItem))));
}

// ---- the hub's board ----
export async function recBoardScreen(view, q) {
  if (!OVERSEERS.has(S.me.role)) return recListScreen(view, q);
  const units = await departments();
  const p = params(q, ['department', 'agency', 'field', 'from', 'to']);
  const b = await api('GET', '/recommendations/board' + (p.toString() ? '?' + p : ''));
  const t = b.totals;
  const listQ = (extra) => '#/kien-nghi/ds?' + new URLSearchParams({ ...Object.fromEntries(p), ...extra });
  const kpi = (n, label, href, hot) => h('li', { cls: 'kpi' + (hot ? ' kpi-over hot' : '') }, h('a', { href }, h('span', { cls: 'n' }, n), h('span', { cls: 'l' }, label)));
  const deps = [...b.departments].sort((x, y) => (y.overdue - x.overdue) || (y.open - x.open) || x.name.localeCompare(y.name, 'vi'));
  const coms = [...b.communes].sort((x, y) => (y.overdue - x.overdue) || (y.open - x.open) || x.name.localeCompare(y.name, 'vi'));
  const depName = (code) => code ? (deps.find((d) => d.code === code) || {}).name || code : 'Chưa chuyển';
  const depRows = deps.map((d) => h('tr', { 'data-dept': d.code, cls: d.overdue ? 'over' : null },
    h('td', null, d.code ? h('a', { href: listQ({ department: d.code, state: 'open' }) }, d.name) : h('a', { href: listQ({ state: 'filed' }) }, d.name)),
    h('td', { cls: 'num' }, num(d.open)), h('td', { cls: 'num' }, num(d.routed)),
    h('td', { cls: 'num' + (d.overdue ? ' hot-over' : '') }, num(d.overdue)),
    h('td', { cls: 'num' }, num(d.answered_rounds)), h('td', { cls: 'num' }, days(d.avg_answer_days))));
  const comRows = coms.map((c) => h('tr', { 'data-agency': c.agency, cls: c.overdue ? 'over' : null },
    h('td', null, h('a', { href: listQ({ agency: c.agency }) }, c.name), h('div', { cls: 'meta' }, c.agency)),
    h('td', { cls: 'num' }, num(c.all)), h('td', { cls: 'num' }, num(c.open)),
    h('td', { cls: 'num' + (c.overdue ? ' hot-over' : '') }, num(c.overdue)),
    h('td', { cls: 'num' }, num(c.closed)), h('td', { cls: 'num' }, days(c.avg_answer_days))));
  // Department x commune: the open ones (overdue in brackets).
  const mDeps = [...new Set(b.matrix.map((m) => m.department))].sort((x, y) => depName(x).localeCompare(depName(y), 'vi'));
  const mComs = [...new Set(b.matrix.map((m) => m.agency))];
  const cell = (d, a) => b.matrix.find((m) => m.department === d && m.agency === a);
  const comName = (a) => (b.communes.find((c) => c.agency === a) || {}).name || a;
  const matrix = mDeps.length ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list compact matrix' },
    h('thead', null, h('tr', null, th('Sở, ngành \\ Xã'), mComs.map((a) => th(comName(a), 'num')))),
    h('tbody', null, mDeps.map((d) => h('tr', null, h('th', { scope: 'row' }, depName(d)), mComs.map((a) => {
      const c = cell(d, a);
      return h('td', { cls: 'num' + (c && c.overdue ? ' hot-over' : '') }, c ? [num(c.open), c.overdue ? ` (${num(c.overdue)} quá hạn)` : ''] : '');
    })))))) : h('p', { cls: 'empty' }, 'Không có kiến nghị nào đang chờ.');
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, 'Bảng theo dõi kiến nghị'),
      h('p', { cls: 'sub' }, `Kiến nghị của các xã gửi tỉnh · số liệu lúc ${fmtDT(b.as_of)} · hạn trả lời ${b.answer_days} ngày làm việc kể từ khi chuyển · `,
        h('a', { href: '#/kien-nghi/ds' }, 'Danh sách kiến nghị'))),
    h('ul', { cls: 'cards' },
      kpi(num(t.open), 'Đang chờ trả lời', listQ({ state: 'open' })),
      kpi(num(t.filed), 'Chờ chuyển sở, ngành', listQ({ state: 'filed' }), t.filed > 0),
      kpi(num(t.overdue), 'Quá hạn trả lời', listQ({ overdue: 'true' }), t.overdue > 0),
      kpi(num(t.answered), 'Đã trả lời, chờ xã', listQ({ state: 'answered' })),
      kpi(num(t.closed), 'Đã kết thúc', listQ({ state: 'closed' })),
      kpi(days(t.avg_answer_days), 'Thời gian trả lời trung bình', listQ({}))),
    h('details', { cls: 'card', open: p.toString() ? true : null }, h('summary', null, 'Lọc theo sở, ngành, xã, lĩnh vực, thời gian'), filterForm(q, '#/kien-nghi', units, { hub: true, board: true })),
    b.overdue.length ? h('section', { cls: 'panel panel-over', id: 'rec-overdue' }, h('h2', null, 'Quá hạn trả lời', h('span', { cls: 'cnt' }, `(${num(b.overdue.length)})`)),
      recTable(b.overdue, true)) : null,
    h('section', { cls: 'panel', id: 'rec-by-dept' }, h('h2', null, 'Theo sở, ngành', h('span', { cls: 'all' }, csvButton(() => view.querySelector('table.by-dept'), 'kien-nghi-theo-so-nganh'))),
      deps.length ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list counts by-dept' },
        h('thead', null, h('tr', null, th('Sở, ngành'), th('Đang chờ', 'num'), th('Đã chuyển', 'num'), th('Quá hạn', 'num'), th('Lượt trả lời', 'num'), th('Trả lời trung bình', 'num'))),
        h('tbody', null, depRows))) : h('p', { cls: 'empty' }, 'Chưa có kiến nghị nào.')),
    h('section', { cls: 'panel', id: 'rec-by-commune' }, h('h2', null, 'Theo xã', h('span', { cls: 'all' }, csvButton(() => view.querySelector('table.by-commune'), 'kien-nghi-theo-xa'))),
      coms.length ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list counts by-commune' },
        h('thead', null, h('tr', null, th('Xã'), th('Tổng số', 'num'), th('Đang chờ', 'num'), th('Quá hạn', 'num'), th('Đã kết thúc', 'num'), th('Trả lời trung bình', 'num'))),
        h('tbody', null, comRows))) : h('p', { cls: 'empty' }, 'Chưa có kiến nghị nào.')),
    h('section', { cls: 'panel', id: 'rec-matrix' }, h('h2', null, 'Đang chờ theo sở, ngành và xã'), matrix));
  catalogFields().then((fs) => { const dl = view.querySelector('#rec-fields'); if (dl) clear(dl, fs.map((f) => h('option', { value: f }))); });
}

// The router's entry: '#/kien-nghi[/moi|/ds|/<agency>/<number>]'.
export async function recsRoute(view, seg, q, title) {
  if (seg[1] === 'moi') { title('Gửi kiến nghị'); return recNewScreen(view); }
  if (seg[1] === 'ds') { title('Danh sách kiến nghị'); return recListScreen(view, q, { base: '#/kien-nghi/ds' }); }
  if (seg[1] && seg[2]) { title('Kiến nghị ' + seg[1] + '/' + seg[2]); return recScreen(view, seg[1] + '/' + seg[2]); }
  if (isHub()) { title('Bảng theo dõi kiến nghị'); return recBoardScreen(view, q); }
  title('Kiến nghị với tỉnh');
  return recListScreen(view, q);
}
