// hub.js - the screens of sync (docs/sync.md §9). On a hub: the communes'
// dashboard, the commune nodes to approve or revoke, the search over every
// commune's dossiers, one dossier's history as its commune recorded it, and
// sending a days-off schedule to the communes. On a commune: its sync with
// the province.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, stateBadge } from './lib.js';
import { importForm } from './admin.js';

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

// The dossier's scans and result as the commune's events recorded them;
// a file whose bytes have not reached the province yet says so.
const SOURCE = { digitized: 'Đã số hoá', reused: 'Tái sử dụng', data_store: 'Từ kho dữ liệu công dân' };
function hubFiles(files) {
  if (!files.length) return null;
  const kb = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
  return [h('h2', { cls: 'mt' }, 'Giấy tờ số hoá'),
    h('ul', { cls: 'forms', id: 'hub-files' }, files.map((f) => h('li', { 'data-sha': f.sha256 },
      f.held ? h('a', { href: `/api/v1/hub/files/${f.sha256}`, target: '_blank', rel: 'noopener' }, f.component_name || f.filename || 'Tệp')
        : h('span', null, f.component_name || f.filename || 'Tệp'),
      h('span', { cls: 'meta' }, ` · ${f.kind === 'result' ? 'Kết quả điện tử' : SOURCE[f.source] || f.source} · ${f.pages} trang · ${kb(f.size)}`),
      f.held ? null : h('span', { cls: 'meta over' }, ' · chưa nhận được tệp từ xã'))))];
}

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
    hubFiles(r.files || []),
    h('h2', { cls: 'mt' }, 'Quá trình xử lý (theo nhật ký của xã)'),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list dl hub-history' },
      h('thead', null, h('tr', null, th('Thời điểm'), th('Người thực hiện'), th('Việc'), th('Trạng thái sau'), th('Sự kiện'))),
      h('tbody', null, r.history.map((ev) => h('tr', null,
        h('td', { cls: 'when' }, fmtDT(ev.at)),
        h('td', null, ev.actor),
        h('td', null, kindText(ev.kind, ACTS), ev.comment ? h('div', { cls: 'meta' }, ev.comment) : null),
        h('td', null, ev.status ? stateBadge(ev.status) : '—'),
        h('td', null, h('span', { cls: 'meta' }, `${ev.agency} #${ev.seq}`),
          VERDICT[ev.verdict] ? h('div', { cls: 'meta over' }, VERDICT[ev.verdict]) : null)))))));
}

// ---- sending a schedule or a procedure list to the communes (admin) ----
export async function publishScreen(view) {
  const nodes = (await api('GET', '/hub/nodes')).nodes.filter((n) => n.status === 'approved');
  const communes = [...new Map(nodes.map((n) => [n.agency, n.name || n.agency])).entries()];
  const radio = (name, id, value, label, checked) => h('div', { cls: 'fld chk' },
    h('input', { type: 'radio', name, id, value, checked }), h('label', { for: id }, label));
  const kind = h('fieldset', { cls: 'targets' }, h('legend', null, 'Gửi gì'),
    radio('what', 'what-cal', 'calendar', 'Lịch nghỉ do Chính phủ công bố (cột: date,weekday,status,civil_servant_working_day,occasion,source)', true),
    radio('what', 'what-cat', 'catalog', 'Danh mục TTHC của xã: thời hạn, phí, đơn vị, các bước (cột như tệp xuất ở Danh mục TTHC của xã)', false));
  const isCal = () => kind.querySelector('#what-cal').checked;
  const add = h('input', { type: 'checkbox', id: 'pub-add', name: 'add' });
  const addRow = h('div', { cls: 'fld chk' }, add, h('label', { for: 'pub-add' }, 'Bổ sung vào lịch hiện có của xã (không thay thế lịch của các năm trong tệp)'));
  kind.addEventListener('change', () => { addRow.style.display = isCal() ? '' : 'none'; });
  const source = h('input', { name: 'source', maxlength: 200, placeholder: 'Ví dụ: Quyết định 123/QĐ-UBND' });
  const all = h('input', { type: 'radio', name: 'to', id: 'to-all', value: 'all', checked: true });
  const some = h('input', { type: 'radio', name: 'to', id: 'to-some', value: 'some' });
  const boxes = communes.map(([ag, name]) => h('div', { cls: 'fld chk' },
    h('input', { type: 'checkbox', id: 'to-' + ag, name: 'agency', value: ag, onchange: () => { some.checked = true; } }),
    h('label', { for: 'to-' + ag }, `${name} (${ag})`)));
  const chosen = () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  const targets = h('fieldset', { cls: 'targets' }, h('legend', null, 'Gửi cho'),
    h('div', { cls: 'fld chk' }, all, h('label', { for: 'to-all' }, 'Mọi xã (kể cả xã kết nối sau này)')),
    h('div', { cls: 'fld chk' }, some, h('label', { for: 'to-some' }, 'Chỉ các xã chọn dưới đây')),
    communes.length ? h('div', { cls: 'communes' }, boxes) : h('p', { cls: 'empty' }, 'Chưa có xã nào được duyệt kết nối.'));
  clear(view,
    h('h1', null, 'Gửi cho các xã'),
    h('p', { cls: 'sub' }, 'Tỉnh kiểm tra tệp như xã kiểm tra khi tự nhập, rồi mỗi xã nhận và áp dụng ở lần đồng bộ tới; việc áp dụng được ghi vào nhật ký của xã.'),
    importForm({
      title: 'Tệp gửi đi', accept: '.csv,text/csv', type: 'text/csv', path: '/hub/publish',
      button: 'Gửi cho các xã',
      extra: [kind, addRow, field('Nguồn (số văn bản)', source), targets],
      check: () => (some.checked && !chosen().length ? 'Chọn ít nhất một xã, hoặc chọn gửi cho mọi xã.' : ''),
      query: () => {
        const p = new URLSearchParams();
        if (isCal()) p.set('add', String(add.checked));
        if (source.value.trim()) p.set('source', source.value.trim());
        if (some.checked) p.set('to', chosen().join(','));
        return (isCal() ? '/calendar' : '/catalog') + (p.toString() ? '?' + p : '');
      },
      okText: (f, r) => `Đã gửi ${r.stream === 'calendar' ? 'lịch nghỉ' : 'danh mục TTHC'} ${r.source} (phiên bản ${r.version}).`,
      done: (r) => h('p', null, r.to[0] === '*' ? 'Mọi xã nhận ở lần đồng bộ tới.' : `${r.to.length} xã nhận ở lần đồng bộ tới: ${r.to.join(', ')}.`),
    }));
}

