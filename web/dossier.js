// dossier.js - one dossier: every field, the state, the due badge, the
// actions this user may take now (with the fields each needs), the history.
import { receiptDoc } from './reception.js';
import { h, clear, S, api, staffName, requestKey, requestDone, errText, msgBox, field, busy, fmtDT, toMs, now, stateBadge, dueBadge, timeText, dateInput, readDate, tooLong, isoDay, CHANNEL, STATE, TIMELY, ROLE, formsOf, formLink } from './lib.js';
import { recordsPanels, feeLine, resultLines, DELIVERY } from './records.js';
import { idLabel } from './lib.js';
import { filesPanel, fileLine } from './files.js';

const OPEN = ['submitted', 'received', 'processing', 'awaiting_approval', 'supplement', 'awaiting_payment'];
const noSub = (l, ...x) => l.filter((s) => !x.includes(s));
// From docs/permissions.md: label, from states, what the form asks for.
// own: a specialist may act only on a dossier assigned to them.
export const ACTS = {
  accept: { l: 'Tiếp nhận', from: ['submitted'], kind: 'primary' },
  assign: { l: 'Chuyển xử lý', from: ['received'], user: 1, kind: 'primary' },
  submit_approval: { l: 'Trình phê duyệt', from: ['processing'], own: 1, kind: 'primary' },
  approve: { l: 'Phê duyệt', from: ['awaiting_approval'], kind: 'primary' },
  return: { l: 'Trả kết quả', from: ['result_ready'], collected: 1, kind: 'primary' },
  supplement_received: { l: 'Nhận hồ sơ bổ sung', from: ['supplement'], own: 1, kind: 'primary' },
  payment_received: { l: 'Đã nộp phí', from: ['awaiting_payment'], own: 1 },
  request_supplement: { l: 'Yêu cầu bổ sung', from: ['submitted', 'received', 'processing'], own: 1, reason: 'Nội dung cần bổ sung' },
  request_payment: { l: 'Yêu cầu nộp phí, lệ phí', from: ['processing'], own: 1 },
  send_back: { l: 'Trả lại chuyên viên', from: ['awaiting_approval'], reason: 'Lý do trả lại' },
  reassign: { l: 'Phân công lại', from: ['processing', 'awaiting_approval'], user: 1 },
  apology: { l: 'Xin lỗi và hẹn lại', from: noSub(OPEN, 'submitted'), own: 1, due: 1, reason: 'Lý do chậm trễ' },
  transfer: { l: 'Chuyển cơ quan khác', from: noSub(OPEN, 'supplement'), agency: 1 },
  refuse: { l: 'Từ chối tiếp nhận', from: ['submitted', 'received'], reason: 'Lý do từ chối', kind: 'danger' },
  stop: { l: 'Dừng xử lý', from: noSub(OPEN, 'submitted'), reason: 'Lý do dừng xử lý', kind: 'danger' },
  withdraw: { l: 'Rút hồ sơ', from: OPEN, kind: 'danger', reasonOpt: 'Lý do rút hồ sơ (nếu có)' },
};
const STEP = { receive: 'Tiếp nhận hồ sơ', fee: 'Thu phí, lệ phí', file: 'Đính kèm bản số hoá', ...Object.fromEntries(Object.entries(ACTS).map(([k, v]) => [k, v.l])) };
const RATING = { 3: 'Rất hài lòng', 2: 'Hài lòng', 1: 'Không hài lòng' };

// The actions this user may take on d right now.
export function allowed(d, me) {
  const mine = new Set(me.actions);
  return Object.keys(ACTS).filter((k) => {
    const a = ACTS[k];
    if (!mine.has(k) || !a.from.includes(d.status)) return false;
    if (a.own && me.role === 'specialist' && d.assignee !== me.login) return false;
    if (k === 'request_supplement' && me.role === 'specialist' && d.status !== 'processing') return false;
    // The letter is owed after the appointment too (issue 10 item 4).
    if (k === 'apology' && (d.apology_at || !d.due_at)) return false;
    return true;
  });
}

// Who may be given a dossier: enabled specialists, leaders and admins of the
// staff directory (refreshed each time the form opens: accounts change).
async function specialists() {
  try { S.staff = (await api('GET', '/staff')).items; } catch { /* keep the directory we have */ }
  return S.staff.length ? S.staff : null;
}

