// alerts.js - live alerts (issue 13): the bell with the unread count in the
// header of every screen, the officer's notifications ('#/thong-bao') and
// the leaders' alert board ('#/canh-bao': near-due and overdue dossiers by
// officer and by unit).
import { h, clear, api, errText, msgBox, busy, fmtDT, fmtWork, stateBadge, csvButton, isoDay, now } from './lib.js';

// ---- the bell ----
const POLL_MS = 60000;
let bellEl = null, bellTimer = null, bellLive = null, bellLast = -1;

function bellShow(n) {
  if (!bellEl) return;
  const count = bellEl.querySelector('.bell-n');
  count.textContent = n > 99 ? '99+' : String(n);
  count.hidden = !n;
  bellEl.querySelector('.bell-s').textContent = n ? ` (${n} chưa đọc)` : '';
  bellEl.classList.toggle('has-unread', n > 0);
  // Screen readers hear a change of the count, not every poll.
  if (bellLive && n !== bellLast) bellLive.textContent = n ? `Có ${n} thông báo chưa đọc.` : '';
  bellLast = n;
}

async function bellPoll() {
  clearTimeout(bellTimer);
  if (!bellEl || !bellEl.isConnected) return;
  try { bellShow((await api('GET', '/notifications?unread=1&limit=1')).unread); } catch { /* shown again at the next look */ }
  bellTimer = setTimeout(bellPoll, POLL_MS);
}

// Fills el (the header's link to '#/thong-bao') and keeps its count fresh.
export function watchBell(el) {
  bellEl = el;
  bellLast = -1;
  clear(el, h('span', { cls: 'bell-i', 'aria-hidden': 'true' }), h('span', { cls: 'bell-t' }, 'Thông báo'),
    h('span', { cls: 'bell-n', 'aria-hidden': 'true', hidden: true }), h('span', { cls: 'vh bell-s' }));
  bellLive = h('span', { cls: 'vh', role: 'status', 'aria-live': 'polite' });
  el.after(bellLive);
  bellPoll();
}
export function stopBell() { clearTimeout(bellTimer); bellEl = null; bellLive = null; }
const refreshBell = () => { if (bellEl) bellPoll(); };

// ---- the notifications ----
const KIND = { near_due: 'Sắp đến hạn', overdue: 'Quá hạn', digest: 'Tóm tắt công việc', task_near_due: 'Nhiệm vụ sắp đến hạn', task_overdue: 'Nhiệm vụ quá hạn' };
const dossierHref = (code) => '#/ho-so/' + encodeURIComponent(code);
const taskHref = (id) => '#/cong-viec/' + id.split('/').map(encodeURIComponent).join('/'); // tasks.js

async function markRead(body) {
  const r = await api('POST', '/notifications/read', body);
  bellShow(r.unread);
  return r.unread;
}

export async function notificationsScreen(view, q) {
  const unreadOnly = q && q.get('chua-doc') === '1';
  const r = await api('GET', '/notifications?limit=200' + (unreadOnly ? '&unread=1' : ''));
  bellShow(r.unread);
  const out = h('div', { 'aria-live': 'polite' });
  const allBtn = h('button', { type: 'button', cls: 'primary', disabled: !r.unread, onclick: async () => {
    busy(allBtn, true);
    try { await markRead({ all: true }); await notificationsScreen(view, q); } catch (e) { busy(allBtn, false); clear(out, msgBox('err', errText(e))); }
  } }, 'Đánh dấu tất cả đã đọc');
  const item = (n) => {
    const li = h('li', { cls: 'note' + (n.read_at ? '' : ' unread'), 'data-id': n.id });
    const readBtn = n.read_at ? null : h('button', { type: 'button', cls: 'linkish', onclick: async () => {
      try { await markRead({ ids: [n.id] }); li.classList.remove('unread'); readBtn.replaceWith(h('span', { cls: 'meta' }, 'Đã đọc')); } catch (e) { clear(out, msgBox('err', errText(e))); }
    } }, 'Đánh dấu đã đọc');
    // Opening the dossier reads the notification too.
    const href = n.task ? taskHref(n.task) : n.dossier ? dossierHref(n.dossier) : null;
    const title = href
      ? h('a', { href, onclick: () => { if (!n.read_at) markRead({ ids: [n.id] }).catch(() => {}); } }, n.title)
      : h('span', null, n.title);
    const mail = n.kind === 'digest' && (n.emailed_at || n.email_error)
      ? h('span', { cls: 'meta' }, n.emailed_at ? ' · đã gửi thư điện tử' : ' · chưa gửi được thư điện tử') : null;
    return clear(li,
      h('div', { cls: 'note-h' }, h('span', { cls: 'badge note-' + n.kind }, KIND[n.kind] || n.kind), ' ', h('strong', null, title)),
      // A digest lists every code: folded until asked for.
      n.kind === 'digest' ? h('details', null, h('summary', null, 'Xem danh sách hồ sơ'), h('div', { cls: 'note-b pre' }, n.body))
        : h('div', { cls: 'note-b' }, n.body),
      h('div', { cls: 'meta' }, fmtDT(n.created_at), mail, ' ', readBtn || h('span', { cls: 'meta' }, '· Đã đọc')));
  };
  clear(view,
    h('h1', null, 'Thông báo'),
    h('p', { cls: 'sub' }, r.unread ? `${r.unread} thông báo chưa đọc.` : 'Bạn đã đọc hết thông báo.', ' ',
      h('a', { href: unreadOnly ? '#/thong-bao' : '#/thong-bao?chua-doc=1' }, unreadOnly ? 'Xem tất cả' : 'Chỉ xem thông báo chưa đọc')),
    h('div', { cls: 'actions' }, allBtn), out,
    r.items.length ? h('ul', { cls: 'notes' }, r.items.map(item))
      : h('p', { cls: 'empty' }, unreadOnly ? 'Không có thông báo chưa đọc.' : 'Chưa có thông báo nào.'));
}

