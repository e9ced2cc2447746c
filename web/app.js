// app.js - the staff app: sign-in, the frame (header, menu), hash routing.
import { h, clear, S, api, settle, clearDrafts, errText, msgBox, field, busy, setHours, setDaysOff, haveYear, toMs, now, fmtDT } from './lib.js';
// The sign-in form needs only this file and lib.js. The screens load on
// first use: lists.js (home, queues, search, the menu's list names) while
// signing in, the others in idle time once signed in, so a slow link shows
// the sign-in form sooner.
const lazy = (load) => { let p = null; return () => (p ||= load().catch((e) => { p = null; throw e; })); };
const listsMod = lazy(() => import('./lists.js'));
const idle = (f) => (window.requestIdleCallback || ((g) => setTimeout(g, 500)))(f);
let LISTS = null; // lists.js's queue table, once loaded (the menu needs it)
const dossierMod = lazy(() => import('./dossier.js'));
const receptionMod = lazy(() => import('./reception.js'));
const adminMod = lazy(() => import('./admin.js'));
const recordsMod = lazy(() => import('./records.js'));
const hubMod = lazy(() => import('./hub.js'));
const alertsMod = lazy(() => import('./alerts.js'));
const reportsMod = lazy(() => import('./reports.js'));
const tasksMod = lazy(() => import('./tasks.js'));
const documentsMod = lazy(() => import('./documents.js'));
const recsMod = lazy(() => import('./recs.js'));
// A hub (motcua init --hub) shows the province's screens instead of a
// commune's desk.
const isHub = () => S.settings && S.settings.node_role === 'hub';

const root = document.getElementById('app');
let main = null;

// Whether this browser signed in last (the session cookie is HttpOnly):
// without it the sign-in form shows at once, with no failing request.
const HINT = 'motcua.signed_in';
const hint = (on) => { try { if (on) localStorage.setItem(HINT, '1'); else localStorage.removeItem(HINT); } catch { /* private mode */ } };
const hinted = () => { try { return localStorage.getItem(HINT) === '1'; } catch { return true; } };

async function boot() {
  let me;
  if (!hinted()) return showLogin();
  try {
    me = await api('GET', '/me');
  } catch (e) {
    if (e.status === 401) { hint(false); return showLogin(); }
    return clear(root, h('div', { cls: 'login' }, msgBox('err', errText(e))));
  }
  await start(me);
}

// Days off of the years a due time may fall in (loaded once each).
export async function loadYears(...years) {
  await Promise.all(years.filter((y) => y >= 2000 && y <= 2100 && !haveYear(y)).map(async (y) => {
    try { const r = await api('GET', '/calendar/days-off?year=' + y); setDaysOff(y, r.days_off); } catch { /* weekends only */ }
  }));
}

async function start(me) {
  S.me = me;
  hint(true);
  S.csrf = me.csrf_token || S.csrf;
  S.onAuthLost = () => { if (S.me) { S.me = null; hint(false); showLogin('Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.'); } };
  try {
    const [set, dash, staff] = await Promise.all([api('GET', '/settings'), api('GET', '/dashboard'), api('GET', '/staff'),
      listsMod().then((m) => { LISTS = m.LISTS; })]);
    S.staff = staff.items;
    S.settings = set;
    setHours(set.office_hours);
    S.skew = toMs(dash.now) - Date.now();
  } catch { /* the screens show their own errors */ }
  if (!LISTS) {
    try { LISTS = (await listsMod()).LISTS; } catch (e) { return clear(root, h('div', { cls: 'login' }, msgBox('err', errText(e)))); }
  }
  const y = new Date(now() + 7 * 3600e3).getUTCFullYear();
  await loadYears(y, y + 1);
  shell();
  // Fetch the other screens while the officer reads the home screen.
  if (!isHub()) idle(() => { for (const m of [dossierMod, receptionMod, ...(me.role === 'admin' ? [adminMod] : [])]) m().catch(() => { /* loads again on use */ }); });
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/trang-chu');
  else route();
}

