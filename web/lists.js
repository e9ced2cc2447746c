// lists.js - dossier tables, the work queues, the home screen and search.
import { h, clear, S, api, staffName, errText, msgBox, field, busy, fmtDT, isoDay, now, toMs, stateBadge, dueBadge, dateInput, readDate, csvButton, CHANNEL, STATE } from './lib.js';
import { textSearch } from './search.js';

const ACTIVE = new Set(['received', 'processing', 'awaiting_approval', 'awaiting_payment']);
const today = () => isoDay(now());

// Queues: title, menu label, the API filter (a function of me and the
// dashboard), an optional client-side filter, and the empty-state text.
export const LISTS = {
  'truc-tuyen': { title: 'Hồ sơ trực tuyến chờ tiếp nhận', nav: 'Hồ sơ trực tuyến', q: () => ({ status: 'submitted' }), empty: 'Không có hồ sơ trực tuyến nào chờ tiếp nhận.' },
  'cua-toi': { title: 'Hồ sơ của tôi', nav: 'Hồ sơ của tôi', q: (me) => ({ assignee: me.login, status: 'open' }), empty: 'Bạn không có hồ sơ nào đang mở.' },
  'cho-phan-cong': { title: 'Hồ sơ chờ phân công xử lý', nav: 'Chờ phân công', q: () => ({ status: 'received' }), empty: 'Không có hồ sơ nào chờ phân công.' },
  'cho-phe-duyet': { title: 'Hồ sơ chờ phê duyệt', nav: 'Chờ phê duyệt', q: () => ({ status: 'awaiting_approval' }), empty: 'Không có hồ sơ nào chờ phê duyệt.' },
  'cho-bo-sung': { title: 'Hồ sơ chờ bổ sung', nav: 'Chờ bổ sung', q: () => ({ status: 'supplement' }), empty: 'Không có hồ sơ nào chờ bổ sung.' },
  'tra-ket-qua': { title: 'Hồ sơ có kết quả chờ trả', nav: 'Trả kết quả', q: () => ({ status: 'result_ready' }), empty: 'Không có kết quả nào chờ trả.' },
  'dang-xu-ly': { title: 'Hồ sơ đang xử lý', nav: 'Đang xử lý', q: () => ({ status: 'processing' }), empty: 'Không có hồ sơ nào đang xử lý.' },
  'qua-han': { title: 'Hồ sơ quá hạn', nav: 'Quá hạn', q: (me) => mine(me, { overdue: 'true', sort: 'due' }), empty: 'Không có hồ sơ nào quá hạn.' }, // most overdue first
  'sap-den-han': { title: 'Hồ sơ sắp đến hạn (trong 1 ngày làm việc)', nav: 'Sắp đến hạn',
    q: (me, dash) => mine(me, { status: 'open', due_before: dash.near_due_before, sort: 'due' }), // soonest first
    keep: (d) => ACTIVE.has(d.status) && !d.overdue && toMs(d.due_at) >= now(), empty: 'Không có hồ sơ nào sắp đến hạn.' },
  'hom-nay': { title: 'Hồ sơ tiếp nhận hôm nay', nav: 'Tiếp nhận hôm nay', q: () => ({ received_from: today(), received_to: today() }), empty: 'Hôm nay chưa tiếp nhận hồ sơ nào.' },
  'tra-hom-nay': { title: 'Kết quả đã trả hôm nay', nav: 'Trả kết quả hôm nay', q: () => ({ status: 'returned' }),
    keep: (d) => d.returned_at && isoDay(toMs(d.returned_at)) === today(), empty: 'Hôm nay chưa trả kết quả nào.' },
};
// A specialist's near-due and overdue lists are their own dossiers.
function mine(me, q) { return me.role === 'specialist' ? { ...q, assignee: me.login } : q; }

