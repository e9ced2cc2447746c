// reports.js - '#/bao-cao', the supervision reports (issue 13): Biểu II.06a
// laid out like the official form, the Decision 766 scorecard and the 12
// months' trend, for a period. Every number opens the dossiers behind it
// (GET /reports/{name}/dossiers); the tables go to Excel and CSV through the
// server's exports. On a hub the same screens report commune by commune.
// The server draws the charts as SVG: parsed as SVG (never as HTML) and
// imported, so nothing in them can run.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, isoDay, now, dateInput, readDate, csvButton, CHANNEL, TIMELY, staffName } from './lib.js';

const TABS = [['ii06a', 'Biểu II.06a'], ['766', 'Chỉ số 766'], ['trend', 'Diễn biến 12 tháng']];
const BY_NODE = [['field', 'Lĩnh vực'], ['procedure', 'Thủ tục'], ['officer', 'Cán bộ xử lý'], ['channel', 'Kênh tiếp nhận']];
const BY_HUB = [['commune', 'Xã'], ['field', 'Lĩnh vực'], ['procedure', 'Thủ tục'], ['channel', 'Kênh tiếp nhận']];
const GROUP = { received: 'Số hồ sơ nhận giải quyết', resolved: 'Số hồ sơ đã giải quyết', pending: 'Số hồ sơ đang giải quyết' };
const isHub = () => S.settings && S.settings.node_role === 'hub';
const th = (t, attrs = {}) => h('th', { scope: 'col', ...attrs }, t);
const p2 = (n) => String(n).padStart(2, '0');
const vnDate = (iso) => (iso ? iso.split('-').reverse().join('/') : '');
const nf = (n, d = 0) => (n == null ? '—' : Number(n).toLocaleString('vi-VN', { minimumFractionDigits: d, maximumFractionDigits: d }));
const pct = (v) => (v == null ? '—' : nf(v * 100, 1) + '%');
const pts = (v) => nf(v, 2);

// The quick periods, counted from the server's today (YYYY-MM-DD).
function periods(today) {
  const y = +today.slice(0, 4), m = +today.slice(5, 7);
  const day = (yy, mm, dd) => `${yy}-${p2(mm)}-${p2(dd)}`;
  const last = (yy, mm) => new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  const pm = m === 1 ? [y - 1, 12] : [y, m - 1];
  const q0 = Math.floor((m - 1) / 3) * 3 + 1; // this quarter's first month
  const pq = q0 === 1 ? [y - 1, 10] : [y, q0 - 3];
  return [
    ['Tháng này', day(y, m, 1), today],
    ['Tháng trước', day(pm[0], pm[1], 1), day(pm[0], pm[1], last(pm[0], pm[1]))],
    ['Quý này', day(y, q0, 1), today],
    ['Quý trước', day(pq[0], pq[1], 1), day(pq[0], pq[1] + 2, last(pq[0], pq[1] + 2))],
    ['Năm nay', day(y, 1, 1), today],
  ];
}

// A chart from the server: SVG text parsed as SVG, checked, stripped of
// anything active, imported into the page. null when it is not an <svg>.
export function svgNode(text) {
  let doc;
  try { doc = new DOMParser().parseFromString(String(text || ''), 'image/svg+xml'); } catch { return null; }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== 'http://www.w3.org/2000/svg' || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  for (const el of [...root.querySelectorAll('script, foreignObject, iframe, image, animate, set')]) el.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) if (/^on/i.test(a.name) || a.name === 'style' || /href$/i.test(a.name)) el.removeAttribute(a.name);
  }
  const svg = document.importNode(root, true);
  if (!svg.getAttribute('role')) svg.setAttribute('role', 'img');
  return svg;
}
const chartFig = (c) => { const s = c && svgNode(c.svg); return s ? h('figure', { cls: 'rpt-chart', 'data-chart': c.key }, s) : null; };

// The query string of a report's request (and of its exports).
function qs(st, extra = {}) {
  const p = new URLSearchParams({ from: st.from, to: st.to });
  if (st.tab === 'ii06a' && st.by) p.set('by', st.by);
  for (const [k, v] of Object.entries(extra)) if (v != null) p.set(k, v);
  return p.toString();
}

