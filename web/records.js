// records.js - what a dossier records besides its state (issue 10): the
// notices it was given and who signed each, the apology's own data, the fees
// and charges (with the form to record one), the result's number and who
// collected it; and the fee book (#/so-thu-phi) for the cashier.
import { h, clear, api, errText, msgBox, field, busy, fmtDT, fmtD, money, requestKey, requestDone, isoDay, now, readDate, dateInput, csvButton } from './lib.js';

export const METHOD = { cash: 'Tiền mặt', transfer: 'Chuyển khoản', online: 'Trực tuyến' };
export const DELIVERY = { desk: 'Tại Bộ phận Một cửa', postal: 'Qua dịch vụ bưu chính', online: 'Trực tuyến' };
const EXEMPT = { full: 'Miễn', partial: 'Giảm' };

const dt = (label, ...v) => [h('dt', null, label), h('dd', null, ...v)];
const signer = (p) => (p ? `${p.name || p.login}${p.title ? ' — ' + p.title : ''}` : '');

// One fee as a line: "70.000 đ · Tiền mặt · biên lai BL-1 · người thu ...".
export function feeLine(f) {
  const who = f.collector && typeof f.collector === 'object' ? f.collector.name || f.collector.login : f.collector_name || f.collector;
  return [f.exemption === 'full' ? 'Miễn phí, lệ phí' : money(f.amount),
    f.method ? ' · ' + (METHOD[f.method] || f.method) : '',
    f.receipt_no ? ' · biên lai ' + f.receipt_no : '',
    f.exemption ? ` · ${EXEMPT[f.exemption] || f.exemption}: ${f.exemption_reason}` : '',
    who ? ' · người thu: ' + who : ''].join('');
}

// The result and the collection a step recorded, as lines for the timeline.
export function resultLines(ev) {
  const out = [];
  if (ev.result) out.push(`Kết quả số ${ev.result.number}, ngày ${fmtD(ev.result.date)}`);
  if (ev.collection) {
    const c = ev.collection;
    out.push([DELIVERY[c.delivery] || c.delivery, c.name ? ' · người nhận: ' + c.name : '', c.id_number ? ` (giấy tờ ${c.id_number})` : '',
      c.by_authorisation ? ' · nhận theo uỷ quyền' : ''].join(''));
  }
  return out;
}

function noticesPanel(d) {
  const ns = d.notices || [];
  if (!ns.length) return null;
  return h('section', { cls: 'panel', id: 'notices', 'aria-label': 'Văn bản đã ban hành' }, h('h2', null, 'Văn bản đã ban hành'),
    h('ol', { cls: 'notices' }, ns.map((n) => h('li', { 'data-kind': n.kind },
      h('div', null, h('strong', null, n.label), ' — ', fmtDT(n.issued_at)),
      h('div', { cls: 'sub notice-issuer' }, 'Người ký: ', signer(n.issuer)),
      n.reason ? h('div', { cls: 'tl-comment' }, 'Lý do, nội dung: ', n.reason) : null,
      n.items && n.items.length ? h('ol', { cls: 'notice-items' }, n.items.map((t) => h('li', null, t))) : null,
      n.kind === 'apology' ? h('div', { cls: 'sub' }, 'Hẹn cũ: ', fmtDT(n.original_due), ' → hẹn mới: ', fmtDT(n.new_due)) : null))));
}

function apologyPanel(d) {
  const a = d.apology;
  if (!a) return null;
  return h('section', { cls: 'panel', id: 'apology', 'aria-label': 'Văn bản xin lỗi và hẹn lại' }, h('h2', null, 'Văn bản xin lỗi và hẹn lại'),
    a.warning ? msgBox('warn', a.warning) : null,
    h('dl', { cls: 'kv' },
      dt('Ngày hẹn ban đầu', fmtDT(a.original_due)),
      dt('Ngày hẹn mới', h('strong', null, fmtDT(a.new_due))),
      dt('Lý do', a.reason),
      dt('Lập lúc', fmtDT(a.issued_at), a.after_due ? ' (sau khi đã quá hạn)' : ''),
      dt('Người ký', signer(a.signer))));
}