function showLogin(note) {
  document.title = 'Đăng nhập — Một cửa';
  const login = h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const out = h('div', { 'aria-live': 'polite' }, note ? msgBox('info', note) : null);
  const btn = h('button', { type: 'submit', cls: 'primary wide' }, 'Đăng nhập');
  const form = h('form', { cls: 'card login-card', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!login.value.trim() || !pw.value) { clear(out, msgBox('err', 'Nhập tên đăng nhập và mật khẩu.')); return; }
    busy(btn, true);
    try {
      const r = await api('POST', '/session', { login: login.value.trim(), password: pw.value });
      S.csrf = r.csrf_token;
      await start({ ...r.user, csrf_token: r.csrf_token });
    } catch (e) {
      busy(btn, false);
      const t = e.status === 401 ? 'Sai tên đăng nhập hoặc mật khẩu.'
        : e.status === 429 ? `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${e.retry || 'ít'} giây.` : errText(e);
      clear(out, msgBox('err', t));
      pw.select();
    }
  } },
  h('h1', null, 'Phần mềm một cửa'),
  h('p', { cls: 'sub' }, 'Trung tâm Phục vụ hành chính công xã'),
  field('Tên đăng nhập', login), field('Mật khẩu', pw), out, btn);
  clear(root, h('main', { cls: 'login' }, form));
  login.focus();
  idle(() => listsMod().catch(() => { /* loads again after sign-in */ }));
}

function navItems(me) {
  if (isHub()) {
    const rec = ['#/kien-nghi', me.role === 'leader' || me.role === 'admin' || me.role === 'supervisor' ? 'Kiến nghị của các xã' : 'Kiến nghị chuyển đến'];
    const tasks = ['#/cong-viec', 'Nhiệm vụ giao các xã']; // issue 14, web/tasks.js
    // The communes' figures and nodes are for the supervisors and the administrator.
    if (me.role !== 'admin' && me.role !== 'supervisor') return [[rec, tasks], []];
    const it = [['#/trang-chu', 'Tổng quan các xã'], ['#/tinh/may-xa', 'Máy xã'], ['#/tinh/tim-kiem', 'Tìm hồ sơ các xã'], rec, tasks];
    if (me.role === 'supervisor' || me.role === 'admin') it.push(['#/bao-cao', 'Báo cáo thống kê']);
    return [it, me.role === 'admin' ? [['#/quan-tri/nguoi-dung', 'Người dùng'], ['#/tinh/gui-lich', 'Gửi cho các xã']] : []];
  }
  const a = new Set(me.actions), r = me.role, L = (k) => ['#/ds/' + k, LISTS[k].nav];
  const it = [['#/trang-chu', 'Trang chủ']];
  if (a.has('accept')) it.push(['#/tiep-nhan', 'Tiếp nhận hồ sơ'], L('truc-tuyen'));
  if (r === 'specialist') it.push(L('cua-toi'));
  if (a.has('assign')) it.push(L('cho-phan-cong'));
  if (a.has('approve')) it.push(L('cho-phe-duyet'));
  if (a.has('supplement_received') && r !== 'specialist') it.push(L('cho-bo-sung'));
  if (a.has('return')) it.push(L('tra-ket-qua'));
  if (r !== 'specialist' && r !== 'reception') it.push(L('dang-xu-ly'));
  it.push(L('sap-den-han'), L('qua-han'), ['#/tim-kiem', 'Tìm kiếm hồ sơ'], ['#/cong-viec', 'Công việc'], ['#/kien-nghi', 'Kiến nghị với tỉnh']);
  it.push(['#/van-ban-den', 'Văn bản', '#/van-ban-']); // the document registers (issue 14)
  if (r === 'leader' || r === 'admin' || r === 'supervisor') it.push(['#/canh-bao', 'Cảnh báo'], ['#/bao-cao', 'Báo cáo thống kê']);
  if (r !== 'specialist') it.push(['#/so-thu-phi', 'Sổ thu phí, lệ phí']); // the cashier's reconciliation
  it.push(['#/so-theo-doi', 'Sổ theo dõi hồ sơ']); // form 7, printed
  const adm = [['#/quan-tri/danh-muc', 'Danh mục thủ tục'], ['#/quan-tri/lich', 'Lịch làm việc']];
  if (r === 'admin') adm.unshift(['#/quan-tri/nguoi-dung', 'Người dùng']), adm.splice(2, 0, ['#/quan-tri/danh-muc-xa', 'Danh mục TTHC của xã']), adm.push(['#/quan-tri/gio-lam-viec', 'Giờ làm việc']);
  adm.push(['#/quan-tri/dong-bo', 'Đồng bộ với tỉnh']);
  return [it, adm];
}

