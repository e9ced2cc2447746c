// documents.js - the official document registers (issue 14, Decree
// 30/2020/NĐ-CP on clerical work): '#/van-ban-den' (sổ văn bản đến) and
// '#/van-ban-di' (sổ văn bản đi): the list with its search and filters, the
// books as Excel and PDF, the register form, one entry with its scans, its
// assignment and deadline, and marking it done.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, fmtD, isoDay, now, toMs, dateInput, readDate, tooLong, csvButton, requestKey, requestDone } from './lib.js';

const BOOKS = {
  in: { slug: 'van-ban-den', title: 'Văn bản đến', add: 'Vào sổ văn bản đến', book: 'Sổ đăng ký văn bản đến', file: 'so-van-ban-den' },
  out: { slug: 'van-ban-di', title: 'Văn bản đi', add: 'Vào sổ văn bản đi', book: 'Sổ đăng ký văn bản đi', file: 'so-van-ban-di' },
};
const STATE = { new: 'Chưa giao', assigned: 'Đã giao xử lý', done: 'Đã xử lý xong' };
const DUE_UNITS = { working_days: 'ngày làm việc', working_hours: 'giờ làm việc', calendar_days: 'ngày (theo lịch)' };
const MAX_FILE = 20 << 20;
const FILE_TYPES = /\.(pdf|jpe?g|png|tiff?)$/i;
const WITHHELD = 'Văn bản mật: trích yếu chỉ hiển thị với lãnh đạo, quản trị và người được giao xử lý.';

const writer = () => ['reception', 'leader', 'admin'].includes(S.me.role);
const href = (book, id) => `#/${BOOKS[book].slug}` + (id ? '/' + encodeURIComponent(id) : '');
const th = (t) => h('th', { scope: 'col' }, t);
const dt = (label, ...v) => [h('dt', null, label), h('dd', null, ...v)];

// The reference lists, loaded once per sign-in.
let refP = null, unitsP = null;
const reference = () => (refP ||= api('GET', '/documents/types').catch((e) => { refP = null; throw e; }));
const unitList = () => (unitsP ||= api('GET', '/units').then((r) => r.units).catch((e) => { unitsP = null; throw e; }));

// The marks that matter, as small badges: urgent, confidential, state.
function marks(d) {
  return [
    d.urgency && d.urgency !== 'thuong' ? h('span', { cls: 'badge vb-urg vb-' + d.urgency }, d.urgency_label) : null,
    d.secrecy && d.secrecy !== 'thuong' ? h('span', { cls: 'badge vb-sec' }, d.secrecy_label) : null,
  ];
}
function stateBadge(d) {
  if (d.book !== 'in') return null;
  return h('span', { cls: 'badge vb-st-' + d.state }, d.state_label || STATE[d.state]);
}
function dueText(d) {
  if (!d.due_at) return null;
  const over = d.overdue;
  return h('span', { cls: 'due ' + (over ? 'due-over' : d.state === 'done' ? 'due-ok' : toMs(d.due_at) - now() < 864e5 ? 'due-near' : 'due-ok') },
    (over ? 'Quá hạn ' : 'Hạn ') + fmtDT(d.due_at));
}
const excerpt = (d) => (d.withheld ? h('em', { cls: 'vb-withheld' }, WITHHELD) : d.excerpt);
const sizeText = (n) => (n >= 1e6 ? (n / 1e6).toFixed(1).replace('.', ',') + ' MB' : Math.max(1, Math.round(n / 1e3)) + ' kB');

// ---- the screens ----

export async function documentsScreen(view, book, seg, q) {
  if (seg[1] === 'moi') return formScreen(view, book, null);
  if (seg[1] && seg[2] === 'sua') return formScreen(view, book, seg[1]);
  if (seg[1]) return detailScreen(view, book, seg[1], q);
  return listScreen(view, book, q);
}

function tabs(book) {
  return h('div', { cls: 'rpt-tabs vb-tabs no-print', role: 'tablist', 'aria-label': 'Sổ văn bản' },
    Object.entries(BOOKS).map(([k, b]) => h('a', { role: 'tab', href: href(k), 'aria-selected': String(k === book), 'data-book': k }, b.title)));
}