// ---- a commune's sync with the province ----
export async function syncScreen(view) {
  const s = await api('GET', '/sync/status');
  const out = h('div', { 'aria-live': 'polite' });
  const row = (k, v) => [h('dt', null, k), h('dd', null, v)];
  if (!s.enrolled) {
    clear(view, h('h1', null, 'Đồng bộ với tỉnh'),
      h('p', null, 'Máy này chưa đăng ký với máy chủ của tỉnh. Quản trị viên đăng ký bằng lệnh motcua enrol --hub ĐỊA_CHỈ, rồi quản trị viên của tỉnh duyệt máy này.'));
    return;
  }
  const now = h('button', { type: 'button', cls: 'primary', onclick: async () => {
    busy(now, true);
    try {
      await api('POST', '/sync/now');
      await syncScreen(view);
      const box = view.querySelector('[aria-live]');
      if (box) clear(box, msgBox('ok', 'Đã bắt đầu một lần đồng bộ. Trang này cho thấy kết quả khi tải lại.'));
    } catch (e) { busy(now, false); clear(out, msgBox('err', errText(e))); }
  } }, 'Đồng bộ ngay');
  const state = s.stopped ? 'Đã dừng: cần quản trị viên xử lý' : s.offline ? 'Mất kết nối, đang thử lại' : s.waiting ? 'Đang gửi' : 'Đã đồng bộ';
  clear(view,
    h('h1', null, 'Đồng bộ với tỉnh'),
    out,
    h('dl', { cls: 'kv' },
      row('Tình trạng', h('span', { cls: 'badge ' + (s.stopped ? 'st-stopped' : s.offline ? 'st-supplement' : 'st-returned') }, state)),
      row('Máy chủ tỉnh', s.hub_url),
      row('Sự kiện tỉnh đã nhận', `${num(s.acked_seq)} / ${num(s.local_seq)}`),
      row('Đang chờ gửi', num(s.waiting)),
      row('Lần đồng bộ được gần nhất', s.last_ok_at ? fmtDT(s.last_ok_at) : 'chưa có'),
      row('Lần thử gần nhất', s.last_try_at ? fmtDT(s.last_try_at) : 'chưa có'),
      s.last_error ? row('Lỗi gần nhất', `${s.last_error.message} (${s.last_error.code})`) : null,
      s.hub_behind ? row('Cảnh báo', s.hub_behind) : null,
      s.warnings.map((w) => row('Cảnh báo', w.message))),
    S.me.role === 'admin' ? h('div', { cls: 'actions' }, now) : null,
    h('h2', { cls: 'mt' }, 'Sự kiện tỉnh không áp dụng'),
    s.verdicts.length
      ? h('div', { cls: 'tablewrap' }, h('table', { cls: 'list verdicts' },
        h('thead', null, h('tr', null, th('Sự kiện'), th('Kết quả'), th('Lý do'), th('Lúc biết'))),
        h('tbody', null, s.verdicts.map((v) => h('tr', null, h('td', null, '#' + v.seq),
          h('td', null, v.verdict === 'rejected' ? 'Không áp dụng' : 'Chờ áp dụng'),
          h('td', null, v.message, h('div', { cls: 'meta' }, v.code)), h('td', null, fmtDT(v.at)))))))
      : h('p', { cls: 'empty' }, 'Tỉnh đã áp dụng mọi sự kiện của xã.'));
}