export function dossierTable(items) {
  const th = (t) => h('th', { scope: 'col' }, t);
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl' },
    h('thead', null, h('tr', null, th('Hồ sơ'), th('Thủ tục'), th('Trạng thái'), th('Hạn xử lý'))),
    h('tbody', null, items.map((d) => h('tr', { 'data-code': d.code },
      h('td', { cls: 'code' }, h('a', { href: '#/ho-so/' + encodeURIComponent(d.code) }, d.code),
        h('div', { cls: 'aname' }, d.applicant.name),
        d.applicant.org_name ? h('div', { cls: 'meta org' }, d.applicant.org_name) : null,
        h('div', { cls: 'meta' }, d.received_at ? 'Nhận ' + fmtDT(d.received_at) : 'Nộp ' + fmtDT(d.submitted_at))),
      h('td', { cls: 'proc' }, h('span', { cls: 'clamp', title: d.procedure_name || '' }, d.procedure_name || d.procedure)),
      h('td', null, stateBadge(d.status, d.status_label), d.assignee ? h('div', { cls: 'meta' }, 'Xử lý: ' + staffName(d.assignee)) : null),
      h('td', { cls: 'when' }, d.due_at ? fmtDT(d.due_at) : '—', dueBadge(d)))))));
}

// A list with "Xem thêm" pages. Returns the element; fills it as pages come.
export function pagedList(params, { keep, empty, limit = 50, onCount, csv } = {}) {
  if (keep) limit = 500; // filtered here: take a big page
  const box = h('div', { cls: 'plist' }, h('p', { cls: 'loading' }, 'Đang tải…'));
  let shown = 0;
  async function page(cursor, more) {
    const p = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== ''));
    p.set('limit', limit);
    if (cursor) p.set('cursor', cursor);
    let r;
    try { r = await api('GET', '/dossiers?' + p); } catch (e) {
      if (more) more.replaceWith(msgBox('err', errText(e))); else clear(box, msgBox('err', errText(e)));
      return;
    }
    const items = keep ? r.items.filter(keep) : r.items;
    shown += items.length;
    if (!more) clear(box);
    if (more) more.remove();
    if (items.length) {
      const tb = box.querySelector('tbody');
      if (tb) tb.append(...dossierTable(items).querySelector('tbody').children);
      else {
        if (csv) box.append(h('div', { cls: 'csvbar' }, csvButton(() => box.querySelector('table'), csv + '-' + isoDay(now()))));
        box.append(dossierTable(items));
      }
    }
    if (r.next_cursor) {
      const b = h('button', { type: 'button', cls: 'more', onclick: () => { busy(b, true); page(r.next_cursor, b); } }, 'Xem thêm');
      box.append(b);
    } else if (!shown) box.append(h('p', { cls: 'empty' }, empty || 'Không có hồ sơ nào.'));
    if (onCount) onCount(shown, !!r.next_cursor);
  }
  page(null, null);
  return box;
}

let dashCache = null;
async function dashboard() { dashCache = await api('GET', '/dashboard'); S.skew = toMs(dashCache.now) - Date.now(); return dashCache; }

export async function listScreen(view, key) {
  const L = LISTS[key];
  const dash = L.q.length > 1 ? await dashboard() : null;
  const count = h('p', { cls: 'sub' });
  clear(view, h('h1', null, L.title), count,
    pagedList(L.q(S.me, dash), { keep: L.keep, empty: L.empty, csv: key, onCount: (n, more) => { count.textContent = `${n}${more ? '+' : ''} hồ sơ`; } }));
}

