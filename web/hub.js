// hub.js - the province's screens on a hub (docs/sync.md §9): the communes'
// dashboard, the commune nodes to approve or revoke, the search over every
// commune's dossiers, and one dossier's history as its commune recorded it.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, stateBadge } from './lib.js';

const NODE_STATUS = { pending: 'Chờ duyệt', approved: 'Đã duyệt', revoked: 'Đã thu hồi' };
const th = (t) => h('th', { scope: 'col' }, t);
const num = (n) => (n ?? 0).toLocaleString('vi-VN');

// "3 giờ trước": how long since a commune last synced.
function ago(iso) {
  if (!iso) return 'chưa đồng bộ';
  const s = Math.max(0, Math.round((Date.now() + S.skew - Date.parse(iso)) / 1000));
  if (s < 90) return 'vừa xong';
  if (s < 5400) return `${Math.round(s / 60)} phút trước`;
  if (s < 129600) return `${Math.round(s / 3600)} giờ trước`;
  return `${Math.round(s / 86400)} ngày trước`;
}
// A commune silent for more than a day is flagged.
const stale = (iso) => !iso || Date.now() + S.skew - Date.parse(iso) > 86400e3;

export async function hubHomeScreen(view) {
  const d = await api('GET', '/hub/communes');
  const t = d.totals || {};
  const kpi = (n, label, href, hot) => h('li', { cls: 'kpi' + (hot ? ' kpi-over hot' : '') },
    h('a', { href }, h('span', { cls: 'n' }, num(n)), h('span', { cls: 'l' }, label)));
  const rows = d.communes.map((c) => h('tr', { 'data-agency': c.agency },
    h('td', null, h('a', { href: '#/tinh/tim-kiem?agency=' + encodeURIComponent(c.agency) }, c.name || c.agency),
      h('div', { cls: 'meta' }, c.agency)),
    h('td', { cls: 'num' }, num(c.dossiers)),
    h('td', { cls: 'num' }, num(c.open)),
    h('td', { cls: 'num' + (c.overdue ? ' over' : '') }, num(c.overdue)),
    h('td', null, h('span', { cls: stale(c.last_push_at) ? 'badge st-stopped' : 'badge st-returned' }, ago(c.last_push_at)),
      c.last_push_at ? h('div', { cls: 'meta' }, fmtDT(c.last_push_at)) : null),
    h('td', { cls: 'num' }, num(c.acked_seq), c.rejected ? h('div', { cls: 'meta over' }, `${num(c.rejected)} không áp dụng`) : null)));
  clear(view,
    h('div', { cls: 'hhead' }, h('h1', null, 'Tổng quan các xã'),
      h('p', { cls: 'sub' }, `${d.name} · số liệu theo lần đồng bộ gần nhất của từng xã `,
        h('button', { type: 'button', cls: 'linkish', id: 'refresh', onclick: () => hubHomeScreen(view) }, 'Làm mới'))),
    h('ul', { cls: 'cards' },
      kpi(t.communes, 'Xã đã kết nối', '#/tinh/may-xa'),
      kpi(t.open, 'Hồ sơ đang giải quyết', '#/tinh/tim-kiem'),
      kpi(t.overdue, 'Hồ sơ quá hạn', '#/tinh/tim-kiem', t.overdue > 0),
      kpi(t.pending_nodes, 'Máy xã chờ duyệt', '#/tinh/may-xa', t.pending_nodes > 0)),
    h('section', { cls: 'panel' },
      h('h2', null, 'Các xã'),
      d.communes.length
        ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list hub-communes' },
          h('caption', { cls: 'sr-only' }, 'Số liệu từng xã'),
          h('thead', null, h('tr', null, th('Xã'), th('Hồ sơ'), th('Đang giải quyết'), th('Quá hạn'), th('Đồng bộ gần nhất'), th('Sự kiện đã nhận'))),
          h('tbody', null, rows)))
        : h('p', { cls: 'empty' }, 'Chưa có xã nào gửi dữ liệu. Máy xã đăng ký bằng lệnh motcua enrol --hub ĐỊA_CHỈ, rồi quản trị viên tỉnh duyệt ở mục Máy xã.')));
}