function resultPanel(d) {
  const r = d.result, c = d.collection;
  if (!r && !c) return null;
  return h('section', { cls: 'panel', id: 'result', 'aria-label': 'Kết quả giải quyết' }, h('h2', null, 'Kết quả giải quyết'),
    h('dl', { cls: 'kv' },
      r ? dt('Số văn bản kết quả', h('strong', { cls: 'result-number' }, r.number)) : null,
      r ? dt('Ngày', fmtD(r.date)) : null,
      c ? dt('Hình thức trả', c.delivery_label || DELIVERY[c.delivery] || c.delivery) : null,
      c && c.name ? dt('Người nhận', c.name, c.by_authorisation ? ' (nhận theo uỷ quyền)' : ' (người nộp hồ sơ)') : null,
      c && c.id_number ? dt('Số giấy tờ người nhận', c.id_number) : null,
      c ? dt('Trả lúc', fmtDT(c.returned_at)) : null));
}

// The fees recorded, and for the cashier (reception, admin) the form to
// record one: the catalog's amount pre-filled where it states one.
function feesPanel(d, me, reload) {
  const may = (me.role === 'reception' || me.role === 'admin') && d.status !== 'refused' && d.status !== 'submitted' && d.agency === me.agency;
  const fees = d.fees || [];
  const def = d.fee_default || {};
  const box = h('div');
  const open = () => clear(box, feeForm(d, def, reload, () => clear(box)));
  return h('section', { cls: 'panel', id: 'fees', 'aria-label': 'Phí, lệ phí' }, h('h2', null, 'Phí, lệ phí'),
    h('p', { cls: 'sub' }, 'Theo danh mục: ', def.text || 'Không có thông tin',
      def.amount != null ? [' — ', h('strong', null, money(def.amount))] : ''),
    fees.length
      ? h('table', { cls: 'list compact' }, h('thead', null, h('tr', null, ['Thời gian', 'Số tiền', 'Hình thức', 'Biên lai', 'Miễn, giảm', 'Người thu'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, fees.map((f) => h('tr', null, h('td', null, fmtDT(f.at)), h('td', { cls: 'num' }, money(f.amount)), h('td', null, f.method_label || '—'),
          h('td', { cls: 'mono' }, f.receipt_no || '—'), h('td', null, f.exemption ? `${f.exemption_label}: ${f.exemption_reason}` : '—'), h('td', null, f.collector.name || f.collector.login)))),
        h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Tổng đã thu'), h('td', { cls: 'num', id: 'fee-total' }, money(d.fee_total)), h('td', { colspan: 4 }))))
      : h('p', { cls: 'empty' }, 'Chưa ghi nhận khoản thu nào.'),
    may ? h('div', { cls: 'actions' }, h('button', { type: 'button', id: 'fee-open', onclick: open }, 'Ghi thu phí, lệ phí')) : null,
    box);
}

function feeForm(d, def, reload, close) {
  const amount = h('input', { name: 'amount', inputmode: 'numeric', autocomplete: 'off', value: def.amount != null ? String(def.amount) : '' });
  const method = h('select', { name: 'method' }, Object.entries(METHOD).map(([v, l]) => h('option', { value: v }, l)));
  const receipt = h('input', { name: 'receipt_no', autocomplete: 'off', maxlength: 30 });
  const ex = h('select', { name: 'exemption' }, h('option', { value: '' }, 'Không'), h('option', { value: 'full' }, 'Miễn'), h('option', { value: 'partial' }, 'Giảm'));
  const why = h('input', { name: 'exemption_reason', autocomplete: 'off', maxlength: 500 });
  const fa = field('Số tiền (đồng)', amount, 'Số nguyên, không có dấu chấm; sửa nếu mức thu khác danh mục.');
  const fr = field('Số biên lai', receipt, 'Tối đa 30 chữ, số hoặc / . - _');
  const fw = field('Lý do miễn, giảm', why);
  const out = h('div', { 'aria-live': 'polite' });
  const ok = h('button', { type: 'submit', cls: 'primary' }, 'Ghi khoản thu');
  const form = h('form', { cls: 'card inner', novalidate: true, 'data-form': 'fee', onsubmit: async (e) => {
    e.preventDefault();
    for (const f of [fa, fr, fw]) f.setError('');
    clear(out);
    const full = ex.value === 'full';
    const txt = amount.value.trim().replace(/[.\s]/g, '');
    if (!full && !/^\d{1,10}$/.test(txt)) { fa.setError('Nhập số tiền bằng chữ số, ví dụ 8000.'); amount.focus(); return; }
    const n = full ? 0 : Number(txt);
    if (n > 1e9) { fa.setError('Số tiền quá lớn.'); amount.focus(); return; }
    if (!full && n === 0) { fa.setError('Số tiền 0 đồng: chọn «Miễn» và ghi lý do.'); amount.focus(); return; }
    if (ex.value && !why.value.trim()) { fw.setError('Ghi lý do miễn, giảm.'); why.focus(); return; }
    if (!full && !/^[A-Za-z0-9/._-]{1,30}$/.test(receipt.value.trim())) { fr.setError('Nhập số biên lai (chữ, số hoặc / . - _).'); receipt.focus(); return; }
    const body = { amount: n };
    if (!full) { body.method = method.value; body.receipt_no = receipt.value.trim(); }
    if (ex.value) { body.exemption = ex.value; body.exemption_reason = why.value.trim(); }
    busy(ok, true);
    try {
      await api('POST', `/dossiers/${encodeURIComponent(d.code)}/fees`, body, undefined, requestKey('fee:' + d.code, body));
      requestDone('fee:' + d.code);
      await reload('Đã ghi khoản thu ' + (full ? '(miễn phí)' : money(n)) + '.');
    } catch (err) { busy(ok, false); clear(out, msgBox('err', errText(err))); }
  } },
  h('h3', null, 'Ghi thu phí, lệ phí'),
  h('div', { cls: 'row' }, fa, field('Hình thức nộp', method)),
  h('div', { cls: 'row' }, fr, field('Miễn, giảm', ex)), fw, out,
  h('div', { cls: 'actions' }, ok, h('button', { type: 'button', onclick: close }, 'Huỷ')));
  setTimeout(() => amount.focus(), 0);
  return form;
}

export function recordsPanels(d, me, view, reload) {
  return [apologyPanel(d), resultPanel(d), feesPanel(d, me, reload), noticesPanel(d)];
}

// ---- #/so-thu-phi: the fee book, per day and per officer ----

export async function feesScreen(view, q) {
  const today = isoDay(now());
  const from = dateInput('from', q.get('from') || today), to = dateInput('to', q.get('to') || today);
  const ff = field('Từ ngày (dd/mm/yyyy)', from), ft = field('Đến ngày', to);
  const out = h('div', { 'aria-live': 'polite' });
  const body = h('div');
  async function load() {
    ff.setError(''); ft.setError(''); clear(out);
    const a = readDate(from.value), b = readDate(to.value);
    if (!a) { ff.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); from.focus(); return; }
    if (!b) { ft.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); to.focus(); return; }
    let r;
    try { r = await api('GET', `/fees?from=${a}&to=${b}`); } catch (e) { clear(out, msgBox('err', errText(e))); return; }
    const M = (g) => ['cash', 'transfer', 'online'].map((m) => h('td', { cls: 'num' }, money(g.by_method[m] || 0)));
    const csv = (id, name) => h('div', { cls: 'csvbar' }, csvButton(() => document.getElementById(id), `${name}-${a}-${b}`));
    const head = h('thead', null, h('tr', null, ['Ngày', 'Cán bộ thu', 'Số khoản', 'Miễn, giảm', 'Tiền mặt', 'Chuyển khoản', 'Trực tuyến', 'Tổng'].map((t) => h('th', { scope: 'col' }, t))));
    clear(body,
      h('p', { cls: 'bigdue' }, 'Tổng thu: ', h('strong', { id: 'fees-total' }, money(r.total.amount)), ` (${r.total.count} khoản)`),
      r.days.length ? csv('fee-book', 'so-thu-phi') : null,
      r.days.length ? h('table', { cls: 'list compact', id: 'fee-book' }, head, h('tbody', null, r.days.map((day) => [
        ...day.officers.map((o) => h('tr', { 'data-day': day.date, 'data-login': o.login }, h('td', null, fmtD(day.date)), h('td', null, o.name || o.login),
          h('td', { cls: 'num' }, String(o.count)), h('td', { cls: 'num' }, String(o.exemptions)), M(o), h('td', { cls: 'num' }, money(o.amount)))),
        h('tr', { cls: 'subtotal' }, h('th', { scope: 'row', colspan: 2 }, 'Cộng ngày ' + fmtD(day.date)), h('td', { cls: 'num' }, String(day.count)),
          h('td', { cls: 'num' }, String(day.exemptions)), M(day), h('td', { cls: 'num' }, h('strong', null, money(day.amount))))])))
        : h('p', { cls: 'empty' }, 'Không có khoản thu nào trong khoảng ngày này.'),
      r.officers.length ? [h('h2', null, 'Theo cán bộ thu'), csv('fee-officers', 'thu-phi-theo-can-bo'), h('table', { cls: 'list compact', id: 'fee-officers' },
        h('thead', null, h('tr', null, ['Cán bộ thu', 'Số khoản', 'Tiền mặt', 'Chuyển khoản', 'Trực tuyến', 'Tổng'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, r.officers.map((o) => h('tr', { 'data-login': o.login }, h('td', null, o.name || o.login), h('td', { cls: 'num' }, String(o.count)), M(o), h('td', { cls: 'num' }, money(o.amount))))))] : null,
      r.items.length ? [h('h2', null, 'Chi tiết khoản thu'), csv('fee-items', 'chi-tiet-khoan-thu'), h('table', { cls: 'list compact', id: 'fee-items' },
        h('thead', null, h('tr', null, ['Thời gian', 'Hồ sơ', 'Số tiền', 'Hình thức', 'Biên lai', 'Người thu'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, r.items.map((f) => h('tr', null, h('td', null, fmtDT(f.at)), h('td', { cls: 'mono' }, h('a', { href: '#/ho-so/' + encodeURIComponent(f.dossier) }, f.dossier)),
          h('td', { cls: 'num' }, money(f.amount)), h('td', null, f.method_label || (f.exemption ? f.exemption_label : '—')), h('td', { cls: 'mono' }, f.receipt_no || '—'), h('td', null, f.collector.name || f.collector.login)))))] : null);
  }
  const go = h('button', { type: 'submit', cls: 'primary' }, 'Xem');
  clear(view, h('h1', null, 'Sổ thu phí, lệ phí'),
    h('p', { cls: 'sub no-print' }, 'Đối chiếu tiền thu theo ngày và theo cán bộ thu (tối đa 31 ngày).'),
    h('form', { cls: 'card no-print', novalidate: true, onsubmit: async (e) => { e.preventDefault(); busy(go, true); await load(); busy(go, false); } },
      h('div', { cls: 'row' }, ff, ft), out,
      h('div', { cls: 'actions' }, go, h('button', { type: 'button', onclick: () => window.print() }, 'In sổ'))),
    body);
  await load();
}

// ---- #/so-theo-doi: the tracking register (form 7) of a period, as PDF ----

export async function registerScreen(view, q) {
  const today = isoDay(now());
  const from = dateInput('from', q.get('from') || today.slice(0, 8) + '01'), to = dateInput('to', q.get('to') || today);
  const ff = field('Từ ngày (dd/mm/yyyy)', from), ft = field('Đến ngày', to);
  const out = h('div', { 'aria-live': 'polite' });
  const go = h('button', { type: 'submit', cls: 'primary', id: 'register-open' }, 'Mở sổ (PDF)');
  clear(view, h('h1', null, 'Sổ theo dõi hồ sơ'),
    h('p', { cls: 'sub' }, 'Mẫu số 07: mỗi hồ sơ tiếp nhận trong khoảng ngày một dòng, theo số thứ tự vào sổ (tối đa 366 ngày). Sổ mở ở thẻ mới để in.'),
    h('form', { cls: 'card', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      ff.setError(''); ft.setError(''); clear(out);
      const a = readDate(from.value), b = readDate(to.value);
      if (!a) { ff.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); from.focus(); return; }
      if (!b) { ft.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); to.focus(); return; }
      if (b < a) { ft.setError('Ngày cuối phải sau ngày đầu.'); to.focus(); return; }
      const url = `/api/v1/register.pdf?from=${a}&to=${b}`;
      window.open(url, '_blank', 'noopener');
      clear(out, msgBox('ok', 'Đã mở sổ ở thẻ mới. '), h('a', { href: url, target: '_blank', rel: 'noopener', id: 'register-link' }, 'Mở lại'));
    } },
      h('div', { cls: 'row' }, ff, ft), out,
      h('div', { cls: 'actions' }, go)));
}