function shell() {
  const me = S.me;
  const [items, adm] = navItems(me);
  // A third element: the prefix of the other addresses the link stands for.
  const link = ([href, label, also]) => h('li', null, h('a', { href, 'data-also': also }, label));
  main = h('main', { id: 'main', tabindex: '-1' });
  // The notifications' bell, its count polled by alerts.js (issue 13).
  const bell = h('a', { cls: 'bell', href: '#/thong-bao' }, 'Thông báo');
  // On a narrow screen the menu folds behind this button (style.css).
  const toggle = h('button', { type: 'button', cls: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'side-nav',
    onclick: () => menu(toggle.getAttribute('aria-expanded') !== 'true') }, h('span', { 'aria-hidden': 'true' }, '☰ '), 'Menu');
  clear(root,
    h('a', { cls: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Bỏ qua đến nội dung chính'),
    h('header', { cls: 'top' },
      toggle,
      h('div', { cls: 'brand' }, h('strong', null, 'Một cửa'), h('span', null, S.settings ? S.settings.agency_name : me.agency_name)),
      h('div', { cls: 'who' },
        isHub() ? null : bell,
        h('span', { cls: 'uname' }, me.name), h('span', { cls: 'urole' }, me.role_label),
        h('button', { type: 'button', cls: 'ghost', onclick: logout }, 'Đăng xuất'))),
    h('div', { cls: 'frame' },
      h('nav', { cls: 'side', id: 'side-nav', 'aria-label': 'Chức năng', onclick: (e) => {
        // The current screen's own link starts it afresh (hashchange would not fire).
        const a = e.target.closest('a');
        if (a && a.getAttribute('href') === location.hash) { e.preventDefault(); route(); }
      } },
        h('ul', null, items.map(link)),
        adm.length ? h('div', { cls: 'navgrp' }, me.role === 'admin' ? 'Quản trị' : 'Tra cứu') : null,
        adm.length ? h('ul', null, adm.map(link)) : null),
      h('div', { cls: 'col' }, banner, main)));
  if (!isHub()) {
    watchSync();
    alertsMod().then((m) => m.watchBell(bell)).catch(() => { /* loads again on the next screen */ });
  }
}

// A commune node's link to the province: when its events have not reached
// the hub for a while (docs/sync.md §9), every screen says so. The desk
// works on; the node sends them when the link is back.
const banner = h('div', { id: 'sync-banner', role: 'status', 'aria-live': 'polite' });
let syncTimer = null;
async function watchSync() {
  clearTimeout(syncTimer);
  if (!S.me) return;
  let s = null;
  try { s = await api('GET', '/sync/status'); } catch { /* shown again at the next look */ }
  if (!S.me) return;
  const warn = (s && s.enrolled && s.warnings ? s.warnings : []).map((w) => h('div', { cls: 'msg msg-warn sync-banner' }, w.message + '.'));
  if (!s || !s.enrolled || (!s.offline && !s.stopped)) clear(banner, warn);
  else {
    const n = s.waiting.toLocaleString('vi-VN');
    const code = s.last_error && s.last_error.code;
    const text = code === 'sync.key_not_approved'
      ? `Tỉnh chưa duyệt máy này — ${n} sự kiện đang chờ gửi. Phần mềm vẫn làm việc bình thường và tự gửi khi tỉnh duyệt.`
      : s.stopped
      ? `Đồng bộ với tỉnh đã dừng — ${n} sự kiện đang chờ gửi. ${s.last_error ? s.last_error.message + '. ' : ''}Quản trị viên cần xử lý rồi bấm “Đồng bộ ngay”.`
      : `Mất kết nối với tỉnh — ${n} sự kiện đang chờ gửi. Phần mềm vẫn làm việc bình thường và tự gửi khi có mạng lại.`
        + (s.last_ok_at ? ` Lần gửi được gần nhất: ${fmtDT(s.last_ok_at)}.` : '');
    clear(banner, h('div', { cls: 'msg ' + (s.stopped ? 'msg-err' : 'msg-warn') + ' sync-banner' }, text), warn);
  }
  syncTimer = setTimeout(watchSync, 30000);
}

function menu(open) {
  const t = document.querySelector('.menu-toggle'), n = document.getElementById('side-nav');
  if (!t || !n) return;
  t.setAttribute('aria-expanded', String(open));
  n.classList.toggle('open', open);
}

async function logout() {
  if (!leaveOk('Thông tin hồ sơ đang nhập sẽ bị xoá khi đăng xuất. Vẫn đăng xuất?')) return;
  S.leaveGuard = null;
  clearDrafts();
  await settle();
  try { await api('DELETE', '/session'); } catch { /* signed out anyway */ }
  S.me = null; S.csrf = '';
  clearTimeout(syncTimer); clear(banner);
  alertsMod().then((m) => m.stopBell()).catch(() => {});
  hint(false);
  history.replaceState(null, '', '#/trang-chu');
  showLogin('Bạn đã đăng xuất.');
}

let seq = 0;
async function route() {
  if (!S.me || !main) return;
  const [path, qs] = location.hash.slice(1).split('?');
  const seg = path.split('/').filter(Boolean).map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  const q = new URLSearchParams(qs || '');
  for (const a of document.querySelectorAll('nav.side a')) {
    const also = a.getAttribute('data-also');
    const on = a.getAttribute('href') === '#' + path || (also && ('#' + path).startsWith(also));
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  S.leaveGuard = null; // the screen being left said yes (or had nothing to lose)
  menu(false);
  const view = h('div', { cls: 'view' }, h('p', { cls: 'loading' }, 'Đang tải…'));
  clear(main, view);
  const my = ++seq;
  const title = (t) => { if (my === seq) document.title = t + ' — Một cửa'; };
  try {
    switch (seg[0] || 'trang-chu') { // '', '#' and '#/' are the home page too
      case 'trang-chu':
        // The province's figures are its supervisors' and administrators'; its
        // leaders and the departments' officers start at the recommendations.
        if (isHub() && !['admin', 'supervisor'].includes(S.me.role)) { await (await recsMod()).recsRoute(view, ['kien-nghi'], q, title); break; }
        if (isHub()) { title('Tổng quan các xã'); await (await hubMod()).hubHomeScreen(view); break; }
        title('Trang chủ'); await (await listsMod()).homeScreen(view); break;
      case 'tinh': {
        if (!isHub()) throw new Error('Trang này chỉ có trên máy chủ của tỉnh.');
        const m = await hubMod();
        if (seg[1] === 'may-xa') { title('Máy xã'); await m.nodesScreen(view); break; }
        if (seg[1] === 'tim-kiem') { title('Tìm hồ sơ các xã'); await m.hubSearchScreen(view, q); break; }
        if (seg[1] === 'ho-so' && seg[2]) { title('Hồ sơ ' + seg[2]); await m.hubDossierScreen(view, seg[2]); break; }
        if (seg[1] === 'gui-lich') { title('Gửi cho các xã'); await m.publishScreen(view); break; }
        throw new Error('Không có trang này.');
      }
      case 'tiep-nhan': title('Tiếp nhận hồ sơ'); await (await receptionMod()).receptionScreen(view); break;
      case 'ho-so': {
        if (!seg[1]) throw new Error('Chưa có mã hồ sơ trong địa chỉ.');
        const m = await dossierMod();
        if (seg[2] === 'phieu') { title('In lại phiếu ' + seg[1]); await m.reprintScreen(view, seg[1]); break; }
        title('Hồ sơ ' + seg[1]); await m.dossierScreen(view, seg[1]); break;
      }
      case 'ds': {
        const L = LISTS[seg[1]];
        if (!L) throw new Error('Không có danh sách này.');
        title(L.title); await (await listsMod()).listScreen(view, seg[1]); break;
      }
      case 'cong-viec': { // tasks (issue 14): an id is agency/T-YYYY-NNNN, two segments
        const m = await tasksMod();
        if (seg[1] === 'giao-viec') { title('Giao việc'); await m.createScreen(view); break; }
        if (seg[1] === 'theo-doi') { title('Theo dõi nhiệm vụ'); await m.boardScreen(view); break; }
        if (seg[1] && seg[2]) { title('Nhiệm vụ ' + seg[2]); await m.taskScreen(view, seg[1] + '/' + seg[2]); break; }
        title('Công việc'); await m.tasksScreen(view, q); break;
      }
      case 'kien-nghi': await (await recsMod()).recsRoute(view, seg, q, title); break;
      case 'thong-bao': title('Thông báo'); await (await alertsMod()).notificationsScreen(view, q); break;
      case 'canh-bao': title('Cảnh báo hồ sơ'); await (await alertsMod()).alertsScreen(view); break;
      case 'bao-cao': title('Báo cáo thống kê'); await (await reportsMod()).reportsScreen(view, q); break;
      case 'van-ban-den': case 'van-ban-di': {
        const book = seg[0] === 'van-ban-den' ? 'in' : 'out';
        title(seg[1] === 'moi' ? (book === 'in' ? 'Vào sổ văn bản đến' : 'Vào sổ văn bản đi') : book === 'in' ? 'Văn bản đến' : 'Văn bản đi');
        await (await documentsMod()).documentsScreen(view, book, seg, q); break;
      }
      case 'tim-kiem': title('Tìm kiếm hồ sơ'); await (await listsMod()).searchScreen(view, q); break;
      case 'so-thu-phi': title('Sổ thu phí, lệ phí'); await (await recordsMod()).feesScreen(view, q); break;
      case 'so-theo-doi': title('Sổ theo dõi hồ sơ'); await (await recordsMod()).registerScreen(view, q); break;
      case 'quan-tri': {
        const s = { 'nguoi-dung': ['Người dùng', 'usersScreen'], 'danh-muc': ['Danh mục thủ tục', 'catalogScreen'],
          lich: ['Lịch làm việc', 'calendarScreen'], 'danh-muc-xa': ['Danh mục TTHC của xã', 'localScreen'], 'gio-lam-viec': ['Giờ làm việc', 'hoursScreen'] }[seg[1]];
        if (seg[1] === 'dong-bo') { title('Đồng bộ với tỉnh'); await (await hubMod()).syncScreen(view); break; }
        if (!s) throw new Error('Không có trang này.');
        title(s[0]); await (await adminMod())[s[1]](view, q); break;
      }
      default:
        title('Không tìm thấy');
        clear(view, h('h1', null, 'Không tìm thấy trang'), h('p', null, h('a', { href: '#/trang-chu' }, 'Về trang chủ')));
    }
  } catch (e) {
    if (my === seq && S.me) clear(view, msgBox('err', errText(e)));
  }
  if (my === seq && document.activeElement === document.body) main.focus({ preventScroll: true });
}

// Leaving a screen with unsaved input asks first (the reception form sets
// S.leaveGuard): another screen of the app, a reload, closing the tab.
// Yes (or nothing to lose) forgets the draft: the officer chose to leave it.
function leaveOk(msg) {
  const why = S.leaveGuard && S.leaveGuard();
  if (!why) return true;
  if (!window.confirm(msg || why)) return false;
  clearDrafts();
  return true;
}
let here = location.href;
window.addEventListener('hashchange', () => {
  // The same address again (the menu link of the current screen) restarts
  // the screen, which keeps its draft: nothing is lost, nothing to ask.
  if (location.href !== here && !leaveOk()) { history.replaceState(null, '', here); return; }
  here = location.href;
  window.scrollTo(0, 0);
  route();
});
window.addEventListener('beforeunload', (e) => {
  if (S.leaveGuard && S.leaveGuard()) { e.preventDefault(); e.returnValue = ''; }
});
boot();