export async function reportsScreen(view, q) {
  const st = { tab: TABS.some(([k]) => k === q.get('tab')) ? q.get('tab') : 'ii06a', from: q.get('from') || '', to: q.get('to') || '', by: q.get('by') || '' };
  const bys = isHub() ? BY_HUB : BY_NODE;
  if (st.by && !bys.some(([k]) => k === st.by)) st.by = '';
  const href = (o) => {
    const n = { ...st, ...o }, p = new URLSearchParams({ tab: n.tab });
    if (n.from) p.set('from', n.from);
    if (n.to) p.set('to', n.to);
    if (n.by) p.set('by', n.by);
    return '#/bao-cao?' + p;
  };
  const go = (o) => { location.hash = href(o); };
  const path = st.tab === '766' ? '766' : st.tab;
  const r = await api('GET', `/reports/${path}?${qs(st)}`);
  st.from = r.from; st.to = r.to;
  if (st.tab === 'ii06a') st.by = r.by;
  const today = (r.as_of || '').slice(0, 10) || isoDay(now());

  // The period: quick choices and two dates.
  const from = dateInput('from', st.from), to = dateInput('to', st.to);
  const ff = field('Từ ngày', from), ft = field('Đến ngày', to);
  const quick = h('div', { cls: 'rpt-quick', role: 'group', 'aria-label': 'Chọn nhanh kỳ báo cáo' },
    periods(today).map(([label, a, b]) => h('button', { type: 'button', 'aria-pressed': String(a === st.from && b === st.to),
      onclick: () => go({ from: a, to: b }) }, label)));
  const ok = h('button', { type: 'submit', cls: 'primary' }, 'Xem báo cáo');
  const form = h('form', { cls: 'card rpt-period no-print', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    ff.setError(''); ft.setError('');
    const a = readDate(from.value), b = readDate(to.value);
    if (!a) { ff.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); from.focus(); return; }
    if (!b) { ft.setError('Ngày không đúng, viết theo dạng dd/mm/yyyy.'); to.focus(); return; }
    if (b < a) { ft.setError('Ngày cuối phải từ ngày đầu trở về sau.'); to.focus(); return; }
    busy(ok, true);
    go({ from: a, to: b });
  } }, quick, h('div', { cls: 'row rpt-dates' }, ff, ft, h('div', { cls: 'fld rpt-go' }, ok)));

  const tabs = h('div', { cls: 'rpt-tabs no-print', role: 'tablist', 'aria-label': 'Loại báo cáo' },
    TABS.map(([k, label]) => h('a', { role: 'tab', id: 'tab-' + k, href: href({ tab: k }), 'aria-selected': String(k === st.tab), 'aria-controls': 'rpt-panel',
      'data-tab': k }, label)));
  const panel = h('section', { cls: 'rpt-panel', id: 'rpt-panel', role: 'tabpanel', 'aria-labelledby': 'tab-' + st.tab });
  const t = r.table || {};
  clear(view, h('div', { cls: 'rpt' },
    h('h1', { cls: 'no-print' }, 'Báo cáo thống kê'),
    form, tabs,
    h('header', { cls: 'rpt-head' },
      t.form ? h('p', { cls: 'rpt-form' }, t.form) : null,
      h('h2', { cls: 'rpt-title' }, t.title || TABS.find(([k]) => k === st.tab)[1]),
      (t.subtitle || [`Kỳ báo cáo: từ ngày ${vnDate(r.from)} đến ngày ${vnDate(r.to)}`, 'Đơn vị: ' + r.scope.name]).map((s) => h('p', { cls: 'rpt-sub' }, s)),
      h('p', { cls: 'rpt-asof meta' }, 'Số liệu lúc ' + fmtDT(r.as_of))),
    panel));
  const draw = { ii06a: drawII06a, 766: draw766, trend: drawTrend }[st.tab];
  draw(panel, r, st, { bys, go });
}

// The export links (the session cookie goes along with a plain link).
function exports(name, st) {
  const q = qs(st);
  return h('div', { cls: 'actions rpt-exports no-print' },
    h('a', { cls: 'btn', id: 'xlsx', href: `/api/v1/reports/${name}.xlsx?${q}`, download: `bao-cao-${name}-${st.from}-${st.to}.xlsx` }, 'Tải Excel (.xlsx)'),
    h('a', { cls: 'btn', id: 'csv', href: `/api/v1/reports/${name}.csv?${q}`, download: `bao-cao-${name}-${st.from}-${st.to}.csv` }, 'Tải CSV'),
    h('button', { type: 'button', onclick: () => window.print() }, 'In báo cáo'));
}

