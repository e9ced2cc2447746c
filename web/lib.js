// lib.js - shared by the staff app and the citizen page: building DOM
// safely (never innerHTML), calling the API, Vietnamese formats, working time.

// h('a', {href, class, onclick}, child, ...): children are nodes or text
// (text is always a text node, so data can never become markup).
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag), props = [];
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'style') throw new Error('style attribute not allowed (CSP)');
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'selected') props.push([k, v]);
    else el.setAttribute(k === 'cls' ? 'class' : k, v === true ? '' : String(v));
  }
  add(el, kids);
  for (const [k, v] of props) el[k] = v; // after the children: a select's options
  return el;
}
function add(el, kids) {
  for (const c of kids) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) add(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
export function clear(el, ...kids) { el.replaceChildren(); add(el, kids); return el; }

// ---- the API ----
export const S = { me: null, csrf: '', skew: 0, onAuthLost: null, staff: [] };
// An officer's display name from the staff directory (the login if unknown).
export function staffName(login) {
  if (!login) return '';
  const u = S.staff.find((x) => x.login === login);
  return u ? u.name : login;
}

export class ApiError extends Error {
  constructor(status, code, message, retry) {
    super(message); this.status = status; this.code = code; this.retry = retry;
  }
}

// A write that carries an Idempotency-Key may be sent again safely: the
// server answers a repeat with what the first one did. So on a broken link
// such a write is retried by itself a few times before the user is told.
const RETRY_MS = [800, 2000, 4000];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Requests on their way: signing out waits for them, so none reaches the
// server after its session ended (and a write started is not cut off).
const inflight = new Set();
export async function settle(ms = 5000) {
  const end = Date.now() + ms;
  while (inflight.size && Date.now() < end) {
    await Promise.race([Promise.allSettled([...inflight]), sleep(end - Date.now())]);
    await sleep(0); // the answers' own follow-up requests start here
  }
}

export async function api(method, path, body, type, key) {
  // Errors come back in Vietnamese whatever the browser's own language.
  const headers = { 'Accept-Language': 'vi' };
  if (method !== 'GET' && S.csrf) headers['X-CSRF-Token'] = S.csrf;
  if (key) headers['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = type || 'application/json';
    payload = type ? body : JSON.stringify(body);
  }
  let r;
  for (let i = 0; ; i++) {
    try {
      const f = fetch('/api/v1' + path, { method, headers, body: payload, credentials: 'same-origin' });
      inflight.add(f);
      try { r = await f; } finally { inflight.delete(f); }
      break;
    } catch {
      if (key && i < RETRY_MS.length) { await sleep(RETRY_MS[i]); continue; }
      throw new ApiError(0, 'network', key
        ? 'Không kết nối được máy chủ. Kiểm tra mạng rồi bấm gửi lại: thao tác sẽ không bị ghi hai lần.'
        : 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.');
    }
  }
  let j = null;
  try { j = await r.json(); } catch { /* not JSON */ }
  if (r.ok) return j;
  const e = (j && j.error) || {};
  const err = new ApiError(r.status, e.code || 'http', e.message || r.statusText, r.headers.get('Retry-After'));
  err.data = j; // the whole answer: a refused chunk says where to resume (expected_offset)
  if (r.status === 401 && path !== '/session' && S.onAuthLost) S.onAuthLost();
  throw err;
}

// Said when an answer carries no message of its own (a proxy's error page,
// a cut connection).
const STATUS_VI = {
  400: 'Dữ liệu chưa hợp lệ', 401: 'Chưa đăng nhập hoặc phiên làm việc đã hết hạn',
  403: 'Không có quyền thực hiện', 404: 'Không tìm thấy', 405: 'Thao tác không được hỗ trợ',
  409: 'Không thực hiện được ở trạng thái hiện tại của hồ sơ', 413: 'Tệp hoặc dữ liệu quá lớn',
  415: 'Định dạng tệp không được chấp nhận', 429: 'Thao tác quá nhiều lần',
  503: 'Máy chủ đang bận, vui lòng thử lại',
};
// The API answers in Vietnamese (lib asks for it) with a stable error code
// (docs/api.md, "Errors"). The screens show its message; for some codes they
// add what the officer can do next.
const NEXT = {
  'dossier.wrong_state': 'Có thể người khác vừa xử lý hồ sơ: tải lại trang để xem tình trạng mới nhất.',
  'request.idempotency_reused': 'Tải lại trang rồi làm lại.',
  'auth.csrf': 'Tải lại trang rồi làm lại.',
  'procedure.no_time': 'Quản trị hệ thống cần bổ sung thời hạn trong danh mục.',
};

// Idempotency keys for writes: one per distinct request, so pressing the
// button again after a lost answer repeats the same request (and the server
// does it once), while a corrected form is a new request.
const keys = new Map();
export function requestKey(scope, body) {
  const sig = JSON.stringify(body);
  const k = keys.get(scope);
  if (k && k.sig === sig) return k.key;
  const b = crypto.getRandomValues(new Uint8Array(16)); // works on plain-HTTP LANs, unlike randomUUID
  const key = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  keys.set(scope, { sig, key });
  return key;
}
export function requestDone(scope) { keys.delete(scope); }

export function errText(e) {
  if (!(e instanceof ApiError)) return 'Lỗi: ' + (e && e.message || e);
  if (e.status === 0) return e.message;
  let t = e.message || STATUS_VI[e.status] || (e.status >= 500 ? 'Lỗi máy chủ' : 'Lỗi');
  t = t.charAt(0).toUpperCase() + t.slice(1); // the API's messages start in lower case
  t = t.replace(/[.\s]*$/, '.');
  if (e.status === 429 && e.retry && !/\d+ giây/.test(t)) t += ` Thử lại sau ${e.retry} giây.`;
  return NEXT[e.code] ? `${t} ${NEXT[e.code]}` : t;
}

// ---- formats (all in Vietnam time, UTC+7, whatever the browser's zone) ----
const VN = 7 * 3600e3;
const p2 = (n) => String(n).padStart(2, '0');
export const toMs = (iso) => (iso ? Date.parse(iso) : NaN);
function parts(ms) {
  const d = new Date(ms + VN);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), H: d.getUTCHours(), M: d.getUTCMinutes(), w: d.getUTCDay() };
}
export function fmtDT(iso) {
  const ms = typeof iso === 'number' ? iso : toMs(iso);
  if (isNaN(ms)) return '—';
  const p = parts(ms);
  return `${p2(p.d)}/${p2(p.m)}/${p.y} ${p2(p.H)}:${p2(p.M)}`;
}
export function fmtD(iso) {
  const ms = typeof iso === 'number' ? iso : toMs(iso);
  if (isNaN(ms)) return '—';
  const p = parts(ms);
  return `${p2(p.d)}/${p2(p.m)}/${p.y}`;
}
// 'YYYY-MM-DD' of an instant in Vietnam time.
export function isoDay(ms) { const p = parts(ms); return `${p.y}-${p2(p.m)}-${p2(p.d)}`; }
export const now = () => Date.now() + S.skew;