async function listScreen(view, book, q) {
  const B = BOOKS[book];
  const [ref, units] = await Promise.all([reference(), unitList()]);
  const y = +isoDay(now()).slice(0, 4);
  const opt = (v, label) => h('option', { value: v }, label);
  const sel = (name, options) => h('select', { name, value: q.get(name) || '' }, options);
  const kw = h('input', { type: 'search', name: 'q', value: q.get('q') || '', placeholder: 'Số, ký hiệu, cơ quan ban hành, trích yếu, người ký… (gõ không dấu được)' });
  const year = sel('year', [opt('', 'Tất cả'), [0, 1, 2, 3, 4].map((i) => opt(String(y - i), String(y - i)))]);
  const type = sel('type', [opt('', 'Tất cả'), ref.types.map((t) => opt(t.code, t.name))]);
  const urg = sel('urgency', [opt('', 'Tất cả'), ref.urgencies.map((u) => opt(u.code, u.label))]);
  const state = book === 'in' ? sel('state', [opt('', 'Tất cả'), opt('open', 'Chưa xử lý xong'), Object.entries(STATE).map(([k, v]) => opt(k, v))]) : null;
  const who = book === 'in' ? sel('assignee', [opt('', 'Tất cả'), S.staff.filter((u) => u.role !== 'supervisor' && !u.disabled).map((u) => opt(u.login, u.name))]) : null;
  const unit = sel('unit', [opt('', 'Tất cả'), units.filter((u) => u.active).map((u) => opt(u.code, u.name))]);
  const from = dateInput('from', q.get('from')), to = dateInput('to', q.get('to'));
  const dayWord = book === 'in' ? 'Ngày đến' : 'Ngày văn bản';
  const Ff = field(dayWord + ' từ', from), Ft = field('đến ngày', to);
  const form = h('form', { cls: 'card search vb-search no-print', role: 'search', novalidate: true, onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const el of [kw, year, type, urg, state, who, unit]) if (el && el.value.trim()) p.set(el.name, el.value.trim());
    for (const [k, el, f] of [['from', from, Ff], ['to', to, Ft]]) {
      const v = readDate(el.value);
      f.setError(v === null ? 'Ngày không đúng hoặc không có thật (viết dd/mm/yyyy, ví dụ 05/03/2026).' : '');
      if (v === null) { el.focus(); return; }
      if (v) p.set(k, v);
    }
    if (p.get('from') && p.get('to') && p.get('from') > p.get('to')) { Ft.setError('"Đến ngày" phải từ ngày đầu trở về sau.'); to.focus(); return; }
    const target = href(book) + (p.toString() ? '?' + p : '');
    if (location.hash === target) listScreen(view, book, p); else location.hash = target;
  } },
  field('Từ khoá (có dấu hoặc không dấu đều được)', kw),
  // The other conditions fold on a phone unless one is in use.
  h('details', { cls: 'vb-more', open: window.innerWidth > 640 || [...q.keys()].some((k) => k !== 'q') },
    h('summary', null, 'Điều kiện lọc'),
    h('div', { cls: 'grid g3' },
      field('Năm', year), field('Loại văn bản', type), field('Độ khẩn', urg),
      state ? field('Tình trạng xử lý', state) : null, who ? field('Người xử lý', who) : null,
      field(book === 'in' ? 'Đơn vị xử lý' : 'Đơn vị soạn thảo', unit), Ff, Ft)),
  h('div', { cls: 'actions' }, h('button', { type: 'submit', cls: 'primary' }, 'Tìm'), h('a', { cls: 'btn', href: href(book) }, 'Xoá điều kiện')));

  // The book to download: the dates searched, or the year chosen, or this year.
  const params = Object.fromEntries([...q.entries()].filter(([k]) => k !== 'offset'));
  let bf = params.from || '', bt = params.to || '';
  if (!bf && !bt && params.year) { bf = params.year + '-01-01'; bt = params.year + '-12-31'; }
  const bq = new URLSearchParams();
  if (bf) bq.set('from', bf);
  if (bt) bq.set('to', bt);
  const qs = bq.toString() ? '?' + bq : '';
  const period = bf || bt ? `từ ${bf ? fmtD(bf) : '01/01'} đến ${bt ? fmtD(bt) : 'hôm nay'}` : `năm ${y} đến hôm nay`;
  const exportsBox = h('div', { cls: 'actions vb-exports no-print' },
    h('a', { cls: 'btn', id: 'vb-xlsx', href: `/api/v1/documents/${book}.xlsx${qs}`, download: `${B.file}.xlsx` }, 'Tải sổ Excel'),
    h('a', { cls: 'btn', id: 'vb-pdf', href: `/api/v1/documents/${book}.pdf${qs}`, target: '_blank', rel: 'noopener' }, 'In sổ (PDF)'),
    h('span', { cls: 'sub' }, 'Sổ ' + period));
  const count = h('p', { cls: 'sub', 'aria-live': 'polite' });
  const box = h('div', { cls: 'plist' }, h('p', { cls: 'loading' }, 'Đang tải…'));
  clear(view, h('div', { cls: 'vb' },
    h('div', { cls: 'row between vb-head' }, h('h1', null, B.title),
      writer() ? h('a', { cls: 'btn primary', id: 'vb-add', href: href(book) + '/moi' }, '+ ' + B.add) : null),
    tabs(book), form, exportsBox, count, box));
  let shown = 0;
  async function page(offset, more) {
    const p = new URLSearchParams(params);
    p.set('limit', '50');
    p.set('offset', String(offset));
    let r;
    try { r = await api('GET', `/documents/${book}?${p}`); } catch (e) {
      if (more) more.replaceWith(msgBox('err', errText(e))); else clear(box, msgBox('err', errText(e)));
      return;
    }
    if (!more) clear(box); else more.remove();
    shown += r.items.length;
    count.textContent = r.total ? `${r.total} văn bản` : '';
    if (r.items.length) {
      const tb = box.querySelector('tbody');
      const t = table(book, r.items);
      if (tb) tb.append(...t.querySelector('tbody').children);
      else box.append(h('div', { cls: 'csvbar' }, csvButton(() => box.querySelector('table'), B.file + '-' + isoDay(now()), 'Xuất CSV danh sách')), t);
    } else if (!shown) box.append(h('p', { cls: 'empty' }, q.toString() ? 'Không có văn bản nào khớp điều kiện tìm kiếm.' : 'Sổ chưa có văn bản nào.'));
    if (shown < r.total) {
      const b = h('button', { type: 'button', cls: 'more', onclick: () => { busy(b, true); page(shown, b); } }, 'Xem thêm');
      box.append(b);
    }
  }
  await page(0, null);
}