// ---- the dossiers behind a number ----
function drillBox() {
  return h('section', { cls: 'panel rpt-drill', id: 'rpt-drill', 'aria-live': 'polite', hidden: true });
}
async function drill(box, name, st, params, title) {
  box.hidden = false;
  clear(box, h('p', { cls: 'loading' }, 'Đang tải danh sách hồ sơ…'));
  box.scrollIntoView({ block: 'nearest' });
  let d;
  try { d = await api('GET', `/reports/${name}/dossiers?${qs(st, params)}`); } catch (e) { clear(box, msgBox('err', errText(e))); return; }
  const link = (code) => (isHub() ? '#/tinh/ho-so/' : '#/ho-so/') + encodeURIComponent(code);
  const result = (x) => (x.timeliness ? TIMELY[x.timeliness] : x.finished_at ? '—' : x.overdue ? 'Đang giải quyết, quá hạn' : 'Đang giải quyết');
  const table = h('table', { cls: 'list compact rpt-dlist' },
    h('caption', { cls: 'vh' }, title),
    h('thead', null, h('tr', null, th('STT'), th('Mã hồ sơ'), th('Thủ tục'), th('Kênh'), th('Người xử lý'), th('Tiếp nhận'), th('Hạn giải quyết'), th('Hoàn thành'), th('Kết quả'))),
    h('tbody', null, d.items.map((x, i) => h('tr', { 'data-code': x.code },
      h('td', { cls: 'num' }, String(i + 1)),
      h('td', { cls: 'mono nowrap' }, h('a', { href: link(x.code) }, x.code)),
      h('td', null, x.procedure_name || x.procedure),
      h('td', { cls: 'nowrap' }, CHANNEL[x.channel] || x.channel || '—'),
      h('td', null, x.assignee ? staffName(x.assignee) : '—'),
      h('td', { cls: 'nowrap' }, fmtDT(x.received_at)),
      h('td', { cls: 'nowrap' }, fmtDT(x.due_legal)),
      h('td', { cls: 'nowrap' }, x.finished_at ? fmtDT(x.finished_at) : '—'),
      h('td', { cls: 'rs rs-' + (x.timeliness || (x.overdue ? 'late' : 'none')) }, result(x))))));
  const close = h('button', { type: 'button', cls: 'linkish no-print', onclick: () => { box.hidden = true; clear(box); } }, 'Đóng danh sách');
  const head = h('h3', { tabindex: '-1' }, title);
  clear(box, h('div', { cls: 'rpt-dhead' }, head, close),
    d.truncated ? msgBox('info', `Có ${nf(d.total)} hồ sơ; danh sách hiện ${nf(d.items.length)} hồ sơ đầu.`) : null,
    d.items.length ? [h('div', { cls: 'actions no-print' }, csvButton(() => table, `ho-so-${name}-${st.from}-${st.to}`)), h('div', { cls: 'tablewrap' }, table)]
      : h('p', { cls: 'empty' }, 'Không có hồ sơ nào.'));
  head.focus({ preventScroll: true });
  box.scrollIntoView({ block: 'start' });
}

// A number that opens its dossiers.
function numBtn(n, label, onclick) {
  return h('button', { type: 'button', cls: 'rpt-n' + (n ? '' : ' zero'), 'aria-label': `${nf(n)} hồ sơ: ${label}`, onclick }, nf(n));
}