// ---- home ----
const CARDS = [
  ['my_queue', 'Việc của tôi', null, 'mine'], ['submitted', 'Chờ tiếp nhận', 'truc-tuyen'],
  ['received', 'Chờ phân công', 'cho-phan-cong'], ['processing', 'Đang xử lý', 'dang-xu-ly'],
  ['awaiting_approval', 'Chờ phê duyệt', 'cho-phe-duyet'], ['supplement', 'Chờ bổ sung', 'cho-bo-sung'],
  ['result_ready', 'Có kết quả chờ trả', 'tra-ket-qua'], ['near_due', 'Sắp đến hạn', 'sap-den-han', 'near'],
  ['overdue', 'Quá hạn', 'qua-han', 'over'], ['received_today', 'Tiếp nhận hôm nay', 'hom-nay'],
  ['returned_today', 'Trả kết quả hôm nay', 'tra-hom-nay'],
];
const QUEUE = { reception: ['truc-tuyen', 'cho-phan-cong', 'tra-ket-qua'], specialist: ['cua-toi'], leader: ['cho-phe-duyet', 'cho-phan-cong'], admin: ['cho-phan-cong', 'cho-phe-duyet'], supervisor: [] };

export async function homeScreen(view) {
  const me = S.me, dash = await dashboard(), c = dash.counts;
  const qk = QUEUE[me.role] || [];
  const cards = h('ul', { cls: 'cards' }, CARDS.map(([k, label, list, tone]) => {
    if (k === 'my_queue' && !['reception', 'specialist', 'leader'].includes(me.role)) return null;
    const href = list ? '#/ds/' + list : '#/ds/' + qk[0];
    return h('li', { cls: 'kpi' + (tone ? ' kpi-' + tone : '') + (tone && c[k] && tone !== 'mine' ? ' hot' : '') },
      h('a', { href }, h('span', { cls: 'n' }, String(c[k] ?? 0)), h('span', { cls: 'l' }, label)));
  }));
  const sec = (key, title, tone, limit = 5) => {
    const L = LISTS[key], head = h('span', { cls: 'cnt' });
    return h('section', { cls: 'panel' + (tone ? ' panel-' + tone : '') },
      h('h2', null, title || L.title, ' ', head, ' ', h('a', { cls: 'all', href: '#/ds/' + key }, 'Xem tất cả')),
      pagedList(L.q(me, dash), { keep: L.keep, empty: L.empty, limit, onCount: (n, more) => { head.textContent = `(${n}${more ? '+' : ''})`; } }));
  };
  const who = me.role === 'specialist' ? ' của tôi' : '';
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, 'Xin chào, ', me.name),
      h('p', { cls: 'sub' }, `${me.role_label} · ${me.agency_name} · số liệu lúc ${fmtDT(dash.now)} `,
        h('button', { type: 'button', cls: 'linkish', id: 'refresh', onclick: () => homeScreen(view) }, 'Làm mới'))),
    cards,
    qk.map((k) => sec(k, null, null)),
    sec('qua-han', 'Hồ sơ' + who + ' quá hạn', 'over', 10),
    sec('sap-den-han', 'Hồ sơ' + who + ' sắp đến hạn (trong 1 ngày làm việc)', 'near', 10),
    sec('hom-nay', null, null), sec('tra-hom-nay', null, null)); // full width: a half is too narrow for four columns at 1024 px
}

// ---- search ----
let fields = null;
// Vietnamese folded for comparison: no diacritics, đ as d, lower case.
const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();
let fieldsLoading = null;
function loadFields(dl) { // once; every caller waits for the same answer
  if (!fieldsLoading) {
    fieldsLoading = api('GET', '/procedures?limit=1').then((r) => { // the page lists every field
      fields = [...r.fields].sort((a, b) => a.localeCompare(b, 'vi'));
    }, () => { fieldsLoading = null; });
  }
  return fieldsLoading.then(() => { if (fields && !dl.children.length) dl.append(...fields.map((f) => h('option', { value: f }))); });
}