function table(book, items) {
  if (book === 'in') {
    return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl vb-list' },
      h('thead', null, h('tr', null, th('Số đến'), th('Ngày đến'), th('Số, ký hiệu · Nơi gửi'), th('Loại và trích yếu'), th('Xử lý'))),
      h('tbody', null, items.map((d) => h('tr', { 'data-id': d.id },
        h('td', { cls: 'vb-no nowrap' }, h('a', { href: href('in', d.id) }, String(d.number)), h('span', { cls: 'meta' }, '/' + d.year)),
        h('td', { cls: 'nowrap' }, fmtD(d.received_at)),
        h('td', null, h('div', { cls: 'mono' }, d.symbol || '—'), h('div', { cls: 'meta' }, d.issuer), h('div', { cls: 'meta' }, 'Ngày ' + fmtD(d.doc_date))),
        h('td', { cls: 'vb-ex' }, h('a', { href: href('in', d.id) }, h('strong', null, d.type_name), ': ', excerpt(d)), h('div', null, marks(d))),
        h('td', null, stateBadge(d),
          d.unit ? h('div', { cls: 'meta' }, d.unit_name) : null,
          d.assignee ? h('div', { cls: 'meta' }, d.assignee_name) : null,
          dueText(d)))))));
  }
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl vb-list' },
    h('thead', null, h('tr', null, th('Số, ký hiệu'), th('Ngày'), th('Loại và trích yếu'), th('Người ký'), th('Nơi nhận'), th('Đơn vị soạn thảo'))),
    h('tbody', null, items.map((d) => h('tr', { 'data-id': d.id },
      h('td', { cls: 'vb-no' }, h('a', { cls: 'mono', href: href('out', d.id) }, d.symbol)),
      h('td', { cls: 'nowrap' }, fmtD(d.doc_date)),
      h('td', { cls: 'vb-ex' }, h('a', { href: href('out', d.id) }, h('strong', null, d.type_name), ': ', excerpt(d)), h('div', null, marks(d))),
      h('td', null, h('span', { cls: 'vb-lbl' }, 'Người ký: '), d.signer.name, d.signer.title ? h('div', { cls: 'meta' }, d.signer.title) : null),
      h('td', { cls: 'vb-rcp' }, h('span', { cls: 'vb-lbl' }, 'Nơi nhận: '), d.recipients.join('; ')),
      h('td', null, h('span', { cls: 'vb-lbl' }, 'Đơn vị soạn thảo: '), d.unit_name || '—'))))));
}

// ---- one entry ----