// ---- Biểu II.06a ----
function drawII06a(panel, r, st, { bys, go }) {
  const t = r.table, cols = r.columns;
  const byLabel = (bys.find(([k]) => k === r.by) || [null, ''])[1];
  const drillEl = drillBox();
  const low = (t) => t.charAt(0).toLowerCase() + t.slice(1);
  const colName = (c) => (c.label === 'Tổng số' ? `${GROUP[c.group]}, tổng số`
    : c.key.startsWith('new_') ? 'Số mới tiếp nhận ' + low(c.label)
    : c.group === 'pending' ? 'Đang giải quyết, ' + low(c.label) : c.label);
  const cell = (row, rowLabel, c) => h('td', { cls: 'num', 'data-col': c.key }, numBtn((row ? row.values : r.total)[c.key], `${rowLabel}, ${colName(c)}`,
    () => drill(drillEl, 'ii06a', st, { row: row ? row.key : '', col: c.key }, `${nf((row ? row.values : r.total)[c.key])} hồ sơ: ${rowLabel}, ${colName(c)}`)));
  const by = h('select', { name: 'by', id: 'rpt-by', value: r.by, onchange: () => go({ by: by.value }) }, bys.map(([k, l]) => h('option', { value: k }, l)));
  // The heading rows as the server laid them out (rowspans and colspans of the official form).
  const head = (t.head || []).map((row, i) => h('tr', null, row.map((c) => th(c.text, {
    colspan: c.cols > 1 ? c.cols : null, rowspan: c.rows > 1 ? c.rows : null, scope: c.cols > 1 ? 'colgroup' : 'col', cls: i === 0 && c.rows > 1 && c.text !== 'STT' ? 'lbl' : null }))));
  const table = h('table', { cls: 'list rpt-table rpt-ii06a', id: 'ii06a' },
    h('caption', { cls: 'vh' }, (t.title || 'Biểu II.06a') + ' — ' + (t.subtitle || []).join('; ')),
    h('thead', null, head, t.numbered ? h('tr', { cls: 'numbered' }, (t.columns || []).map((_, i) => h('td', null, `(${i + 1})`))) : null),
    h('tbody', null, r.rows.map((row, i) => h('tr', { 'data-key': row.key },
      h('td', { cls: 'num' }, String(i + 1)),
      h('th', { scope: 'row' }, row.label),
      cols.map((c) => cell(row, `${byLabel} ${row.label}`, c))))),
    h('tfoot', null, h('tr', { cls: 'total' }, h('td'), h('th', { scope: 'row' }, (t.total && t.total.label) || 'Tổng cộng'),
      cols.map((c) => cell(null, 'Tổng cộng', c)))));
  clear(panel,
    h('div', { cls: 'rpt-tools no-print' }, field('Thống kê theo', by), exports('ii06a', st)),
    h('p', { cls: 'sub no-print' }, 'Bấm vào một số để xem danh sách hồ sơ tạo nên số đó.'),
    r.rows.length ? h('div', { cls: 'tablewrap' }, table) : h('p', { cls: 'empty' }, 'Không có hồ sơ nào trong kỳ báo cáo.'),
    (t.notes || []).map((n) => h('p', { cls: 'rpt-note' }, 'Ghi chú: ', n)),
    drillEl,
    (r.charts || []).map(chartFig));
}