// ---- the alert board ----
function countTable(caption, first, near, over, key) {
  const rows = new Map();
  for (const x of over[key]) rows.set(x.login ?? x.unit, { name: x.name ?? x.unit, over: x.count, near: 0 });
  for (const x of near[key]) {
    const k = x.login ?? x.unit, r = rows.get(k) || { name: x.name ?? x.unit, over: 0, near: 0 };
    r.near = x.count; rows.set(k, r);
  }
  const list = [...rows.values()].sort((a, b) => b.over - a.over || b.near - a.near || a.name.localeCompare(b.name, 'vi'));
  const th = (t) => h('th', { scope: 'col' }, t);
  return h('section', { cls: 'panel' }, h('h2', null, caption),
    list.length ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list counts' },
      h('thead', null, h('tr', null, th(first), th('Quá hạn'), th('Sắp đến hạn'))),
      h('tbody', null, list.map((r) => h('tr', null, h('th', { scope: 'row' }, r.name),
        h('td', { cls: 'num' + (r.over ? ' hot-over' : '') }, String(r.over)),
        h('td', { cls: 'num' + (r.near ? ' hot-near' : '') }, String(r.near)))))))
      : h('p', { cls: 'empty' }, 'Không có hồ sơ nào sắp đến hạn hay quá hạn.'));
}

function alertTable(items, over) {
  const th = (t) => h('th', { scope: 'col' }, t);
  const wrap = h('div', { cls: 'tablewrap' });
  return [h('div', { cls: 'csvbar' }, csvButton(() => wrap.querySelector('table'), (over ? 'ho-so-qua-han-' : 'ho-so-sap-den-han-') + isoDay(now()))), clear(wrap, h('table', { cls: 'list dl' },
    h('thead', null, h('tr', null, th('Hồ sơ'), th('Thủ tục'), th('Người xử lý'), th('Hạn xử lý'))),
    h('tbody', null, items.map((d) => h('tr', { 'data-code': d.code },
      h('td', { cls: 'code' }, h('a', { href: dossierHref(d.code) }, d.code), h('div', { cls: 'aname' }, d.applicant)),
      h('td', { cls: 'proc' }, h('span', { cls: 'clamp', title: d.procedure_name }, d.procedure_name || d.procedure)),
      h('td', null, d.assignee ? d.assignee_name || d.assignee : h('span', { cls: 'meta' }, 'Chưa phân công'),
        h('div', { cls: 'meta' }, d.unit), h('div', null, stateBadge(d.status, d.status_label))),
      h('td', { cls: 'when' }, fmtDT(d.due_at), ' ', over
        ? h('span', { cls: 'due due-over' }, 'Quá hạn ' + fmtWork(d.overdue_by_minutes * 60))
        : h('span', { cls: 'due due-near' }, 'Sắp đến hạn')))))))];
}

export async function alertsScreen(view) {
  const a = await api('GET', '/alerts');
  const over = a.items.filter((d) => d.overdue), near = a.items.filter((d) => d.near_due);
  // The counts jump to their list below (the address stays the screen's).
  const kpi = (n, label, tone, id) => h('li', { cls: 'kpi kpi-' + tone + (n ? ' hot' : '') },
    h('a', { href: '#/canh-bao', onclick: (e) => { e.preventDefault(); document.getElementById(id)?.scrollIntoView(); } },
      h('span', { cls: 'n' }, String(n)), h('span', { cls: 'l' }, label)));
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, 'Cảnh báo hồ sơ'),
      h('p', { cls: 'sub' }, `Số liệu lúc ${fmtDT(a.now)}. Sắp đến hạn: hạn giải quyết trong một ngày làm việc. `,
        h('button', { type: 'button', cls: 'linkish', onclick: () => { refreshBell(); alertsScreen(view).catch((e) => clear(view, msgBox('err', errText(e)))); } }, 'Làm mới'))),
    h('ul', { cls: 'cards' }, kpi(a.overdue.total, 'Quá hạn', 'over', 'qua-han'),
      kpi(a.near_due.total, 'Sắp đến hạn', 'near', 'sap-den-han')),
    h('div', { cls: 'two' },
      countTable('Theo cán bộ xử lý', 'Cán bộ', a.near_due, a.overdue, 'by_officer'),
      countTable('Theo đơn vị', 'Đơn vị', a.near_due, a.overdue, 'by_unit')),
    h('section', { cls: 'panel panel-over', id: 'qua-han' }, h('h2', null, `Hồ sơ quá hạn (${over.length})`),
      over.length ? alertTable(over, true) : h('p', { cls: 'empty' }, 'Không có hồ sơ nào quá hạn.')),
    h('section', { cls: 'panel panel-near', id: 'sap-den-han' }, h('h2', null, `Hồ sơ sắp đến hạn (${near.length})`),
      near.length ? alertTable(near, false) : h('p', { cls: 'empty' }, 'Không có hồ sơ nào sắp đến hạn.')));
}