async function detailScreen(view, book, id, q, note) {
  const B = BOOKS[book];
  const d = await api('GET', `/documents/${book}/${encodeURIComponent(id)}`);
  const me = S.me;
  const out = h('div', { 'aria-live': 'polite' }, note ? msgBox('ok', note) : null);
  const reload = (msg) => detailScreen(view, book, id, q, msg);
  const patch = async (btn, body, msg) => {
    busy(btn, true);
    try { await api('PATCH', `/documents/${book}/${encodeURIComponent(id)}`, body); await reload(msg); } catch (e) { busy(btn, false); clear(out, msgBox('err', errText(e))); }
  };
  const mine = d.assignee ? d.assignee === me.login : d.unit && d.unit === me.unit;
  const lead = me.role === 'leader' || me.role === 'admin';
  const box = h('div');
  const acts = [];
  if (book === 'in' && d.state !== 'done' && (mine || lead)) {
    const b = h('button', { type: 'button', cls: 'primary', id: 'vb-done', onclick: () => patch(b, { done: true }, 'Đã ghi nhận: văn bản đã xử lý xong.') }, 'Đã xử lý xong');
    acts.push(b);
  }
  if (book === 'in' && d.state === 'done' && lead) {
    const b = h('button', { type: 'button', id: 'vb-reopen', onclick: () => patch(b, { done: false }, 'Đã mở lại văn bản để xử lý tiếp.') }, 'Mở lại');
    acts.push(b);
  }
  if (writer()) {
    if (book === 'in') acts.push(h('button', { type: 'button', id: 'vb-assign', onclick: async () => clear(box, await assignForm(d, reload, () => clear(box))) }, d.state === 'new' ? 'Giao xử lý' : 'Giao lại, đổi hạn'));
    acts.push(h('a', { cls: 'btn', id: 'vb-edit', href: href(book, id) + '/sua' }, 'Sửa thông tin'));
  }
  const title = book === 'in' ? `Văn bản đến số ${d.number}/${d.year}` : `Văn bản đi số ${d.symbol}`;
  const files = h('section', { cls: 'panel', id: 'vb-files', 'aria-label': 'Tệp đính kèm' },
    h('h2', null, book === 'in' ? 'Bản quét văn bản' : 'Bản quét văn bản đã ký'),
    d.withheld ? h('p', { cls: 'empty' }, WITHHELD)
      : d.attachments.length ? h('ul', { cls: 'flist vb-files' }, d.attachments.map((a) => h('li', { cls: 'file' },
        h('a', { cls: 'flink', href: '/api/v1/attachments/' + a.sha256, target: '_blank', rel: 'noopener' }, a.filename || a.sha256.slice(0, 12) + '…'),
        h('span', { cls: 'fmeta' }, ' · ', a.mime === 'application/pdf' ? 'PDF' : 'Ảnh', ' · ', sizeText(a.size)))))
        : h('p', { cls: 'empty' }, 'Chưa có tệp nào.'),
    writer() && !d.withheld ? uploader(async (recs) => {
      const shas = [...d.attachments.map((a) => a.sha256), ...recs.map((r) => r.sha256)];
      await api('PATCH', `/documents/${book}/${encodeURIComponent(id)}`, { attachments: shas });
      await reload(`Đã thêm ${recs.length} tệp.`);
    }, 'Thêm tệp') : null);
  const info = book === 'in'
    ? h('dl', { cls: 'kv' },
      dt('Số đến', h('strong', { id: 'vb-number' }, `${d.number}`), ` (sổ năm ${d.year})`),
      // A date typed without its time was received that day: no 00:00.
      dt('Ngày đến', /T00:00:00/.test(d.received_at) ? fmtD(d.received_at) : fmtDT(d.received_at)),
      dt('Cơ quan ban hành', d.issuer),
      dt('Số, ký hiệu', h('span', { cls: 'mono' }, d.symbol || '—')),
      dt('Ngày văn bản', fmtD(d.doc_date)),
      dt('Loại văn bản', d.type_name),
      dt('Trích yếu', h('span', { id: 'vb-excerpt', cls: 'pre' }, excerpt(d))),
      dt('Độ khẩn', d.urgency_label), dt('Độ mật', d.secrecy_label),
      dt('Đơn vị xử lý', d.unit_name || '—'),
      dt('Người xử lý', d.assignee_name || '—'),
      dt('Hạn xử lý', d.due_at ? dueText(d) : '—'),
      dt('Tình trạng', stateBadge(d), d.state === 'done' ? ` lúc ${fmtDT(d.done_at)} (${d.done_by_name})` : ''),
      d.note ? dt('Ghi chú', h('span', { cls: 'pre' }, d.note)) : null,
      dt('Vào sổ', `${fmtDT(d.registered_at)} — ${d.registered_by_name}`))
    : h('dl', { cls: 'kv' },
      dt('Số, ký hiệu', h('strong', { id: 'vb-number', cls: 'mono' }, d.symbol)),
      dt('Ngày văn bản', fmtD(d.doc_date)),
      dt('Loại văn bản', d.type_name),
      dt('Trích yếu', h('span', { id: 'vb-excerpt', cls: 'pre' }, excerpt(d))),
      dt('Đơn vị soạn thảo', d.unit_name || '—'),
      dt('Người ký', d.signer.name, d.signer.title ? ' — ' + d.signer.title : ''),
      dt('Nơi nhận', h('ul', { cls: 'vb-rcp' }, d.recipients.map((r) => h('li', null, r)))),
      dt('Số lượng bản', d.copies ? String(d.copies) : '—'),
      dt('Độ khẩn', d.urgency_label), dt('Độ mật', d.secrecy_label),
      d.note ? dt('Ghi chú', h('span', { cls: 'pre' }, d.note)) : null,
      dt('Vào sổ', `${fmtDT(d.registered_at)} — ${d.registered_by_name}`));
  clear(view, h('div', { cls: 'vb vb-detail' },
    h('p', { cls: 'crumb no-print' }, h('a', { href: href(book) }, '← ' + B.title)),
    h('div', { cls: 'dhead' }, h('h1', null, title), h('div', { cls: 'dstate' }, stateBadge(d), marks(d))),
    out,
    acts.length ? h('div', { cls: 'actions wrap no-print', id: 'vb-actions' }, acts) : null, box,
    h('section', { cls: 'panel' }, h('h2', null, 'Thông tin vào sổ'), info),
    files));
}