// ---- Chỉ số 766 ----
function draw766(panel, r, st) {
  const drillEl = drillBox();
  const inds = r.indicators || [];
  const part = (ind, row, key, n) => numBtn(n, `${row ? row.label + ', ' : ''}chỉ số ${ind.id}, ${key === 'numerator' ? 'tử số' : 'mẫu số'}`,
    () => drill(drillEl, '766', st, { row: row ? row.key : '', col: ind.id, part: key },
      `${nf(n)} hồ sơ: ${row ? row.label + ', ' : ''}chỉ số ${ind.id} (${key === 'numerator' ? 'tử số' : 'mẫu số'}) — ${ind.name}`));
  const total = r.total || {};
  let body;
  if (r.scope && r.scope.hub && r.rows && r.rows.length) {
    // The communes side by side: each indicator's points, its ratio under.
    const cellOf = (ind, row, v) => h('td', { cls: 'num', 'data-ind': ind.id },
      h('strong', null, pts(v.points)), h('div', { cls: 'meta' }, part(ind, row, 'numerator', v.numerator), ' / ', part(ind, row, 'denominator', v.denominator)),
      h('div', { cls: 'meta' }, pct(v.value)));
    body = h('div', { cls: 'tablewrap' }, h('table', { cls: 'list rpt-table rpt-766hub', id: 't766' },
      h('caption', null, 'Điểm từng chỉ số của các xã (tử số / mẫu số, tỷ lệ)'),
      h('thead', null, h('tr', null, th('STT'), th('Xã'), inds.map((i) => th([h('abbr', { title: i.name }, 'Chỉ số ' + i.id), h('div', { cls: 'meta' }, `(${nf(i.points_max)} điểm)`)])), th('Tổng điểm'))),
      h('tbody', null, r.rows.map((row, n) => h('tr', { 'data-key': row.key },
        h('td', { cls: 'num' }, String(n + 1)), h('th', { scope: 'row' }, row.label),
        inds.map((ind) => cellOf(ind, row, row.values[ind.id] || {})),
        h('td', { cls: 'num' }, h('strong', null, pts(row.points)))))),
      h('tfoot', null, h('tr', { cls: 'total' }, h('td'), h('th', { scope: 'row' }, 'Toàn tỉnh'),
        inds.map((ind) => cellOf(ind, null, ind)), h('td', { cls: 'num' }, h('strong', null, pts(total.points)))))));
  } else {
    // One unit's scorecard: the indicators by group, each group's points.
    const groups = r.groups || [];
    body = h('div', { cls: 'tablewrap' }, h('table', { cls: 'list rpt-table rpt-766', id: 't766' },
      h('caption', null, 'Các chỉ số tính được từ hồ sơ của đơn vị'),
      h('thead', null, h('tr', null, th('Chỉ số'), th('Tử số'), th('Mẫu số'), th('Tỷ lệ'), th('Điểm đạt / tối đa'))),
      groups.map((g) => h('tbody', { 'data-group': g.group },
        h('tr', { cls: 'grp' }, h('th', { scope: 'rowgroup', colspan: 4 }, `Nhóm ${g.group}. ${g.name}`),
          h('td', { cls: 'num' }, h('strong', null, `${pts(g.points)} / ${pts(g.computable_max)}`),
            h('div', { cls: 'meta' }, `Thang điểm chính thức của nhóm: ${nf(g.points_max)} điểm`))),
        inds.filter((i) => i.group === g.group).map((ind) => h('tr', { 'data-ind': ind.id },
          h('th', { scope: 'row', cls: 'ind' }, h('span', { cls: 'ind-id' }, ind.id), ' ', ind.name, h('div', { cls: 'meta ind-src' }, ind.source)),
          h('td', { cls: 'num', 'data-part': 'numerator' }, part(ind, null, 'numerator', ind.numerator)),
          h('td', { cls: 'num', 'data-part': 'denominator' }, part(ind, null, 'denominator', ind.denominator)),
          h('td', { cls: 'num' }, pct(ind.value)),
          h('td', { cls: 'num' }, `${pts(ind.points)} / ${pts(ind.points_max)}`))))),
      h('tfoot', null, h('tr', { cls: 'total' }, h('th', { scope: 'row', colspan: 4 }, 'Tổng cộng'),
        h('td', { cls: 'num', id: 't766-total' }, h('strong', null, `${pts(total.points)} / ${pts(total.computable_max)}`))))));
  }
  clear(panel,
    h('div', { cls: 'rpt-tools no-print' }, exports('766', st)),
    h('p', { cls: 'sub no-print' }, 'Bấm vào tử số hoặc mẫu số để xem danh sách hồ sơ.'),
    body,
    ((r.table && r.table.notes) || []).map((n) => h('p', { cls: 'rpt-note' }, 'Ghi chú: ', n)),
    drillEl,
    (r.charts || []).map(chartFig));
}

// ---- the 12 months ----
function drawTrend(panel, r, st) {
  const t = r.table || {};
  const fmt = (v, type) => (type === 'percent' ? pct(v) : type === 'number' ? pts(v) : type === 'int' ? nf(v) : v ?? '');
  const table = h('table', { cls: 'list rpt-table rpt-trend', id: 'trend' },
    h('caption', { cls: 'vh' }, t.title || 'Diễn biến 12 tháng'),
    h('thead', null, (t.head || []).map((row) => h('tr', null, row.map((c) => th(c.text, { colspan: c.cols > 1 ? c.cols : null, rowspan: c.rows > 1 ? c.rows : null }))))),
    h('tbody', null, (t.rows || []).map((row) => h('tr', null, row.map((v, i) => (i === 0
      ? h('th', { scope: 'row' }, String(v))
      : h('td', { cls: 'num' }, fmt(v, (t.columns[i] || {}).type))))))));
  clear(panel,
    h('div', { cls: 'rpt-tools no-print' }, exports('trend', st)),
    h('p', { cls: 'sub no-print' }, 'Mười hai tháng kết thúc ở tháng của ngày cuối kỳ báo cáo.'),
    h('div', { cls: 'tablewrap' }, table),
    h('div', { cls: 'rpt-charts' }, (r.charts || []).map(chartFig)));
}