export async function nodesScreen(view) {
  const d = await api('GET', '/hub/nodes');
  const out = h('div', { 'aria-live': 'polite' });
  const admin = S.me.role === 'admin';
  const act = (n, verb) => {
    const label = verb === 'approve' ? 'Duyệt' : 'Thu hồi';
    const btn = h('button', { type: 'button', cls: verb === 'approve' ? 'primary' : 'danger', onclick: async () => {
      if (verb === 'revoke' && !window.confirm(`Thu hồi khoá của máy xã ${n.name || n.agency}? Tỉnh sẽ không nhận dữ liệu từ máy này nữa.`)) return;
      busy(btn, true);
      try {
        await api('POST', `/hub/nodes/${encodeURIComponent(n.key)}/${verb}`);
        await nodesScreen(view);
        const box = view.querySelector('[aria-live]');
        if (box) clear(box, msgBox('ok', verb === 'approve' ? `Đã duyệt máy xã ${n.name || n.agency}.` : `Đã thu hồi khoá của máy xã ${n.name || n.agency}.`));
      } catch (e) { busy(btn, false); clear(out, msgBox('err', errText(e))); }
    } }, label);
    btn.setAttribute('aria-label', `${label} máy xã ${n.name || n.agency}`);
    return btn;
  };
  const rows = d.nodes.map((n) => h('tr', { 'data-key': n.key },
    h('td', null, h('strong', null, n.name || n.agency), h('div', { cls: 'meta' }, n.agency + ' · chuỗi ' + n.chain)),
    h('td', null, h('code', { cls: 'key', title: n.key }, n.key.slice(0, 16) + '…')),
    h('td', null, h('span', { cls: 'badge ' + (n.status === 'approved' ? 'st-returned' : n.status === 'revoked' ? 'st-stopped' : 'st-supplement') }, NODE_STATUS[n.status] || n.status),
      h('div', { cls: 'meta' }, 'Đăng ký ' + fmtDT(n.enrolled_at))),
    h('td', null, n.last_push_at ? fmtDT(n.last_push_at) : 'chưa gửi',
      n.clock_skew_s && Math.abs(n.clock_skew_s) > 300 ? h('div', { cls: 'meta over' }, `Đồng hồ máy xã lệch ${Math.round(n.clock_skew_s / 60)} phút`) : null),
    h('td', { cls: 'num' }, num(n.acked_seq), n.rejected ? h('div', { cls: 'meta over' }, `${num(n.rejected)} không áp dụng`) : null),
    admin ? h('td', null, n.status === 'pending' ? act(n, 'approve') : null, ' ', n.status !== 'revoked' ? act(n, 'revoke') : null) : null));
  clear(view,
    h('h1', null, 'Máy xã kết nối với tỉnh'),
    h('p', { cls: 'sub' }, admin
      ? 'Mỗi máy xã đăng ký khoá của mình; chỉ khi quản trị viên tỉnh duyệt, tỉnh mới nhận dữ liệu từ máy đó. Đối chiếu mã khoá với mã máy xã in ra khi đăng ký trước khi duyệt.'
      : 'Danh sách máy xã đã đăng ký với tỉnh (chỉ quản trị viên được duyệt hoặc thu hồi).'),
    out,
    d.nodes.length
      ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list hub-nodes' },
        h('thead', null, h('tr', null, th('Xã'), th('Khoá'), th('Trạng thái'), th('Gửi gần nhất'), th('Sự kiện đã nhận'), admin ? th('Thao tác') : null)),
        h('tbody', null, rows)))
      : h('p', { cls: 'empty' }, 'Chưa có máy xã nào đăng ký.'));
}

function hubTable(items) {
  return h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl' },
    h('thead', null, h('tr', null, th('Hồ sơ'), th('Xã'), th('Trạng thái'), th('Hạn xử lý'))),
    h('tbody', null, items.map((d) => h('tr', { 'data-code': d.code },
      h('td', { cls: 'code' }, h('a', { href: '#/tinh/ho-so/' + encodeURIComponent(d.code) }, d.code),
        h('div', { cls: 'aname' }, d.name), h('div', { cls: 'meta' }, 'Thủ tục ' + d.procedure)),
      h('td', null, d.agency),
      h('td', null, stateBadge(d.status)),
      h('td', { cls: 'when' }, d.due_at ? fmtDT(d.due_at) : '—',
        d.open && d.due_at && Date.parse(d.due_at) < Date.now() + S.skew ? h('div', null, h('span', { cls: 'badge st-stopped' }, 'Quá hạn')) : null))))));
}