// Chooses and uploads files (POST /api/v1/attachments); then done(records).
function uploader(done, label = 'Chọn tệp') {
  const input = h('input', { type: 'file', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff', cls: 'vh', id: 'vb-file-' + Math.random().toString(36).slice(2) });
  const msg = h('div', { cls: 'upnote', 'aria-live': 'polite' });
  input.addEventListener('change', async () => {
    const files = [...input.files];
    input.value = '';
    if (!files.length) return;
    const recs = await uploadAll(files, msg);
    if (recs) {
      try { await done(recs); } catch (e) { clear(msg, msgBox('err', errText(e))); }
    }
  });
  return h('div', { cls: 'uploader no-print' }, input, h('label', { cls: 'filebtn', for: input.id }, label),
    h('span', { cls: 'hint' }, ' PDF, JPEG, PNG hoặc TIFF; mỗi tệp tối đa 20 MB.'), msg);
}

// Uploads files one by one. Returns their records, or null (msg says why).
async function uploadAll(files, msg) {
  for (const f of files) {
    if (f.size > MAX_FILE) { clear(msg, msgBox('err', `Tệp "${f.name}" lớn hơn 20 MB: hãy quét lại với độ phân giải thấp hơn hoặc chia nhỏ.`)); return null; }
    if (!FILE_TYPES.test(f.name) && !/^(application\/pdf|image\/(jpeg|png|tiff))$/.test(f.type)) { clear(msg, msgBox('err', `Tệp "${f.name}" không phải PDF, JPEG, PNG hay TIFF.`)); return null; }
    if (!f.size) { clear(msg, msgBox('err', `Tệp "${f.name}" rỗng.`)); return null; }
  }
  const recs = [];
  for (const [i, f] of files.entries()) {
    clear(msg, h('p', { cls: 'loading' }, `Đang tải lên ${i + 1}/${files.length}: ${f.name}…`));
    try {
      recs.push(await api('POST', '/attachments?filename=' + encodeURIComponent(f.name.slice(0, 200)), f, f.type || 'application/octet-stream'));
    } catch (e) { clear(msg, msgBox('err', `Không tải lên được "${f.name}": ${errText(e)}`)); return null; }
  }
  clear(msg);
  return recs;
}

// The assignment: a unit, an officer, a deadline (a date or a working-time span).
async function assignForm(d, reload, close) {
  const units = await unitList();
  const unit = h('select', { name: 'unit', value: d.unit || '' }, h('option', { value: '' }, '— Không giao đơn vị —'),
    units.filter((u) => u.active || u.code === d.unit).map((u) => h('option', { value: u.code }, u.name)));
  const who = h('select', { name: 'assignee', value: d.assignee || '' }, h('option', { value: '' }, '— Không giao cán bộ —'),
    S.staff.filter((u) => u.role !== 'supervisor' && (!u.disabled || u.login === d.assignee)).map((u) => h('option', { value: u.login }, `${u.name} (${u.role_label})`)));
  const due = dueInput(d.due_at ? isoDay(toMs(d.due_at)) : '');
  const out = h('div', { 'aria-live': 'polite' });
  const ok = h('button', { type: 'submit', cls: 'primary' }, 'Giao xử lý');
  const fu = field('Đơn vị xử lý', unit), fw = field('Cán bộ xử lý', who);
  const form = h('form', { cls: 'card inner', novalidate: true, 'data-form': 'assign', onsubmit: async (e) => {
    e.preventDefault();
    clear(out); fu.setError(''); due.setError('');
    const body = { unit: unit.value, assignee: who.value };
    const dv = due.read();
    if (dv === null) return;
    if (!unit.value && !who.value && (dv.due_date || dv.due_in)) { fu.setError('Hạn xử lý cần đơn vị hoặc cán bộ được giao.'); unit.focus(); return; }
    Object.assign(body, dv);
    busy(ok, true);
    try {
      await api('PATCH', `/documents/in/${encodeURIComponent(d.id)}`, body);
      await reload('Đã giao xử lý văn bản.');
    } catch (err) { busy(ok, false); showError(err, { unit: fu, assignee: fw, due_date: due.wrap, due_in: due.wrap }, out); }
  } },
  h('h3', null, 'Giao xử lý văn bản'),
  h('div', { cls: 'grid g2' }, fu, fw), due.wrap, out,
  h('div', { cls: 'actions' }, ok, h('button', { type: 'button', onclick: close }, 'Huỷ')));
  setTimeout(() => unit.focus(), 0);
  return form;
}

// The deadline's inputs: none, a date, or N working days / hours from now.
// read(): {due_date} | {due_in} | {due_date: null} (none) or null (error shown).
function dueInput(isoDate) {
  const kind = h('select', { name: 'due_kind', id: 'vb-due-kind', value: isoDate ? 'date' : '' },
    h('option', { value: '' }, 'Không đặt hạn'), h('option', { value: 'date' }, 'Đến ngày'),
    Object.entries(DUE_UNITS).map(([k, v]) => h('option', { value: k }, 'Trong số ' + v)));
  const date = dateInput('due_date', isoDate);
  const n = h('input', { name: 'due_n', inputmode: 'decimal', autocomplete: 'off', cls: 'date', placeholder: 'ví dụ 5' });
  const sw = () => { date.hidden = kind.value !== 'date'; n.hidden = !kind.value || kind.value === 'date'; };
  kind.addEventListener('change', () => { sw(); (kind.value === 'date' ? date : n).focus(); });
  sw();
  const err = h('div', { cls: 'ferr', 'aria-live': 'polite' });
  const wrap = h('div', { cls: 'fld' }, h('label', { for: 'vb-due-kind' }, 'Hạn xử lý'),
    h('div', { cls: 'time-in' }, kind, date, n), h('div', { cls: 'hint' }, 'Ngày làm việc tính theo giờ làm việc và lịch nghỉ của xã.'), err);
  wrap.setError = (m) => { err.textContent = m || ''; };
  const read = () => {
    wrap.setError('');
    if (!kind.value) return { due_date: null };
    if (kind.value === 'date') {
      const v = readDate(date.value);
      if (!v) { wrap.setError('Nhập hạn xử lý theo dạng dd/mm/yyyy, ví dụ 15/03/2026.'); date.focus(); return null; }
      if (v < isoDay(now())) { wrap.setError('Hạn xử lý phải từ hôm nay trở về sau.'); date.focus(); return null; }
      return { due_date: v };
    }
    const x = Number(String(n.value).trim().replace(',', '.'));
    if (!(x > 0) || x > 3650) { wrap.setError('Nhập số lớn hơn 0, ví dụ 5.'); n.focus(); return null; }
    return { due_in: { time: x, unit: kind.value } };
  };
  return { wrap, read, setError: wrap.setError };
}

// An API refusal shown at its field when the message names one ("excerpt:
// ..." or a code that belongs to one), else above the buttons.
function showError(err, fields, out) {
  const byCode = { 'document.number_used': 'number', 'unit.unknown': 'unit', 'document.unknown_officer': 'assignee', 'document.due_too_early': 'due_date', 'attachment.unknown': 'attachments' };
  const m = /^([a-z_]+)(\[\d+\])?(\.[a-z_]+)?: /.exec(err.message || '');
  const name = byCode[err.code] || (m && m[1]);
  const f = name && fields[name];
  if (f && f.setError) {
    f.setError(errText(err));
    const el = f.querySelector && f.querySelector('input, select, textarea');
    if (el) el.focus();
  }
  clear(out, msgBox('err', errText(err)));
}

// ---- the register form (new or edit) ----

async function formScreen(view, book, id) {
  const B = BOOKS[book];
  if (!writer()) throw new Error('Chỉ văn thư (cán bộ tiếp nhận), lãnh đạo và quản trị vào sổ văn bản.');
  const [ref, units, d] = await Promise.all([reference(), unitList(), id ? api('GET', `/documents/${book}/${encodeURIComponent(id)}`) : null]);
  const edit = !!d;
  const today = isoDay(now());
  const opt = (v, label) => h('option', { value: v }, label);
  const inp = (name, attrs = {}) => h('input', { name, autocomplete: 'off', ...attrs });
  const F = {}; // name -> field wrapper
  const fld = (name, label, input, hint) => (F[name] = field(label, input, hint));
  const type = h('select', { name: 'type', value: d ? d.type : '' }, opt('', '— Chọn loại văn bản —'), ref.types.map((t) => opt(t.code, t.abbr ? `${t.name} (${t.abbr})` : t.name)));
  const ex = h('textarea', { name: 'excerpt', rows: 3, maxlength: 2000 }, d && !d.withheld ? d.excerpt : '');
  const urg = h('select', { name: 'urgency', value: d ? d.urgency : 'thuong' }, ref.urgencies.map((u) => opt(u.code, u.label)));
  const sec = h('select', { name: 'secrecy', value: d ? d.secrecy : 'thuong' }, ref.secrecies.map((u) => opt(u.code, u.label)));
  const noteIn = h('textarea', { name: 'note', rows: 2, maxlength: 2000 }, d && d.note ? d.note : '');
  const num = inp('number', { inputmode: 'numeric', cls: 'date', placeholder: 'tự động' });
  const docDate = dateInput('doc_date', d ? d.doc_date : book === 'out' ? today : '');
  const files = [];
  const fileList = h('ul', { cls: 'flist vb-files' });
  const drawFiles = () => clear(fileList, files.map((a, i) => h('li', { cls: 'file' }, a.filename || a.sha256.slice(0, 12), ' · ', sizeText(a.size), ' ',
    h('button', { type: 'button', cls: 'linkish', onclick: () => { files.splice(i, 1); drawFiles(); } }, 'Bỏ'))));
  if (d && !d.withheld) { files.push(...d.attachments); drawFiles(); }
  const up = uploader(async (recs) => { for (const r of recs) if (!files.some((x) => x.sha256 === r.sha256)) files.push(r); drawFiles(); }, 'Chọn tệp quét');
  const out = h('div', { 'aria-live': 'polite' });
  const ok = h('button', { type: 'submit', cls: 'primary' }, edit ? 'Lưu thay đổi' : B.add);
  let parts, read;
  if (book === 'in') {
    const recv = dateInput('received_at', d ? isoDay(toMs(d.received_at)) : today);
    const issuer = inp('issuer', { value: d ? d.issuer : '', maxlength: 500 });
    const sym = inp('symbol', { value: d ? d.symbol : '', maxlength: 100, placeholder: 'ví dụ 1234/UBND-VP' });
    const unit = h('select', { name: 'unit', value: '' }, opt('', '— Không giao đơn vị —'), units.filter((u) => u.active).map((u) => opt(u.code, u.name)));
    const who = h('select', { name: 'assignee', value: '' }, opt('', '— Không giao cán bộ —'), S.staff.filter((u) => u.role !== 'supervisor' && !u.disabled).map((u) => opt(u.login, `${u.name} (${u.role_label})`)));
    const due = dueInput('');
    parts = [
      h('div', { cls: 'grid g3' },
        fld('received_at', 'Ngày đến *', recv), edit ? null : fld('number', 'Số đến', num, 'Để trống: lấy số tiếp theo của sổ. Chỉ nhập khi chép lại sổ giấy.'),
        fld('type', 'Loại văn bản *', type)),
      h('div', { cls: 'grid g3' },
        h('div', { cls: 'span2' }, fld('issuer', 'Cơ quan ban hành (tác giả) *', issuer)), fld('symbol', 'Số, ký hiệu', sym),
        fld('doc_date', 'Ngày văn bản *', docDate), fld('urgency', 'Độ khẩn', urg), fld('secrecy', 'Độ mật', sec)),
      fld('excerpt', 'Trích yếu nội dung *', ex),
      edit ? null : h('fieldset', null, h('legend', null, 'Giao xử lý (có thể giao sau)'),
        h('div', { cls: 'grid g2' }, fld('unit', 'Đơn vị xử lý', unit), fld('assignee', 'Cán bộ xử lý', who)), (F.due_date = due.wrap)),
      fld('note', 'Ghi chú', noteIn),
    ];
    read = () => {
      const body = {};
      const r = readDate(recv.value);
      if (!r) return fail('received_at', 'Nhập ngày đến theo dạng dd/mm/yyyy, ví dụ 02/03/2026.');
      if (r > today) return fail('received_at', 'Ngày đến không được sau hôm nay.');
      // Today: the moment of registration; another day: that day.
      if (!edit && r !== today) body.received_at = r;
      if (edit && r !== isoDay(toMs(d.received_at))) body.received_at = r;
      if (!edit && num.value.trim()) {
        if (!/^\d{1,6}$/.test(num.value.trim()) || +num.value.trim() < 1) return fail('number', 'Số đến là số nguyên dương, ví dụ 15.');
        body.number = +num.value.trim();
      }
      if (!type.value) return fail('type', 'Chọn loại văn bản.');
      body.type = type.value;
      if (!issuer.value.trim()) return fail('issuer', 'Nhập cơ quan ban hành văn bản.');
      body.issuer = issuer.value.trim();
      body.symbol = sym.value.trim();
      const dd = readDate(docDate.value);
      if (!dd) return fail('doc_date', 'Nhập ngày của văn bản theo dạng dd/mm/yyyy.');
      if (dd > r) return fail('doc_date', 'Ngày của văn bản không được sau ngày đến.');
      body.doc_date = dd;
      if (!edit) {
        if (unit.value) body.unit = unit.value;
        if (who.value) body.assignee = who.value;
        const dv = due.read();
        if (dv === null) return null;
        if (dv.due_date || dv.due_in) {
          if (!unit.value && !who.value) return fail('unit', 'Hạn xử lý cần đơn vị hoặc cán bộ được giao.');
          Object.assign(body, dv);
        }
      }
      return body;
    };
  } else {
    const unit = h('select', { name: 'unit', value: d ? d.unit : (S.me.unit || '') }, opt('', '— Chọn đơn vị —'), units.filter((u) => u.active || (d && u.code === d.unit)).map((u) => opt(u.code, `${u.name} (${u.abbr})`)));
    const sname = inp('signer_name', { value: d ? d.signer.name : '', maxlength: 500 });
    const stitle = inp('signer_title', { value: d ? d.signer.title : '', maxlength: 500, placeholder: 'ví dụ Chủ tịch' });
    const rcp = h('textarea', { name: 'recipients', rows: 3 }, d ? d.recipients.join('\n') : '');
    const copies = inp('copies', { inputmode: 'numeric', cls: 'date', value: d && d.copies ? String(d.copies) : '' });
    const preview = h('p', { cls: 'vb-symbol', id: 'vb-symbol', 'aria-live': 'polite' });
    const show = () => {
      if (edit) { preview.textContent = 'Số, ký hiệu: ' + d.symbol; return; }
      const t = ref.types.find((x) => x.code === type.value), u = units.find((x) => x.code === unit.value);
      const no = /^\d+$/.test(num.value.trim()) ? String(+num.value.trim()).padStart(2, '0') : '…';
      preview.textContent = !t ? '' : t.abbr ? `Số, ký hiệu sẽ là: ${no}/${t.abbr}-${ref.issuer_abbr}`
        : u ? `Số, ký hiệu sẽ là: ${no}/${ref.issuer_abbr}-${u.abbr}` : `${t.name} cần đơn vị soạn thảo (ký hiệu dạng ${no}/${ref.issuer_abbr}-VP).`;
    };
    for (const el of [type, unit, num]) el.addEventListener(el === num ? 'input' : 'change', show);
    if (edit) { type.disabled = true; unit.disabled = true; }
    parts = [
      h('div', { cls: 'grid g3' },
        fld('type', 'Loại văn bản *', type), edit ? null : fld('number', 'Số', num, 'Để trống: lấy số tiếp theo của loại văn bản trong năm.'),
        fld('doc_date', 'Ngày văn bản *', docDate), fld('unit', 'Đơn vị soạn thảo', unit)),
      preview,
      fld('excerpt', 'Trích yếu nội dung *', ex),
      h('div', { cls: 'grid g3' }, fld('signer', 'Người ký *', sname), fld('signer_title', 'Chức vụ người ký', stitle), fld('copies', 'Số lượng bản', copies)),
      fld('recipients', 'Nơi nhận * (mỗi nơi một dòng)', rcp),
      h('div', { cls: 'grid g3' }, fld('urgency', 'Độ khẩn', urg), fld('secrecy', 'Độ mật', sec)),
      fld('note', 'Ghi chú', noteIn),
    ];
    setTimeout(show, 0);
    read = () => {
      const body = {};
      if (!edit) {
        if (!type.value) return fail('type', 'Chọn loại văn bản.');
        body.type = type.value;
        const t = ref.types.find((x) => x.code === type.value);
        if (!t.abbr && !unit.value) return fail('unit', `${t.name} cần đơn vị soạn thảo: ký hiệu có dạng 15/${ref.issuer_abbr}-VP.`);
        if (unit.value) body.unit = unit.value;
        if (num.value.trim()) {
          if (!/^\d{1,6}$/.test(num.value.trim()) || +num.value.trim() < 1) return fail('number', 'Số là số nguyên dương, ví dụ 15.');
          body.number = +num.value.trim();
        }
      }
      const dd = readDate(docDate.value);
      if (!dd) return fail('doc_date', 'Nhập ngày văn bản theo dạng dd/mm/yyyy.');
      if (dd > today) return fail('doc_date', 'Ngày văn bản không được sau hôm nay.');
      body.doc_date = dd;
      if (!sname.value.trim()) return fail('signer', 'Nhập họ tên người ký.');
      body.signer = { name: sname.value.trim(), title: stitle.value.trim() };
      const list = rcp.value.split('\n').map((s) => s.trim()).filter(Boolean);
      if (!list.length) return fail('recipients', 'Nhập ít nhất một nơi nhận.');
      if (list.length > 100) return fail('recipients', 'Tối đa 100 nơi nhận.');
      body.recipients = list;
      if (copies.value.trim()) {
        if (!/^\d{1,5}$/.test(copies.value.trim()) || +copies.value.trim() > 10000) return fail('copies', 'Số lượng bản là số nguyên từ 0 đến 10000.');
        body.copies = +copies.value.trim();
      }
      return body;
    };
  }
  function fail(name, msg) {
    const f = F[name];
    if (f) { f.setError(msg); const el = f.querySelector('input:not([hidden]), select, textarea'); if (el) el.focus(); }
    clear(out, msgBox('err', 'Chưa vào sổ được: ' + msg));
    return null;
  }
  const form = h('form', { cls: 'card vb-form', novalidate: true, 'data-form': 'document-' + book, oninput: (e) => {
    // A field's message goes once the officer corrects it.
    const w = e.target.closest('.fld');
    if (w && w.setError) w.setError('');
    if (out.querySelector('.msg-err')) clear(out);
  }, onsubmit: async (e) => {
    e.preventDefault();
    for (const f of Object.values(F)) if (f && f.setError) f.setError('');
    clear(out);
    const body = read();
    if (!body) return;
    if (!ex.value.trim() && !(d && d.withheld)) { fail('excerpt', 'Nhập trích yếu nội dung văn bản.'); return; }
    if (tooLong(ex.value)) { fail('excerpt', 'Trích yếu dài quá 2000 byte.'); return; }
    if (!(d && d.withheld) || ex.value.trim()) body.excerpt = ex.value.trim();
    if (tooLong(noteIn.value)) { fail('note', 'Ghi chú dài quá 2000 byte.'); return; }
    if (!(d && d.withheld) || noteIn.value.trim()) body.note = noteIn.value.trim();
    body.urgency = urg.value;
    body.secrecy = sec.value;
    if (!(d && d.withheld)) body.attachments = files.map((a) => a.sha256);
    busy(ok, true);
    try {
      // A registration carries an idempotency key: on a broken link it is
      // sent again by itself, and the book gets it once.
      const r = edit ? await api('PATCH', `/documents/${book}/${encodeURIComponent(d.id)}`, body)
        : await api('POST', `/documents/${book}`, body, undefined, requestKey('document:' + book, body));
      if (!edit) requestDone('document:' + book);
      location.hash = href(book, r.id);
    } catch (err) { busy(ok, false); showError(err, F, out); }
  } },
  parts,
  h('fieldset', null, h('legend', null, book === 'in' ? 'Bản quét văn bản' : 'Bản quét văn bản đã ký'), fileList, up),
  out,
  h('div', { cls: 'actions sticky' }, ok, h('a', { cls: 'btn', href: edit ? href(book, d.id) : href(book) }, 'Huỷ')));
  clear(view, h('div', { cls: 'vb' },
    h('p', { cls: 'crumb no-print' }, h('a', { href: href(book) }, '← ' + B.title)),
    h('h1', null, edit ? (book === 'in' ? `Sửa văn bản đến số ${d.number}/${d.year}` : `Sửa văn bản đi ${d.symbol}`) : B.add),
    d && d.withheld ? msgBox('info', 'Văn bản mật: trích yếu, ghi chú và tệp không hiển thị với bạn; để trống là giữ nguyên.') : null,
    form));
  setTimeout(() => (book === 'in' ? form.querySelector('[name=type]') : type).focus(), 0);
}