export function money(n) {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (n < 0 ? '-' : '') + s + ' đ';
}
// Fees in the catalog are text: "70,000 VNĐ", "50,000 Việt Nam Đồng", "Miễn phí".
export function fee(s) {
  const m = /^\s*(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(VNĐ|VND|Việt Nam Đồng|đồng|đ)\s*$/i.exec(s || '');
  return m ? money(Number(m[1].replace(/[.,]/g, ''))) : (s || 'Không có thông tin');
}

export const UNIT = { working_days: 'ngày làm việc', working_hours: 'giờ làm việc', calendar_days: 'ngày', same_day: 'trong ngày' };
export function timeText(amount, unit, text) {
  if (unit === 'same_day') return 'Trong ngày';
  // A bare number in the catalog is counted in working days (docs/deadlines.md).
  if (!unit) return amount != null ? `${String(amount).replace('.', ',')} ngày làm việc (danh mục không ghi đơn vị)` : 'Danh mục chưa ghi thời hạn';
  return `${String(amount).replace('.', ',')} ${UNIT[unit] || unit}`;
}
export const CHANNEL = { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính' };
export const ROLE = { reception: 'Cán bộ tiếp nhận', specialist: 'Chuyên viên', leader: 'Lãnh đạo', admin: 'Quản trị', supervisor: 'Giám sát' };
export const STATE = {
  submitted: 'Chờ tiếp nhận', received: 'Đã tiếp nhận', refused: 'Không được tiếp nhận',
  processing: 'Đang xử lý', awaiting_approval: 'Chờ phê duyệt', supplement: 'Chờ bổ sung',
  awaiting_payment: 'Chờ nộp phí', withdrawn: 'Đã rút hồ sơ', stopped: 'Dừng xử lý',
  result_ready: 'Có kết quả', returned: 'Đã trả kết quả',
};
// The reports' words (issue 10 item 3; docs/law.md); the server sends them
// too, as timeliness_label.
export const TIMELY = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };
export function stateBadge(st, label) {
  return h('span', { cls: 'badge st-' + st }, label || STATE[st] || st);
}

// ---- working time (office hours and days off from the server) ----
const W = { spans: [[420, 690], [810, 1020]], off: new Map() };
export function setHours(text) {
  const spans = [];
  for (const part of String(text || '').split(',')) {
    const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(part.trim());
    if (m) spans.push([+m[1] * 60 + +m[2], +m[3] * 60 + +m[4]]);
  }
  if (spans.length) W.spans = spans;
}
export function setDaysOff(year, days) { W.off.set(year, new Set(days)); }
export const haveYear = (y) => W.off.has(y);
export const daySecs = () => W.spans.reduce((a, [s, e]) => a + (e - s) * 60, 0);
function isWorkday(ms) {
  const p = parts(ms);
  const set = W.off.get(p.y);
  if (set) return !set.has(isoDay(ms));
  return p.w !== 0 && p.w !== 6;
}
// Working seconds between instants a < b.
export function workSecs(a, b) {
  if (!(b > a)) return 0;
  let total = 0;
  const p = parts(a);
  let day0 = Date.UTC(p.y, p.m - 1, p.d) - VN; // local midnight as an instant
  for (let i = 0; day0 < b && i < 800; i++, day0 += 864e5) {
    if (!isWorkday(day0 + 12 * 3600e3)) continue;
    for (const [s, e] of W.spans) {
      const lo = Math.max(a, day0 + s * 60e3), hi = Math.min(b, day0 + e * 60e3);
      if (hi > lo) total += (hi - lo) / 1000;
    }
  }
  return total;
}
export function fmtWork(secs) {
  const day = daySecs() || 28800;
  const d = Math.floor(secs / day), r = secs - d * day;
  const H = Math.floor(r / 3600), M = Math.floor((r % 3600) / 60);
  const out = [];
  if (d) out.push(d + ' ngày');
  if (H) out.push(H + ' giờ');
  if (!d && M) out.push(M + ' phút');
  return out.length ? out.join(' ') : 'dưới 1 phút';
}

const DONE = new Set(['result_ready', 'returned', 'refused', 'stopped', 'withdrawn']);
// The due badge: working time left, overdue, paused, or timeliness once done.
export function dueBadge(d) {
  if (DONE.has(d.status)) {
    return d.timeliness ? h('span', { cls: 'due due-' + d.timeliness }, d.timeliness_label || TIMELY[d.timeliness]) : null;
  }
  if (d.status === 'supplement') return h('span', { cls: 'due due-paused' }, 'Tạm dừng chờ bổ sung');
  if (!d.due_at) return h('span', { cls: 'due due-none' }, 'Chưa tính hạn');
  const t = now(), due = toMs(d.due_at);
  if (d.overdue || due < t) return h('span', { cls: 'due due-over' }, 'Quá hạn ' + (due < t ? fmtWork(workSecs(due, t)) : ''));
  const left = workSecs(t, due);
  return h('span', { cls: 'due ' + (left <= daySecs() ? 'due-near' : 'due-ok') }, 'Còn ' + fmtWork(left));
}

// ---- small form helpers ----
let uid = 0;
export function field(label, input, hint) {
  const id = input.id || (input.id = 'f' + ++uid);
  const err = h('div', { cls: 'ferr', id: id + '-err', 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', id + '-err');
  const wrap = h('div', { cls: 'fld' }, h('label', { for: id }, label), input, hint ? h('div', { cls: 'hint' }, hint) : null, err);
  wrap.setError = (msg) => {
    err.textContent = msg || '';
    if (msg) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  };
  input.fieldWrap = wrap;
  return wrap;
}
export function msgBox(kind, text) {
  return h('div', { cls: 'msg msg-' + kind, role: kind === 'err' ? 'alert' : 'status' }, text);
}
// A date typed as dd/mm/yyyy (whatever the browser's language), read back
// as YYYY-MM-DD; '' when empty, null when not a real date.
export function dateInput(name, iso) {
  const v = iso && /^\d{4}-\d\d-\d\d$/.test(iso) ? iso.split('-').reverse().join('/') : '';
  return h('input', { name, value: v, placeholder: 'dd/mm/yyyy', inputmode: 'numeric', autocomplete: 'off', maxlength: 10, cls: 'date' });
}
export function readDate(s) {
  s = String(s || '').trim();
  if (!s) return '';
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[3], +m[2] - 1, +m[1]));
  if (d.getUTCDate() !== +m[1] || d.getUTCMonth() !== +m[2] - 1) return null;
  return `${m[3]}-${p2(+m[2])}-${p2(+m[1])}`;
}
// The server's limit on comments and reasons is 2000 bytes of UTF-8.
export const tooLong = (s, max = 2000) => new TextEncoder().encode(s).length > max;
export function busy(btn, on) { btn.disabled = on; btn.classList.toggle('busy', on); }

// Vietnamese mobile or landline number (mirrors the server's check).
export function validPhone(s) {
  let t = String(s).trim();
  if (!/^\+?[\d .-]+$/.test(t)) return false;
  const plus = t.startsWith('+');
  let d = t.replace(/\D/g, '');
  if (plus || (d.length >= 11 && d.startsWith('84'))) { if (!d.startsWith('84') || d[2] === '0') return false; d = d.slice(2); }
  else if (d[0] === '0') d = d.slice(1);
  else return false;
  return (d.length === 9 && '235789'.includes(d[0])) || (d.length === 10 && d[0] === '2');
}
const PROV = '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096'.split(' ');
export function cccdError(s) {
  if (!/^\d{12}$/.test(s)) return 'Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số.';
  if (!PROV.includes(s.slice(0, 3))) return `Mã tỉnh ${s.slice(0, 3)} ở 3 số đầu không đúng.`;
  return '';
}

// The applicant's identity document: the same rules as the server's
// txt_valid_id (src/core/txt.c), checked on the text as typed (trimmed):
// nothing is cut or padded, a wrong length is an error.
export const ID_TYPE = { cccd: 'Căn cước / CCCD (12 số)', cmnd: 'CMND cũ (9 số)', passport: 'Hộ chiếu / giấy tờ nước ngoài', none: 'Không có giấy tờ' };
export const ID_LABEL = { cccd: 'Số CCCD / định danh cá nhân', cmnd: 'Số CMND', passport: 'Số hộ chiếu / giấy tờ', none: 'Giấy tờ tùy thân' };
export function idError(type, s) {
  s = String(s || '');
  switch (type || 'cccd') {
    case 'cccd': return !s ? 'Nhập số CCCD.' : cccdError(s);
    case 'cmnd':
      if (!s) return 'Nhập số CMND.';
      if (/^\d{12}$/.test(s)) return 'Số CMND gồm 9 chữ số; số 12 chữ số là số định danh cá nhân: chọn loại giấy tờ “Căn cước / CCCD”.';
      return /^\d{9}$/.test(s) ? '' : 'Số CMND phải gồm đúng 9 chữ số.';
    case 'passport':
      if (!s) return 'Nhập số hộ chiếu hoặc giấy tờ.';
      return /^[A-Za-z0-9]{5,20}$/.test(s) ? '' : 'Số hộ chiếu/giấy tờ gồm 5 đến 20 chữ cái không dấu hoặc chữ số, viết liền.';
    case 'none': return s ? 'Đã chọn “Không có giấy tờ” thì để trống số giấy tờ.' : '';
    default: return 'Loại giấy tờ không hợp lệ.';
  }
}
// Tax / enterprise code: 10 digits, or a dependent unit's 13, also written
// NNNNNNNNNN-NNN (the server's txt_tax_code_normalize).
export function taxCodeError(s) {
  s = String(s || '');
  if (!s) return 'Nhập mã số thuế / mã số doanh nghiệp.';
  return /^(\d{10}|\d{13}|\d{10}-\d{3})$/.test(s) ? '' : 'Mã số thuế gồm 10 chữ số, hoặc 13 chữ số của đơn vị phụ thuộc (viết 0101234567-001).';
}
// How a dossier's applicant's document is named on screens and papers.
export const idLabel = (ap) => ID_LABEL[ap.id_type || 'cccd'] || 'Số giấy tờ';

// The reception form's drafts (reception.js keeps one per officer in
// sessionStorage): forgotten on sign-out and when the officer leaves them.
// The printed forms of a dossier (GET /api/v1/dossiers/CODE/forms/N.pdf):
// the address of form n, and the forms this dossier has something for, as
// [n, label] pairs. The PDFs open in a new tab, where the browser prints.
export function formUrl(code, n) { return `/api/v1/dossiers/${encodeURIComponent(code)}/forms/${n}.pdf`; }
export function formsOf(d) {
  const kinds = new Set((d.notices || []).map((n) => n.kind));
  const out = [];
  if (d.received_at && d.status !== 'refused') out.push(['1', 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả']);
  if (kinds.has('request_supplement')) out.push(['2', 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ']);
  if (kinds.has('refuse')) out.push(['3', 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ']);
  if (d.apology) out.push(['4', 'Phiếu xin lỗi và hẹn lại ngày trả kết quả']);
  if (kinds.has('stop')) out.push(['5', 'Thông báo dừng giải quyết hồ sơ']);
  if (d.received_at) out.push(['6', 'Phiếu kiểm soát quá trình giải quyết hồ sơ']);
  if (d.fees && d.fees.length) out.push(['fee', 'Phiếu thu phí, lệ phí']);
  return out;
}
export function formLink(code, n, label, attrs = {}) {
  return h('a', { href: formUrl(code, n), target: '_blank', rel: 'noopener', 'data-form': n, ...attrs }, label);
}

export function clearDrafts() {
  try { for (const k of Object.keys(sessionStorage)) if (k.startsWith('motcua.draft.')) sessionStorage.removeItem(k); } catch { /* storage off */ }
}

// ---- every list can be exported ----
// exportCsv(table, filename): a rendered <table> (or an array of rows of
// text) downloaded as CSV the way Excel opens it: UTF-8 with a byte-order
// mark, CRLF, fields quoted per RFC 4180, text a spreadsheet would take for
// a formula (= + - @) led by an apostrophe. Spanned cells keep their place
// (the text in the first cell, the others empty); the lines of a cell
// (code, name, date on their own lines) are joined by ' · '.
export function exportCsv(table, filename) {
  const rows = Array.isArray(table) ? table : tableRows(table);
  const q = (v) => {
    let s = String(v ?? '');
    if (/^[=+\-@\t\r]/.test(s) && !/^-\d+([.,]\d+)*$/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  const text = '\ufeff' + rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
function tableRows(table) {
  const out = [], taken = []; // taken[r][c]: filled by a rowspan from above
  const cellText = (c) => (c.innerText || c.textContent || '').split(/\s*\n\s*/).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' · ');
  [...table.rows].filter((tr) => !tr.closest('.no-csv')).forEach((tr, r) => {
    const row = out[r] = [];
    let c = 0;
    for (const cell of tr.cells) {
      while (taken[r]?.[c]) row[c++] = '';
      const cs = cell.colSpan || 1, rs = cell.rowSpan || 1;
      for (let i = 0; i < cs; i++) {
        row[c + i] = i ? '' : cellText(cell);
        for (let j = 1; j < rs; j++) (taken[r + j] ||= [])[c + i] = true;
      }
      c += cs;
    }
    while (taken[r]?.[c]) row[c++] = '';
  });
  return out;
}
// The small button above a list: table() finds the table when pressed (so
// the rows loaded since by "Xem thêm" go too).
export function csvButton(table, filename, label = 'Xuất CSV') {
  return h('button', { type: 'button', cls: 'csv no-print', title: 'Tải danh sách đang hiện dưới dạng tệp CSV (mở bằng Excel)',
    onclick: () => { const t = table(); if (t) exportCsv(t, filename + '.csv'); } }, label);
}