export async function hubSearchScreen(view, q) {
  const kw = h('input', { name: 'q', type: 'search', value: q.get('q') || '', placeholder: 'Tên người nộp, mã hồ sơ (gõ không dấu được)…' });
  const ag = h('input', { name: 'agency', value: q.get('agency') || '', placeholder: 'Ví dụ: 000.31.45.H45', autocomplete: 'off', spellcheck: 'false' });
  const res = h('div', { cls: 'results', 'aria-live': 'polite' });
  const form = h('form', { cls: 'card search', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (kw.value.trim()) p.set('q', kw.value.trim());
    if (ag.value.trim()) p.set('agency', ag.value.trim());
    location.hash = '#/tinh/tim-kiem' + (p.toString() ? '?' + p : '');
  } }, field('Từ khoá', kw), field('Mã xã', ag, 'Để trống: tìm ở mọi xã'), h('button', { type: 'submit', cls: 'primary' }, 'Tìm'));
  clear(view, h('h1', null, 'Tìm hồ sơ của các xã'), form, res);
  const p = new URLSearchParams({ limit: '100' });
  if (q.get('q')) p.set('q', q.get('q'));
  if (q.get('agency')) p.set('agency', q.get('agency'));
  try {
    const r = await api('GET', '/hub/dossiers?' + p);
    clear(res, r.items.length
      ? [h('p', { cls: 'sub' }, `${r.items.length}${r.items.length >= 100 ? '+' : ''} hồ sơ`), hubTable(r.items)]
      : h('p', { cls: 'empty' }, 'Không có hồ sơ nào khớp.'));
  } catch (e) { clear(res, msgBox('err', errText(e))); }
}

// What an event did, in the officers' words (dossier.js's action labels).
const KIND = { 'dossier.received': 'Tiếp nhận hồ sơ', 'dossier.fee': 'Thu phí, lệ phí', 'dossier.rated': 'Đánh giá của người dân' };
const kindText = (k, acts) => KIND[k] || (k.startsWith('dossier.') && acts[k.slice(8)] ? acts[k.slice(8)].l : k);
const VERDICT = { applied: null, stored: 'Lưu, không áp dụng', rejected: 'Không áp dụng', deferred: 'Chờ áp dụng' };

export async function hubDossierScreen(view, code) {
  const [r, { ACTS }] = await Promise.all([api('GET', '/hub/dossiers/' + encodeURIComponent(code)), import('./dossier.js')]);
  const d = r.dossier;
  clear(view,
    h('p', null, h('a', { href: '#/tinh/tim-kiem' }, '← Tìm hồ sơ')),
    h('h1', null, 'Hồ sơ ', d.code),
    h('dl', { cls: 'kv' },
      h('dt', null, 'Người nộp'), h('dd', null, d.name),
      h('dt', null, 'Xã'), h('dd', null, d.agency),
      h('dt', null, 'Thủ tục'), h('dd', null, d.procedure),
      h('dt', null, 'Trạng thái'), h('dd', null, stateBadge(d.status)),
      h('dt', null, 'Tiếp nhận'), h('dd', null, d.received_at ? fmtDT(d.received_at) : '—'),
      h('dt', null, 'Hạn xử lý'), h('dd', null, d.due_at ? fmtDT(d.due_at) : '—'),
      d.finished_at ? [h('dt', null, 'Kết thúc'), h('dd', null, fmtDT(d.finished_at))] : null),
    h('h2', { cls: 'mt' }, 'Quá trình xử lý (theo nhật ký của xã)'),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list hub-history' },
      h('thead', null, h('tr', null, th('Thời điểm'), th('Người thực hiện'), th('Việc'), th('Trạng thái sau'), th('Sự kiện'))),
      h('tbody', null, r.history.map((ev) => h('tr', null,
        h('td', { cls: 'when' }, fmtDT(ev.at)),
        h('td', null, ev.actor),
        h('td', null, kindText(ev.kind, ACTS), ev.comment ? h('div', { cls: 'meta' }, ev.comment) : null),
        h('td', null, ev.status ? stateBadge(ev.status) : '—'),
        h('td', null, h('span', { cls: 'meta' }, `${ev.agency} #${ev.seq}`),
          VERDICT[ev.verdict] ? h('div', { cls: 'meta over' }, VERDICT[ev.verdict]) : null)))))));
}