export async function searchScreen(view, q) {
  const inp = (name, attrs = {}) => h('input', { name, value: q.get(name) || '', ...attrs });
  const kw = inp('q', { type: 'search', placeholder: 'Tên người nộp hoặc tổ chức, mã hồ sơ, số giấy tờ, mã số thuế, số điện thoại, nội dung…' });
  const st = h('select', { name: 'status', value: q.get('status') || '' },
    h('option', { value: '' }, 'Tất cả'), h('option', { value: 'open' }, 'Đang mở (chưa kết thúc)'),
    Object.entries(STATE).map(([k, v]) => h('option', { value: k }, v)));
  const dl = h('datalist', { id: 'dl-fields' });
  const fd = inp('field', { list: 'dl-fields', autocomplete: 'off', placeholder: 'Ví dụ: Hộ tịch (gõ không dấu được)', onfocus: () => loadFields(dl) });
  const ch = h('select', { name: 'channel', value: q.get('channel') || '' }, h('option', { value: '' }, 'Tất cả'),
    Object.entries(CHANNEL).map(([k, v]) => h('option', { value: k }, v)));
  const from = dateInput('received_from', q.get('received_from')), to = dateInput('received_to', q.get('received_to'));
  const Ff = field('Tiếp nhận từ ngày', from), Ft = field('Đến ngày', to);
  const od = h('input', { type: 'checkbox', name: 'overdue', id: 'f-overdue', checked: q.get('overdue') === 'true' });
  const form = h('form', { cls: 'card search', role: 'search', onsubmit: async (ev) => {
    ev.preventDefault();
    if (fd.value.trim()) await loadFields(dl);
    const p = new URLSearchParams();
    for (const [k, el] of [['q', kw], ['status', st], ['field', fd], ['channel', ch]]) {
      if (el.value.trim()) p.set(k, el.value.trim());
    }
    // The field is matched exactly by the server: "ho tich" is read as the
    // catalog's "Hộ tịch" (the screen promises typing without diacritics).
    if (fd.value.trim() && fields) {
      const f = fields.find((x) => fold(x) === fold(fd.value));
      if (f) p.set('field', f);
    }
    for (const [k, el, f] of [['received_from', from, Ff], ['received_to', to, Ft]]) {
      const v = readDate(el.value);
      f.setError(v === null ? 'Ngày không đúng hoặc không có thật (viết dd/mm/yyyy, ví dụ 05/03/2026).' : '');
      if (v === null) { el.focus(); return; }
      if (v) p.set(k, v);
    }
    if (p.get('received_from') && p.get('received_to') && p.get('received_from') > p.get('received_to')) {
      Ft.setError('"Đến ngày" phải từ "Tiếp nhận từ ngày" trở về sau.'); to.focus(); return;
    }
    if (od.checked) p.set('overdue', 'true');
    const target = '#/tim-kiem' + (p.toString() ? '?' + p : '');
    if (location.hash === target) searchScreen(view, p); else location.hash = target;
  } },
  h('div', { cls: 'grid g3' },
    h('div', { cls: 'span3' }, field('Từ khoá (gõ có dấu hoặc không dấu đều được)', kw)),
    field('Trạng thái', st), field('Lĩnh vực', fd), field('Hình thức nộp', ch),
    Ff, Ft,
    h('div', { cls: 'fld chk' }, od, h('label', { for: 'f-overdue' }, 'Chỉ hồ sơ quá hạn'))),
  dl,
  h('div', { cls: 'actions' }, h('button', { type: 'submit', cls: 'primary' }, 'Tìm kiếm'),
    h('a', { cls: 'btn', href: '#/tim-kiem' }, 'Xoá điều kiện')));
  const params = Object.fromEntries(q.entries());
  const count = h('p', { cls: 'sub', 'aria-live': 'polite' });
  clear(view, h('h1', null, 'Tìm kiếm hồ sơ'), form, h('h2', null, 'Kết quả'), count,
    pagedList(params, { empty: 'Không có hồ sơ nào khớp điều kiện tìm kiếm.', csv: 'tim-kiem', onCount: (n, more) => { count.textContent = `Tìm thấy ${n}${more ? '+' : ''} hồ sơ`; } }),
    params.q && params.q.trim() ? textSearch(params.q.trim()) : null); // full text (issue 12)
}