// "Name (login)" when the directory knows the officer, else the login.
const who = (login) => (staffName(login) !== login ? `${staffName(login)} (${login})` : login);
const dt = (label, ...v) => [h('dt', null, label), h('dd', null, ...v)];

// The forms this dossier has, each a PDF opened in a new tab to print.
function formsPanel(d) {
  const forms = formsOf(d);
  if (!forms.length) return null;
  return h('section', { cls: 'panel no-print', 'aria-label': 'In mẫu biểu', id: 'forms' },
    h('h2', null, 'In mẫu biểu'),
    h('ul', { cls: 'forms' }, forms.map(([n, label]) => h('li', null, formLink(d.code, n, label)))));
}

export async function dossierScreen(view, code, note) {
  const d = await api('GET', '/dossiers/' + encodeURIComponent(code));
  const me = S.me;
  const acts = allowed(d, me);
  const act = h('div', { cls: 'act-form' });
  const flash = h('div', { 'aria-live': 'polite' }, note ? msgBox('ok', note) : null);
  const ap = d.applicant;
  const pt = d.processing_time || {};
  clear(view,
    h('p', { cls: 'crumb' }, h('a', { href: '#/trang-chu' }, 'Trang chủ'), ' › Hồ sơ'),
    h('div', { cls: 'dhead' },
      h('h1', null, 'Hồ sơ ', h('span', { cls: 'mono' }, d.code)),
      h('div', { cls: 'dstate' }, stateBadge(d.status, d.status_label), dueBadge(d))),
    h('p', { cls: 'pname' }, d.procedure_name || d.procedure,
      d.status !== 'submitted' ? [' · ', h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}/phieu`, id: 'reprint' }, 'In lại phiếu')] : null),
    flash,
    formsPanel(d),
    h('section', { cls: 'panel', 'aria-label': 'Thao tác' },
      h('h2', null, 'Thao tác'),
      acts.length
        ? h('div', { cls: 'actions wrap', id: 'act-buttons' }, acts.map((k) => h('button', {
          type: 'button', cls: ACTS[k].kind || '', 'data-action': k,
          onclick: () => openForm(k, d, act, view) }, ACTS[k].l)))
        : h('p', { cls: 'empty' }, me.actions.length ? 'Không có thao tác nào bạn được thực hiện ở trạng thái này.' : 'Vai trò giám sát chỉ xem, không thao tác trên hồ sơ.'),
      act),
    h('div', { cls: 'two' },
      h('section', { cls: 'panel' }, h('h2', null, 'Thông tin hồ sơ'),
        h('dl', { cls: 'kv' },
          dt('Mã hồ sơ', h('span', { cls: 'mono' }, d.code)),
          dt('Thủ tục', d.procedure_name || '', ' (', d.procedure, ')'),
          dt('Trạng thái', d.status_label || STATE[d.status], ` (mã ${d.status_code})`),
          dt('Hình thức nộp', CHANNEL[d.channel] || d.channel),
          dt('Thời hạn giải quyết', timeText(pt.amount, pt.unit), pt.unit_guessed && me.role === 'admin' ? ' (đơn vị suy đoán: xem Danh mục TTHC của xã)' : ''),
          dt('Ngày nộp', fmtDT(d.submitted_at)),
          dt('Ngày tiếp nhận', d.received_at ? fmtDT(d.received_at) : d.status === 'refused' ? 'Không được tiếp nhận' : 'Chưa tiếp nhận'),
          dt('Hẹn trả kết quả', fmtDT(d.due_at)),
          d.due_legal && d.due_legal !== d.due_at ? dt('Hạn theo quy định', fmtDT(d.due_legal)) : null,
          d.apology_at ? dt('Đã xin lỗi, hẹn lại', fmtDT(d.apology_at)) : null,
          dt('Người xử lý', d.assignee ? who(d.assignee) : 'Chưa phân công'),
          d.paused_at ? dt('Tạm dừng từ', fmtDT(d.paused_at)) : null,
          dt('Số lần yêu cầu bổ sung', String(d.supplements || 0)),
          d.finished_at ? dt('Hoàn thành xử lý', fmtDT(d.finished_at)) : null,
          d.timeliness ? dt('Đánh giá thời hạn', d.timeliness_label || TIMELY[d.timeliness] || d.timeliness) : null,
          d.returned_at ? dt('Đã trả kết quả', fmtDT(d.returned_at)) : null,
          d.collected_by ? dt('Người nhận kết quả', d.collected_by) : null,
          d.note ? dt('Ghi chú, lý do', d.note) : null,
          d.agency !== me.agency ? dt('Đã chuyển đến cơ quan', d.agency) : null)),
      h('section', { cls: 'panel' }, h('h2', null, 'Người nộp hồ sơ'),
        h('dl', { cls: 'kv' },
          ap.kind === 'organisation' ? [dt('Tổ chức', h('span', { cls: 'org-name' }, ap.org_name)),
            dt('Mã số thuế / mã số doanh nghiệp', h('span', { cls: 'mono' }, ap.tax_code)), dt('Người đại diện', ap.representative)] : null,
          dt(ap.kind === 'organisation' ? 'Người nộp' : 'Họ và tên', h('span', { cls: 'applicant-name' }, ap.name)),
          dt(idLabel(ap), ap.id_type === 'none' ? 'Không có' : ap.id_number), dt('Số điện thoại', ap.phone),
          dt('Thư điện tử', ap.email || '—'), dt('Địa chỉ', ap.address || '—'),
          dt('Nội dung yêu cầu', d.summary || '—')),
        h('h3', null, 'Thành phần hồ sơ'),
        d.components && d.components.length
          ? h('table', { cls: 'list compact' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tên giấy tờ'), h('th', { scope: 'col' }, 'Bản chính'), h('th', { scope: 'col' }, 'Bản sao'))),
            h('tbody', null, d.components.map((c) => h('tr', null, h('td', null, c.name), h('td', { cls: 'num' }, String(c.originals)), h('td', { cls: 'num' }, String(c.copies))))))
          : h('p', { cls: 'empty' }, 'Không ghi nhận thành phần hồ sơ.'))),
    filesPanel(d, me),
    recordsPanels(d, me, view, (msg) => dossierScreen(view, d.code, msg)),
    d.steps && d.steps.length ? h('section', { cls: 'panel', id: 'step-dues' }, h('h2', null, 'Hạn từng bước'), stepDues(d.steps)) : null,
    h('section', { cls: 'panel' }, h('h2', null, 'Quá trình xử lý'), timeline(d.history || [])));
}

// The commune's workflow steps, each with its own due time and verdict
// (the process-control sheet's "result of that step").
const STEP_KIND = { reception: 'Tiếp nhận', specialist: 'Chuyên viên', leader: 'Lãnh đạo', inter_agency: 'Cơ quan phối hợp', return: 'Trả kết quả' };
function stepDues(steps) {
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list compact' },
    h('thead', null, h('tr', null, ['Bước', 'Người thực hiện', 'Thời gian', 'Hạn bước', 'Hoàn thành', 'Kết quả'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, steps.map((s) => h('tr', { 'data-kind': s.kind },
      h('td', null, s.name), h('td', null, STEP_KIND[s.kind] || s.kind), h('td', { cls: 'num' }, s.share + '%'),
      h('td', { cls: 'nowrap' }, fmtDT(s.due_at)), h('td', { cls: 'nowrap' }, s.done_at ? fmtDT(s.done_at) : '—'),
      h('td', null, s.timeliness ? h('span', { cls: 'due due-' + s.timeliness }, s.timeliness_label || TIMELY[s.timeliness])
        : h('span', { cls: 'sub' }, 'Đang thực hiện')))))));
}

function stepTimely(ev) {
  if (ev.action === 'receive' || !ev.step_due) return null;
  const a = ev.at.slice(0, 10), b = ev.step_due.slice(0, 10);
  const k = toMs(ev.at) > toMs(ev.step_due) ? 'late' : a < b ? 'early' : 'on_time';
  return h('span', { cls: 'due due-' + k }, TIMELY[k]);
}

// A citizen's rating on the staff timeline (issue 10 item 9).
function ratingItem(ev) {
  return h('li', { cls: 'tl-rating' },
    h('div', { cls: 'tl-when' }, fmtDT(ev.at)),
    h('div', { cls: 'tl-body' },
      h('div', { cls: 'tl-step' }, h('strong', null, 'Người dân đánh giá'), ': ', RATING[ev.level] || String(ev.level)),
      h('div', { cls: 'tl-who' }, ev.channel === 'portal' ? 'Qua trang tra cứu' : 'Kênh: ' + (ev.channel || '')),
      ev.comment ? h('div', { cls: 'tl-comment' }, 'Góp ý: ', ev.comment) : null));
}

// Recorded at the desk before reception (then refused or sent back for a
// supplement): not a reception.
const stepName = (ev) => (ev.action === 'receive' && ev.to === 'submitted' ? 'Ghi nhận hồ sơ (chưa tiếp nhận)' : STEP[ev.action] || ev.action);

function timeline(hist) {
  if (!hist.length) return h('p', { cls: 'empty' }, 'Chưa có bước xử lý nào.');
  return h('ol', { cls: 'timeline' }, hist.map((ev) => ev.kind === 'dossier.rated' ? ratingItem(ev) : h('li', null,
    h('div', { cls: 'tl-when' }, fmtDT(ev.at)),
    h('div', { cls: 'tl-body' },
      h('div', { cls: 'tl-step' }, h('strong', null, stepName(ev)),
        ev.to ? [' → ', stateBadge(ev.to)] : null, ' ', stepTimely(ev)),
      h('div', { cls: 'tl-who' }, 'Người thực hiện: ', who(ev.actor),
        ev.to_user ? ` · giao cho: ${who(ev.to_user)}` : '', ev.to_agency ? ` · chuyển đến: ${ev.to_agency}` : ''),
      ev.issuer ? h('div', { cls: 'tl-who tl-issuer' }, 'Người ký văn bản: ', ev.issuer.name, ev.issuer.title ? ` (${ev.issuer.title})` : '') : null,
      ev.comment ? h('div', { cls: 'tl-comment' }, ev.action === 'return' && !ev.collection ? 'Người nhận kết quả: ' : 'Ý kiến: ', ev.comment) : null,
      ev.items && ev.items.length ? h('ol', { cls: 'tl-items' }, ev.items.map((t) => h('li', null, t))) : null,
      ev.fee ? h('div', { cls: 'tl-comment tl-fee' }, feeLine(ev.fee)) : null,
      ev.file ? h('div', { cls: 'tl-comment tl-file' }, fileLine(ev.file)) : null,
      resultLines(ev).map((t) => h('div', { cls: 'tl-comment' }, t)),
      ev.action !== 'fee' && ev.step_due ? h('div', { cls: 'tl-due' }, 'Hạn: ', fmtDT(ev.step_due)) : null))));
}

// The form of one action: only the fields it needs.
async function openForm(k, d, box, view) {
  const a = ACTS[k];
  for (const b of view.querySelectorAll('#act-buttons button')) b.setAttribute('aria-pressed', String(b.dataset.action === k));
  const fields = [], get = {};
  const out = h('div', { 'aria-live': 'polite' });
  if (a.user) {
    const list = await specialists();
    let inp;
    if (list) {
      // The engine gives dossiers to specialists and leaders only.
      const sp = list.filter((u) => !u.disabled && (u.role === 'specialist' || u.role === 'leader'));
      inp = h('select', { name: 'to' }, h('option', { value: '' }, '— Chọn người xử lý —'),
        sp.map((u) => h('option', { value: u.login, selected: u.login === d.assignee }, `${u.name} (${u.login}, ${ROLE[u.role] || u.role})`)));
    } else {
      inp = h('input', { name: 'to', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', placeholder: 'Tên đăng nhập của chuyên viên' });
    }
    const f = field('Người xử lý', inp, list ? null : 'Nhập tên đăng nhập của người được giao xử lý.');
    fields.push(f); get.to = () => inp.value.trim() || err(f, 'Chọn hoặc nhập người xử lý.');
  }
  if (a.agency) {
    let ags = [];
    try { ags = (await api('GET', '/agencies')).items.filter((x) => !x.self); } catch { /* typed instead */ }
    const inp = ags.length
      ? h('select', { name: 'to_agency' }, h('option', { value: '' }, '— Chọn cơ quan —'), ags.map((x) => h('option', { value: x.code }, `${x.name} (${x.code})`)))
      : h('input', { name: 'to_agency', placeholder: 'Mã định danh cơ quan' });
    const f = field('Cơ quan nhận', inp);
    fields.push(f); get.to_agency = () => inp.value.trim() || err(f, 'Chọn cơ quan nhận hồ sơ.');
  }
  if (a.due) {
    const day = dateInput('new_due_date');
    const tm = h('input', { name: 'new_due_time', value: '17:00', placeholder: 'HH:MM', inputmode: 'numeric', maxlength: 5, cls: 'time' });
    const f = field('Ngày hẹn trả mới (dd/mm/yyyy)', day, 'Phải sau ngày hẹn hiện tại: ' + fmtDT(d.due_at));
    const ft = field('Giờ hẹn', tm);
    fields.push(h('div', { cls: 'row' }, f, ft));
    get.new_due = () => {
      const v = readDate(day.value);
      if (!v) return err(f, v === null ? 'Ngày không đúng, viết theo dạng dd/mm/yyyy.' : 'Nhập ngày hẹn trả mới.');
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(tm.value.trim())) return err(ft, 'Giờ viết theo dạng HH:MM, ví dụ 16:30.');
      const iso = `${v}T${tm.value.trim()}:00+07:00`;
      if (toMs(iso) <= toMs(d.due_at)) return err(f, 'Ngày hẹn mới phải sau ngày hẹn hiện tại (' + fmtDT(d.due_at) + ').');
      return iso;
    };
  }
  if (a.collected) {
    // At return: who collected the result and how (issue 10, the result).
    const how = h('select', { name: 'delivery' }, Object.entries(DELIVERY).map(([v, l]) => h('option', { value: v }, l)));
    const inp = h('input', { name: 'collected_by', value: d.applicant.name, autocomplete: 'off', maxlength: 200 });
    const idn = h('input', { name: 'collector_id', value: d.applicant.id_number || '', autocomplete: 'off', inputmode: 'text', maxlength: 20 });
    const auth = h('input', { type: 'checkbox', name: 'by_authorisation' });
    const f = field('Người nhận kết quả', inp, 'Họ tên người đến nhận (người nộp hoặc người được uỷ quyền).');
    const fi = field('Số giấy tờ tuỳ thân của người nhận', idn, 'CCCD, CMND hoặc hộ chiếu; bắt buộc khi nhận theo uỷ quyền.');
    fields.push(field('Hình thức trả kết quả', how), f, fi, h('div', { cls: 'chk' }, auth, h('label', { for: auth.id = 'by-auth' }, 'Nhận thay theo giấy uỷ quyền')));
    get.delivery = () => how.value;
    get.collector = () => {
      const name = inp.value.trim(), id = idn.value.trim().toUpperCase();
      if (how.value === 'desk' && !name) return err(f, 'Nhập họ tên người nhận kết quả.');
      if (id && !/^[0-9A-Z]{6,20}$/.test(id)) return err(fi, 'Số giấy tờ gồm 6 đến 20 chữ số hoặc chữ cái.');
      if (auth.checked && !id) return err(fi, 'Nhận theo uỷ quyền: nhập số giấy tờ tuỳ thân của người nhận.');
      if (!name) return undefined;
      const c = { name, by_authorisation: auth.checked };
      if (id) c.id_number = id;
      return c;
    };
  }
  if (k === 'approve') {
    const num = h('input', { name: 'result_number', autocomplete: 'off', maxlength: 60, placeholder: 'Ví dụ: 15/QĐ-UBND' });
    const day = dateInput('result_date', isoDay(now()));
    const fn = field('Số văn bản, giấy tờ kết quả', num, 'Số quyết định, giấy chứng nhận… (có thể để trống và ghi sau).');
    const fd = field('Ngày của kết quả (dd/mm/yyyy)', day);
    fields.push(h('div', { cls: 'row' }, fn, fd));
    get.result_number = () => num.value.trim() || undefined;
    get.result_date = () => {
      if (!num.value.trim()) return undefined;
      const v = readDate(day.value);
      if (!v) return err(fd, 'Ngày không đúng, viết theo dạng dd/mm/yyyy.');
      if (v > isoDay(now())) return err(fd, 'Ngày của kết quả không được sau hôm nay.');
      return v;
    };
  }
  if (k === 'apology' && d.due_at && toMs(d.due_at) <= now()) {
    fields.push(msgBox('warn', 'Hồ sơ đã quá hạn hẹn trả: văn bản xin lỗi vẫn phải gửi và sẽ được ghi là lập sau khi đã quá hạn.'));
  }
  const reason = a.reason || a.reasonOpt;
  if (reason || !a.collected) {
    const inp = h('textarea', { name: 'comment', rows: 3 });
    const f = field(reason || 'Ý kiến (không bắt buộc)', inp);
    fields.push(f);
    get.comment = () => (a.reason && !inp.value.trim() ? err(f, 'Nhập ' + reason.toLowerCase() + '.')
      : tooLong(inp.value.trim()) ? err(f, 'Nội dung quá dài (tối đa khoảng 700 chữ): hãy rút gọn.') : inp.value.trim() || undefined);
  }
  const ok = h('button', { type: 'submit', cls: a.kind === 'danger' ? 'danger' : 'primary' }, 'Xác nhận: ' + a.l);
  const form = h('form', { cls: 'card inner', novalidate: true, 'data-form': k, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    for (const f of view.querySelectorAll('.act-form .fld')) if (f.setError) f.setError('');
    const body = { action: k };
    try {
      for (const [key, fn] of Object.entries(get)) { const v = fn(); if (v !== undefined) body[key] = v; }
    } catch (e) {
      if (e.field) { e.field.querySelector('input,select,textarea').focus(); return; }
      throw e;
    }
    busy(ok, true);
    try {
      await api('POST', `/dossiers/${encodeURIComponent(d.code)}/actions`, body, undefined, requestKey(d.code, body));
      requestDone(d.code);
      await dossierScreen(view, d.code, 'Đã thực hiện: ' + a.l + '.');
      const m = view.querySelector('.msg-ok');
      if (m) { m.tabIndex = -1; m.focus(); }
    } catch (e) {
      busy(ok, false);
      clear(out, msgBox('err', errText(e)));
    }
  } },
  h('h3', null, a.l), fields, out,
  h('div', { cls: 'actions' }, ok, h('button', { type: 'button', onclick: () => { clear(box); view.querySelector(`[data-action="${k}"]`).focus(); } }, 'Huỷ')));
  clear(box, form);
  const first = form.querySelector('input,select,textarea,button');
  if (first) first.focus();
}

function err(f, msg) {
  f.setError(msg);
  const e = new Error(msg); e.field = f; throw e;
}

// #/ho-so/CODE/phieu: the paper of this dossier printed again (lost or torn
// receipt): the refusal or supplement notice while that is its state, else
// the reception receipt with the appointment.
export async function reprintScreen(view, code) {
  const d = await api('GET', '/dossiers/' + encodeURIComponent(code));
  const hist = d.history || [];
  const last = (a) => [...hist].reverse().find((e) => e.action === a);
  const action = d.status === 'refused' ? 'refuse' : d.status === 'supplement' ? 'request_supplement' : null;
  const reason = action ? (last(action) || {}).comment || '' : '';
  const rec = last('accept') || last('receive') || {};
  clear(view,
    h('div', { cls: 'no-print' },
      h('p', { cls: 'crumb' }, h('a', { href: '#/trang-chu' }, 'Trang chủ'), ' › ', h('a', { href: '#/ho-so/' + encodeURIComponent(d.code) }, 'Hồ sơ ' + d.code), ' › In lại phiếu'),
      h('h1', null, 'In lại phiếu'),
      d.status === 'submitted' ? msgBox('info', 'Hồ sơ trực tuyến chưa được tiếp nhận: chưa có giấy tiếp nhận.') : null,
      h('div', { cls: 'actions' }, d.status === 'submitted' ? null : formLink(d.code, action === 'refuse' ? '3' : action === 'request_supplement' ? '2' : '1', 'In phiếu', { cls: 'btn primary', id: 'print-form' }),
        h('a', { cls: 'btn', href: '#/ho-so/' + encodeURIComponent(d.code) }, 'Về hồ sơ'))),
    d.status === 'submitted' ? null : receiptDoc(d, action, reason, staffName(rec.actor) || S.me.name));
}
