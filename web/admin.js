// admin.js - accounts, the procedure catalog, the calendar, office hours.
import { h, clear, S, api, errText, msgBox, field, busy, fmtDT, fee, money, timeText, now, setHours, setDaysOff, ROLE, CHANNEL, UNIT } from './lib.js';

const isAdmin = () => S.me.role === 'admin';
const roleSelect = (value) => h('select', { name: 'role', value }, Object.entries(ROLE).map(([k, v]) => h('option', { value: k }, v)));

// ---- users ----
export async function usersScreen(view) {
  if (!isAdmin()) return clear(view, h('h1', null, 'Người dùng'), msgBox('err', 'Chỉ quản trị viên được quản lý tài khoản.'));
  const [r, un] = await Promise.all([api('GET', '/users'), api('GET', '/units')]);
  const units = un.units;
  const unitName = (c) => (units.find((x) => x.code === c) || { name: c }).name;
  // The node's own offices first; a department (scope province) is a hub officer's unit.
  const unitSelect = (value) => h('select', { name: 'unit', value: value || '' }, h('option', { value: '' }, '— Không thuộc đơn vị nào —'),
    h('optgroup', { label: 'Đơn vị của cơ quan' }, units.filter((x) => x.scope === 'node' && (x.active || x.code === value)).map((x) => h('option', { value: x.code }, x.name))),
    h('optgroup', { label: 'Sở, ngành của tỉnh' }, units.filter((x) => x.scope === 'province' && (x.active || x.code === value)).map((x) => h('option', { value: x.code }, x.name))));
  const flash = h('div', { 'aria-live': 'polite' });
  const edit = h('div');
  const reload = async (note) => { await usersScreen(view); if (note) clear(view.querySelector('.flash'), msgBox('ok', note)); };
  const patch = async (login, body, note, out) => {
    try { await api('PATCH', '/users/' + encodeURIComponent(login), body); await reload(note); } catch (e) { clear(out || flash, msgBox('err', errText(e))); }
  };
  function editForm(u) {
    const nm = h('input', { name: 'name', value: u.name }), rl = roleSelect(u.role);
    const em = h('input', { name: 'email', type: 'email', value: u.email || '', autocomplete: 'off', spellcheck: 'false' });
    const us = unitSelect(u.unit);
    const self = u.login === S.me.login; // one's own role stays (the node keeps an administrator)
    if (self) rl.disabled = true;
    const pw = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
    const fpw = field('Mật khẩu mới (để trống nếu không đổi)', pw, 'Ít nhất 8 ký tự.');
    const out = h('div', { 'aria-live': 'polite' });
    const f = h('form', { cls: 'card inner', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const body = {};
      if (nm.value.trim() && nm.value.trim() !== u.name) body.name = nm.value.trim();
      if (rl.value !== u.role) body.role = rl.value;
      if (em.value.trim() !== (u.email || '')) body.email = em.value.trim();
      if (us.value !== (u.unit || '')) body.unit = us.value;
      if (pw.value) { if (pw.value.length < 8) { fpw.setError('Mật khẩu phải có ít nhất 8 ký tự.'); pw.focus(); return; } body.password = pw.value; }
      if (!Object.keys(body).length) { clear(out, msgBox('info', 'Không có gì thay đổi.')); return; }
      patch(u.login, body, `Đã lưu tài khoản ${u.login}${body.password ? ' (đã đặt lại mật khẩu)' : ''}.`, out);
    } }, h('h3', null, 'Sửa tài khoản ', u.login),
    h('div', { cls: 'grid g4' }, field('Họ và tên', nm), field('Vai trò', rl, self ? 'Không tự đổi vai trò của mình được.' : null),
      field('Đơn vị', us), field('Thư điện tử', em, 'Nhận bản tin hằng ngày qua thư điện tử (để trống nếu không).'), fpw), out,
    h('div', { cls: 'actions' }, h('button', { type: 'submit', cls: 'primary' }, 'Lưu'), h('button', { type: 'button', onclick: () => clear(edit) }, 'Huỷ')));
    clear(edit, f);
    nm.focus();
  }
  const table = h('div', { cls: 'tablewrap' }, h('table', { cls: 'list' },
    h('thead', null, h('tr', null, ['Tên đăng nhập', 'Họ và tên, đơn vị', 'Vai trò', 'Trạng thái', 'Ngày tạo', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.items.map((u) => h('tr', { 'data-login': u.login },
      h('td', { cls: 'mono' }, u.login), h('td', null, u.name, u.unit ? h('div', { cls: 'hint' }, unitName(u.unit)) : null),
      h('td', null, u.role_label || ROLE[u.role]),
      h('td', null, h('span', { cls: 'badge ' + (u.disabled ? 'st-stopped' : 'st-returned') }, u.disabled ? 'Đã khoá' : 'Đang hoạt động')),
      h('td', { cls: 'nowrap' }, fmtDT(u.created_at)),
      h('td', { cls: 'nowrap' },
        h('button', { type: 'button', cls: 'small', onclick: () => editForm(u) }, 'Sửa / đặt lại mật khẩu'), ' ',
        u.login === S.me.login ? null : h('button', { type: 'button', cls: 'small' + (u.disabled ? '' : ' danger'),
          onclick: () => patch(u.login, { disabled: !u.disabled }, `${u.disabled ? 'Đã mở khoá' : 'Đã khoá'} tài khoản ${u.login}.`) }, u.disabled ? 'Mở khoá' : 'Khoá')))))));
  // New account.
  const lg = h('input', { name: 'login', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const nm = h('input', { name: 'name', autocomplete: 'off' }), rl = roleSelect('reception');
  const pw = h('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const em = h('input', { name: 'email', type: 'email', autocomplete: 'off', spellcheck: 'false' });
  const us = unitSelect('');
  const F = { lg: field('Tên đăng nhập *', lg, 'Chữ thường không dấu, số, dấu chấm, gạch: 2–32 ký tự.'), nm: field('Họ và tên *', nm), rl: field('Vai trò', rl), us: field('Đơn vị', us), pw: field('Mật khẩu *', pw, 'Ít nhất 8 ký tự.'), em: field('Thư điện tử', em, 'Không bắt buộc: để nhận bản tin hằng ngày.') };
  const out = h('div', { 'aria-live': 'polite' });
  const add = h('button', { type: 'submit', cls: 'primary' }, 'Tạo tài khoản');
  const form = h('form', { cls: 'card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    Object.values(F).forEach((f) => f.setError(''));
    const bad = [[!/^[a-z0-9._-]{2,32}$/.test(lg.value.trim()), F.lg, lg, 'Tên đăng nhập gồm 2–32 ký tự a-z, 0-9, “.”, “_”, “-”.'],
      [!nm.value.trim(), F.nm, nm, 'Nhập họ và tên.'], [pw.value.length < 8, F.pw, pw, 'Mật khẩu phải có ít nhất 8 ký tự.']].filter((x) => x[0]);
    bad.forEach(([, f, , m]) => f.setError(m));
    if (bad.length) { bad[0][2].focus(); return; }
    busy(add, true);
    try {
      const body = { login: lg.value.trim(), name: nm.value.trim(), role: rl.value, password: pw.value };
      if (em.value.trim()) body.email = em.value.trim();
      if (us.value) body.unit = us.value;
      await api('POST', '/users', body);
      await reload(`Đã tạo tài khoản ${lg.value.trim()}.`);
    } catch (err) { busy(add, false); clear(out, msgBox('err', errText(err))); }
  } }, h('h2', null, 'Thêm tài khoản'), h('div', { cls: 'grid g4' }, F.lg, F.nm, F.rl, F.us, F.pw, F.em), out, h('div', { cls: 'actions' }, add));
  clear(view, h('h1', null, 'Người dùng'), h('div', { cls: 'flash' }, flash), table, edit, form, unitsCard(units, reload));
}

// ---- units: the node's offices and the province's departments ----
function unitsCard(units, reload) {
  const out = h('div', { 'aria-live': 'polite' });
  const save = async (code, body, note) => {
    try { await api('PUT', '/units/' + encodeURIComponent(code), body); await reload(note); } catch (e) { clear(out, msgBox('err', errText(e))); }
  };
  const row = (u) => {
    const nm = h('input', { name: 'unit_name_' + u.code, value: u.name, 'aria-label': 'Tên đơn vị ' + u.code });
    return h('tr', { 'data-unit': u.code, cls: u.active ? '' : 'muted' },
      h('td', { cls: 'mono' }, u.code, u.active ? null : h('div', { cls: 'hint' }, 'Ngừng hoạt động')), h('td', null, nm), h('td', { cls: 'mono' }, u.abbr),
      h('td', { cls: 'nowrap' },
        h('button', { type: 'button', cls: 'small', onclick: () => save(u.code, { name: nm.value.trim() }, `Đã đổi tên đơn vị ${u.code}.`) }, 'Lưu tên'), ' ',
        h('button', { type: 'button', cls: 'small' + (u.active ? ' danger' : ''), onclick: () => save(u.code, { active: !u.active }, `${u.active ? 'Đã ngừng' : 'Đã mở lại'} đơn vị ${u.code}.`) }, u.active ? 'Ngừng' : 'Mở lại')));
  };
  const table = (scope, caption) => h('div', { cls: 'tablewrap' }, h('table', { cls: 'list' }, h('caption', null, caption),
    h('thead', null, h('tr', null, ['Mã', 'Tên', 'Viết tắt', 'Thao tác'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, units.filter((u) => u.scope === scope).map(row))));
  const cd = h('input', { name: 'unit_code', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' });
  const nm = h('input', { name: 'unit_name', autocomplete: 'off' });
  const ab = h('input', { name: 'unit_abbr', autocomplete: 'off', spellcheck: 'false' });
  const sc = h('select', { name: 'unit_scope' }, h('option', { value: 'node' }, 'Đơn vị của cơ quan'), h('option', { value: 'province' }, 'Sở, ngành của tỉnh'));
  const F = { cd: field('Mã đơn vị *', cd, 'Chữ in hoa không dấu và số, tối đa 16 ký tự (ví dụ TP).'), nm: field('Tên đơn vị *', nm), ab: field('Tên viết tắt *', ab, 'Dùng trong ký hiệu văn bản (ví dụ …/UBND-VP).'), sc: field('Phạm vi', sc) };
  const form = h('form', { cls: 'inner', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    Object.values(F).forEach((f) => f.setError(''));
    const code = cd.value.trim().toUpperCase();
    const bad = [[!/^[A-Z0-9]{1,16}$/.test(code), F.cd, cd, 'Mã gồm 1–16 chữ in hoa không dấu hoặc chữ số.'], [!nm.value.trim(), F.nm, nm, 'Nhập tên đơn vị.'], [!ab.value.trim(), F.ab, ab, 'Nhập tên viết tắt.']].filter((x) => x[0]);
    bad.forEach(([, f, , m]) => f.setError(m));
    if (bad.length) { bad[0][2].focus(); return; }
    save(code, { name: nm.value.trim(), abbr: ab.value.trim(), scope: sc.value }, `Đã thêm đơn vị ${code}.`);
  } }, h('h3', null, 'Thêm đơn vị'), h('div', { cls: 'grid g4' }, F.cd, F.nm, F.ab, F.sc), h('div', { cls: 'actions' }, h('button', { type: 'submit', cls: 'primary' }, 'Thêm đơn vị')));
  return h('section', { cls: 'card', id: 'units' }, h('h2', null, 'Đơn vị và sở, ngành'),
    h('p', { cls: 'hint' }, 'Cán bộ thuộc một đơn vị; văn bản, công việc và kiến nghị được giao cho đơn vị. Đơn vị không xoá được, chỉ ngừng hoạt động (hồ sơ cũ vẫn hiện tên).'),
    table('node', 'Đơn vị của cơ quan'), table('province', 'Sở, ngành của tỉnh'), out, form);
}

// ---- catalog ----
export async function catalogScreen(view, q) {
  const kw = h('input', { type: 'search', name: 'q', value: q.get('q') || '', placeholder: 'Mã hoặc tên thủ tục, gõ không dấu cũng được' });
  const box = h('div', { 'aria-live': 'polite' });
  const detail = h('div');
  const max = 100;
  let seq = 0;
  async function load() {
    const my = ++seq;
    clear(box, h('p', { cls: 'loading' }, 'Đang tải…'));
    try {
      const r = await api('GET', `/procedures?limit=${max}` + (kw.value.trim() ? '&q=' + encodeURIComponent(kw.value.trim()) : ''));
      if (my !== seq) return; // a newer search is on its way
      if (!r.items.length) return clear(box, h('p', { cls: 'empty' }, 'Không có thủ tục nào khớp.'));
      clear(box, h('p', { cls: 'sub' }, r.total > max ? `${r.total} thủ tục, hiển thị ${max} đầu tiên — gõ thêm để thu hẹp.` : `${r.total} thủ tục.`),
        h('div', { cls: 'tablewrap' }, h('table', { cls: 'list' },
          h('thead', null, h('tr', null, ['Mã', 'Tên thủ tục', 'Lĩnh vực', 'Thời hạn (trực tiếp)', 'Phí, lệ phí'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, r.items.map((p) => {
            const c = p.channels.find((x) => x.channel === 'direct') || p.channels[0] || {};
            return h('tr', null, h('td', { cls: 'mono' }, p.code),
              h('td', null, h('button', { type: 'button', cls: 'linkish left', onclick: () => show(p.code) }, p.name), p.complete ? null : [' ', h('span', { cls: 'badge st-supplement' }, 'Thiếu thông tin')]),
              h('td', null, p.field), h('td', null, timeText(c.time, c.unit, c.time_text)), h('td', null, fee(c.fee)));
          })))));
    } catch (e) { clear(box, msgBox('err', errText(e))); }
  }
  async function show(code) {
    clear(detail, h('p', { cls: 'loading' }, 'Đang tải…'));
    try {
      const p = await api('GET', '/procedures/' + encodeURIComponent(code));
      const x = h('button', { type: 'button', onclick: () => { clear(detail); kw.focus(); } }, 'Đóng');
      const title = h('h2', { tabindex: '-1' }, p.name);
      const more = (label, ...body) => h('details', null, h('summary', null, label), ...body);
      const comps = (p.components || []).map((c) => h('li', null, c.name, h('span', { cls: 'sub' }, ' — ', c.quantity || '')));
      clear(detail, h('section', { cls: 'panel detail', 'aria-label': p.name }, h('div', { cls: 'row between' }, title, x),
        h('dl', { cls: 'kv' }, [['Mã', p.code], ['Lĩnh vực', p.field], ['Cấp thực hiện', p.level], ['Cơ quan thực hiện', p.agency], ['Đối tượng', p.subjects], ['Kết quả', (p.result || {}).name], ['Phiên bản', p.version]]
          .filter(([, v]) => v).map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
        h('h3', null, 'Cách thức thực hiện'),
        h('table', { cls: 'list compact' }, h('tbody', null, (p.channels || []).map((c) => h('tr', null, h('td', null, CHANNEL[c.channel] || c.channel), h('td', null, timeText(c.time, c.unit, c.time_text)), h('td', null, fee(c.fee)))))),
        comps.length > 8 ? more(`Thành phần hồ sơ (${comps.length})`, h('ol', null, comps)) : [h('h3', null, 'Thành phần hồ sơ'), h('ol', null, comps)],
        p.steps ? more('Trình tự thực hiện', h('p', { cls: 'pre' }, p.steps)) : null,
        p.legal_basis ? more('Căn cứ pháp lý', h('p', { cls: 'pre' }, p.legal_basis)) : null));
      title.focus();
    } catch (e) { clear(detail, msgBox('err', errText(e))); }
  }
  const search = h('form', { cls: 'card', role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } },
    h('div', { cls: 'row' }, field('Tìm thủ tục', kw), h('button', { type: 'submit', cls: 'primary' }, 'Tìm')));
  clear(view, h('h1', null, 'Danh mục thủ tục hành chính'), search, detail, box, isAdmin() ? importForm({
    title: 'Nhập danh mục từ tệp', accept: '.jsonl,.ndjson,.json,application/x-ndjson', type: 'application/x-ndjson', path: '/catalog/import',
    hint: 'Tệp JSON lines (mỗi dòng một thủ tục, định dạng motcua-catalog/1 hoặc dữ liệu Cổng DVC quốc gia), tối đa 16 MB.',
    done: (r) => h('table', { cls: 'list compact stats' }, h('tbody', null, [['Tổng số dòng', r.total], ['Đầy đủ thông tin', r.full], ['Thiếu một phần', r.partial], ['Bị từ chối', r.rejected], ['Thêm mới', r.created], ['Cập nhật', r.updated]]
      .map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', { cls: 'num' }, String(v)))))),
    after: load,
  }) : null);
  if (kw.value) load(); else clear(box, h('p', { cls: 'hint' }, 'Nhập từ khoá rồi bấm Tìm, hoặc bấm Tìm để xem toàn bộ danh mục.'));
}

// An upload form: a file, optional extra fields, the result.
export function importForm({ title, accept, type, path, hint, extra, query, done, after, button = 'Nhập tệp', okText = (f) => 'Đã nhập xong tệp ' + f.name + '.', check }) {
  const chosen = h('span', { cls: 'fname' }, 'Chưa chọn tệp');
  const file = h('input', { type: 'file', name: 'file', accept, cls: 'vh', onchange: () => { chosen.textContent = file.files[0] ? file.files[0].name : 'Chưa chọn tệp'; } });
  const out = h('div', { 'aria-live': 'polite' });
  const b = h('button', { type: 'submit', cls: 'primary' }, button);
  const ff = field('Tệp', file, hint);
  ff.querySelector('label').after(h('label', { for: file.id, cls: 'btn filebtn', 'aria-hidden': 'true' }, 'Chọn tệp…'), ' ', chosen);
  return h('form', { cls: 'card', novalidate: true, 'data-import': path, onsubmit: async (e) => {
    e.preventDefault();
    ff.setError('');
    clear(out);
    const f = file.files[0];
    if (!f) { ff.setError('Chưa chọn tệp.'); file.focus(); return; }
    if (f.size > 16 * 1024 * 1024) { ff.setError('Tệp lớn hơn 16 MB.'); return; }
    const bad = check && check();
    if (bad) { clear(out, msgBox('err', bad)); return; }
    busy(b, true);
    clear(out, h('p', { cls: 'loading' }, 'Đang nhập…'));
    try {
      const r = await api('POST', path + (query ? query() : ''), await f.text(), type);
      clear(out, msgBox('ok', okText(f, r)), done(r));
      if (after) after(r);
    } catch (err) { clear(out, msgBox('err', errText(err))); }
    busy(b, false);
  } }, h('h2', null, title), ff, extra || null, h('div', { cls: 'actions' }, b), out);
}

// ---- calendar ----
const WD = ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
export async function calendarScreen(view, q) {
  const cur = new Date(now() + 7 * 3600e3).getUTCFullYear();
  const year = Math.min(2100, Math.max(2000, parseInt(q.get('nam'), 10) || cur));
  const r = await api('GET', '/calendar/days-off?year=' + year);
  setDaysOff(year, r.days_off);
  const off = new Set(r.days_off);
  const months = [];
  for (let m = 0; m < 12; m++) {
    const first = new Date(Date.UTC(year, m, 1)), days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
    const lead = (first.getUTCDay() + 6) % 7, cells = [];
    for (let i = 0; i < lead; i++) cells.push(h('td', { cls: 'pad' }));
    for (let d = 1; d <= days; d++) {
      const iso = `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const wd = (lead + d - 1) % 7, we = wd >= 5, isOff = off.has(iso);
      const cls = isOff ? (we ? 'off-we' : 'off-hol') : (we ? 'work-we' : '');
      const what = isOff ? (we ? 'nghỉ cuối tuần' : 'ngày nghỉ lễ, Tết') : (we ? 'ngày làm bù' : 'ngày làm việc');
      cells.push(h('td', { cls, title: `${d}/${m + 1}/${year}: ${what}`, 'aria-label': `${d}/${m + 1}: ${what}` }, String(d)));
    }
    const rows = [];
    for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', null, cells.slice(i, i + 7)));
    months.push(h('table', { cls: 'month' }, h('caption', null, 'Tháng ' + (m + 1)),
      h('thead', null, h('tr', null, WD.map((w) => h('th', { scope: 'col' }, w)))), h('tbody', null, rows)));
  }
  const holidays = r.days_off.filter((d) => { const w = new Date(d + 'T00:00:00Z').getUTCDay(); return w !== 0 && w !== 6; });
  const add = h('input', { type: 'checkbox', id: 'cal-add', name: 'add' });
  clear(view,
    h('h1', null, 'Lịch làm việc năm ', String(year)),
    h('div', { cls: 'row' },
      h('a', { cls: 'btn', href: '#/quan-tri/lich?nam=' + (year - 1) }, '‹ Năm ' + (year - 1)),
      h('a', { cls: 'btn', href: '#/quan-tri/lich?nam=' + (year + 1) }, 'Năm ' + (year + 1) + ' ›'),
      h('span', { cls: 'sub' }, `${r.days_off.length} ngày nghỉ, trong đó ${holidays.length} ngày nghỉ lễ, Tết rơi vào ngày thường.`,
        r.scheduled ? '' : ' Chưa có lịch nghỉ do Chính phủ công bố cho năm này: đang dùng ngày nghỉ theo Bộ luật Lao động.')),
    h('ul', { cls: 'legend' }, h('li', null, h('span', { cls: 'sw off-hol' }), 'Nghỉ lễ, Tết'), h('li', null, h('span', { cls: 'sw off-we' }), 'Nghỉ cuối tuần'),
      h('li', null, h('span', { cls: 'sw work-we' }), 'Thứ bảy, chủ nhật làm bù'), h('li', null, h('span', { cls: 'sw' }), 'Ngày làm việc')),
    h('div', { cls: 'months' }, months),
    isAdmin() ? importForm({
      title: 'Nhập lịch nghỉ từ tệp CSV', accept: '.csv,text/csv', type: 'text/csv', path: '/calendar/import',
      hint: 'Cột: date,weekday,status,civil_servant_working_day,occasion,source (như tệp holidays-2024-2026.csv).',
      extra: h('div', { cls: 'fld chk' }, add, h('label', { for: 'cal-add' }, 'Bổ sung vào lịch hiện có (không thay thế lịch của các năm trong tệp)')),
      query: () => '?add=' + add.checked,
      done: (x) => h('p', null, 'Các năm đã cập nhật: ' + x.years.join(', ') + '.'),
      after: (x) => { if (x.years.includes(year)) setTimeout(() => calendarScreen(view, q).then(() => clear(view.querySelector('[data-import] [aria-live]'), msgBox('ok', 'Đã nhập lịch cho các năm: ' + x.years.join(', ') + '.'))), 0); },
    }) : null);
}

// ---- office hours ----
export async function hoursScreen(view) {
  const s = await api('GET', '/settings');
  const oh = h('input', { name: 'office_hours', value: s.office_hours, disabled: !isAdmin() });
  const cut = h('input', { name: 'cutoff', value: s.cutoff, disabled: !isAdmin(), inputmode: 'numeric' });
  const F1 = field('Giờ làm việc', oh, 'Các khoảng giờ cách nhau dấu phẩy, ví dụ 07:00-11:30,13:30-17:00.');
  const F2 = field('Giờ chốt nhận hồ sơ trả trong ngày', cut, 'Hồ sơ giải quyết “trong ngày” nhận trước giờ này được trả trong ngày; nhận sau thì trả vào ngày làm việc tiếp theo.');
  const out = h('div', { 'aria-live': 'polite' });
  const b = h('button', { type: 'submit', cls: 'primary' }, 'Lưu');
  clear(view, h('h1', null, 'Giờ làm việc'),
    h('form', { cls: 'card narrow', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      F1.setError(''); F2.setError(''); clear(out);
      const o = oh.value.replace(/\s+/g, ''), c = cut.value.trim();
      if (!/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d(,([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)*$/.test(o)) { F1.setError('Viết theo dạng 07:00-11:30,13:30-17:00.'); oh.focus(); return; }
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(c)) { F2.setError('Viết theo dạng giờ:phút, ví dụ 15:00.'); cut.focus(); return; }
      busy(b, true);
      try {
        const r = await api('PATCH', '/settings', { office_hours: o, cutoff: c });
        S.settings = r; setHours(r.office_hours);
        oh.value = r.office_hours; cut.value = r.cutoff;
        clear(out, msgBox('ok', 'Đã lưu giờ làm việc.'));
      } catch (err) { clear(out, msgBox('err', errText(err))); }
      busy(b, false);
    } }, h('p', null, 'Cơ quan: ', h('strong', null, s.agency_name), ' (', s.agency, ')'), F1, F2, out,
    isAdmin() ? h('div', { cls: 'actions' }, b) : h('p', { cls: 'hint' }, 'Chỉ quản trị viên được thay đổi.')),
    publicUrlForm(s), isAdmin() ? await smtpForm() : null);
}

// The mail server the daily digest goes out by (docs/reports.md): admin
// only; the password is written, never shown back.
async function smtpForm() {
  const s = await api('GET', '/settings/smtp');
  const url = h('input', { name: 'smtp_url', value: s.url, autocomplete: 'off', spellcheck: 'false', placeholder: 'smtps://mail.tenxa.gov.vn:465' });
  const user = h('input', { name: 'smtp_user', value: s.user, autocomplete: 'off', spellcheck: 'false' });
  const pass = h('input', { name: 'smtp_password', type: 'password', autocomplete: 'new-password', placeholder: s.password_set ? '(đã đặt, để trống nếu không đổi)' : '' });
  const from = h('input', { name: 'smtp_from', type: 'email', value: s.from, autocomplete: 'off', spellcheck: 'false', placeholder: 'motcua@tenxa.gov.vn' });
  const F = field('Máy chủ thư (SMTP)', url, 'smtps://máy-chủ:465 (mã hoá); để trống để tắt gửi thư.');
  const out = h('div', { 'aria-live': 'polite' });
  const b = h('button', { type: 'submit', cls: 'primary' }, 'Lưu máy chủ thư');
  return h('form', { cls: 'card narrow', id: 'smtp', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    F.setError(''); clear(out);
    const u = url.value.trim();
    if (u && !/^smtps?:\/\/[^\s/?#]+$/i.test(u)) { F.setError('Viết dạng smtps://máy-chủ:cổng, ví dụ smtps://mail.tenxa.gov.vn:465'); url.focus(); return; }
    const body = { url: u, user: user.value.trim(), from: from.value.trim() };
    if (pass.value) body.password = pass.value;
    busy(b, true);
    try {
      const r = await api('PUT', '/settings/smtp', body);
      pass.value = ''; pass.placeholder = r.password_set ? '(đã đặt, để trống nếu không đổi)' : '';
      clear(out, msgBox('ok', r.url ? 'Đã lưu máy chủ thư: bản tin hằng ngày sẽ được gửi qua thư điện tử.' : 'Đã tắt gửi thư điện tử.'));
    } catch (err) { clear(out, msgBox('err', errText(err))); }
    busy(b, false);
  } }, h('h2', null, 'Gửi bản tin hằng ngày qua thư điện tử'), F, field('Tài khoản', user), field('Mật khẩu', pass), field('Địa chỉ gửi', from), out,
  h('div', { cls: 'actions' }, b));
}

// The centre's public address, printed on receipts as the look-up address
// (issue 10): an absolute http(s) address; unset, the address the officer
// opened the page at is printed, which citizens may not reach.
function publicUrlForm(s) {
  const inp = h('input', { name: 'public_url', type: 'url', value: s.public_url || '', disabled: !isAdmin(), autocomplete: 'off', placeholder: 'https://motcua.tenxa.gov.vn', spellcheck: 'false' });
  const F = field('Địa chỉ công khai của trung tâm', inp, 'In trên giấy tiếp nhận làm địa chỉ tra cứu hồ sơ. Để trống để bỏ.');
  const out = h('div', { 'aria-live': 'polite' }, s.public_url ? null
    : msgBox('warn', 'Chưa đặt địa chỉ công khai: phiếu in ra đang dùng địa chỉ máy cán bộ đang mở (' + location.origin + '), người dân có thể không truy cập được.'));
  const b = h('button', { type: 'submit', cls: 'primary' }, 'Cập nhật địa chỉ');
  return h('form', { cls: 'card narrow', id: 'public-url', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    F.setError(''); clear(out);
    const v = inp.value.trim();
    if (v && !/^https?:\/\/[^\s/?#:][^\s?#]*$/i.test(v)) { F.setError('Nhập địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://, ví dụ https://motcua.tenxa.gov.vn'); inp.focus(); return; }
    busy(b, true);
    try {
      const r = await api('PATCH', '/settings', { public_url: v });
      S.settings = r; inp.value = r.public_url || '';
      clear(out, msgBox('ok', r.public_url ? 'Đã lưu địa chỉ công khai.' : 'Đã bỏ địa chỉ công khai.'));
    } catch (err) { clear(out, msgBox('err', errText(err))); }
    busy(b, false);
  } }, h('h2', null, 'Địa chỉ tra cứu in trên phiếu'), F, out,
  isAdmin() ? h('div', { cls: 'actions' }, b) : null);
}


// ---- the commune's own procedure list (danh mục TTHC của xã; docs/overlay.md) ----
const KIND = { reception: 'Tiếp nhận', specialist: 'Chuyên viên xử lý', leader: 'Lãnh đạo ký duyệt', inter_agency: 'Cơ quan phối hợp', return: 'Trả kết quả' };
const DEFAULT_STEPS = [['Tiếp nhận hồ sơ', 'reception', 10], ['Thẩm định, xử lý', 'specialist', 60], ['Lãnh đạo ký duyệt', 'leader', 20], ['Trả kết quả', 'return', 10]];
const enabledText = (v) => (v === true ? 'Áp dụng' : v === false ? 'Không áp dụng' : 'Chưa quyết định');
const localTime = (t) => (t ? timeText(t.time, t.unit) : 'theo danh mục quốc gia');
// One text when the channels agree; else each channel's.
function timesText(times) {
  const v = ['direct', 'online', 'postal'].map((c) => localTime(times[c]));
  if (v.every((x) => x === v[0])) return v[0] === localTime(null) ? 'Theo danh mục quốc gia' : v[0];
  return v.map((x, i) => `${Object.values(CHANNEL)[i]}: ${x}`).join('; ');
}

export async function localScreen(view, q) {
  if (!isAdmin()) return clear(view, h('h1', null, 'Danh mục TTHC của xã'), msgBox('err', 'Chỉ quản trị viên được sửa danh mục thủ tục của xã.'));
  const r = await api('GET', '/local-procedures');
  const flash = h('div', { cls: 'flash', 'aria-live': 'polite' });
  const editBox = h('div', { id: 'local-edit' });
  const lastSource = (r.items.map((x) => x.source).filter((s) => /Quyết định/.test(s)).pop()) || '';
  const reload = async (note) => { await localScreen(view, q); if (note) clear(view.querySelector('.flash'), msgBox('ok', note)); };

  async function edit(code) {
    clear(editBox, h('p', { cls: 'loading' }, 'Đang tải…'));
    let p;
    try { p = await api('GET', '/procedures/' + encodeURIComponent(code)); } catch (e) { clear(editBox, msgBox('err', errText(e))); return; }
    const cur = p.local || { enabled: null, times: {}, fee: null, handling_unit: '', steps: [], source: '' };
    const en = h('select', { name: 'enabled' }, [['true', 'Áp dụng tại xã'], ['false', 'Không áp dụng'], ['', 'Chưa quyết định']].map(([v, t]) => h('option', { value: v }, t)));
    en.value = cur.enabled === true ? 'true' : cur.enabled === false ? 'false' : '';
    const natl = (ch) => (p.channels || []).find((c) => c.channel === ch);
    const timeRows = Object.keys(CHANNEL).map((ch) => {
      const t = (cur.times || {})[ch];
      const amt = h('input', { name: ch + '_time', type: 'number', min: '0', step: 'any', inputmode: 'decimal', value: t && t.unit !== 'same_day' ? String(t.time) : '', 'aria-label': 'Thời hạn ' + CHANNEL[ch] });
      const un = h('select', { name: ch + '_unit', 'aria-label': 'Đơn vị ' + CHANNEL[ch] }, h('option', { value: '' }, 'Theo danh mục quốc gia'), Object.entries(UNIT).map(([k, v]) => h('option', { value: k }, v)));
      un.value = t ? t.unit : '';
      const n = natl(ch);
      const sync = () => { amt.disabled = !un.value || un.value === 'same_day'; };
      un.addEventListener('change', sync);
      sync();
      return { ch, amt, un, row: h('tr', null, h('th', { scope: 'row' }, CHANNEL[ch]), h('td', null, h('div', { cls: 'time-in' }, amt, un)),
        h('td', { cls: 'sub' }, n ? (n.time_text || '—') : 'Không có trong danh mục')) };
    });
    const fe = h('input', { name: 'fee', type: 'number', min: '0', step: '1', inputmode: 'numeric', value: cur.fee == null ? '' : String(cur.fee) });
    const hu = h('input', { name: 'handling_unit', value: cur.handling_unit || '', placeholder: 'Ví dụ: Công chức Tư pháp - Hộ tịch' });
    const src = h('input', { name: 'source', value: cur.source || lastSource, placeholder: 'Quyết định 1234/QĐ-UBND ngày 01/07/2025' });
    const steps = h('tbody');
    const sum = h('p', { cls: 'sub', 'aria-live': 'polite' });
    const total = () => { const s = [...steps.querySelectorAll('input[name=share]')].reduce((a, i) => a + (parseInt(i.value, 10) || 0), 0); sum.textContent = `Tổng: ${s}%` + (steps.children.length && s !== 100 ? ' — phải bằng 100%.' : ''); sum.classList.toggle('err', !!steps.children.length && s !== 100); return s; };
    const stepRow = (name, kind, share) => {
      const k = h('select', { name: 'kind', 'aria-label': 'Người thực hiện' }, Object.entries(KIND).map(([v, t]) => h('option', { value: v }, t)));
      k.value = kind;
      const tr = h('tr', null, h('td', null, h('input', { name: 'step_name', value: name, 'aria-label': 'Tên bước' })), h('td', null, k),
        h('td', null, h('input', { name: 'share', type: 'number', min: '1', max: '100', step: '1', value: String(share), 'aria-label': 'Tỉ lệ thời gian (%)', oninput: total })),
        h('td', null, h('button', { type: 'button', cls: 'small', onclick: () => { tr.remove(); total(); } }, 'Bỏ')));
      steps.append(tr);
    };
    (cur.steps && cur.steps.length ? cur.steps.map((s) => [s.name, s.kind, s.share]) : []).forEach((s) => stepRow(...s));
    total();
    const F = { src: field('Căn cứ (số, ngày quyết định công bố) *', src, 'Mỗi lần thay đổi được ghi kèm căn cứ này và tăng phiên bản.'), fe: field('Phí, lệ phí (đồng)', fe, 'Để trống nếu xã chưa quy định.') };
    const out = h('div', { 'aria-live': 'polite' });
    const save = h('button', { type: 'submit', cls: 'primary' }, 'Lưu');
    const f = h('form', { cls: 'card inner', novalidate: true, 'data-code': code, onsubmit: async (e) => {
      e.preventDefault();
      F.src.setError(''); F.fe.setError(''); clear(out);
      const body = { enabled: en.value === '' ? null : en.value === 'true', times: {}, fee: fe.value === '' ? null : Number(fe.value), handling_unit: hu.value.trim(), steps: [], source: src.value.trim() };
      for (const t of timeRows) {
        if (!t.un.value) { body.times[t.ch] = null; continue; }
        if (t.un.value !== 'same_day' && !(Number(t.amt.value) > 0)) { clear(out, msgBox('err', `Nhập thời hạn (lớn hơn 0) cho hình thức ${CHANNEL[t.ch].toLowerCase()}.`)); t.amt.focus(); return; }
        body.times[t.ch] = t.un.value === 'same_day' ? { unit: 'same_day' } : { time: Number(t.amt.value), unit: t.un.value };
      }
      if (body.fee != null && !(Number.isInteger(body.fee) && body.fee >= 0)) { F.fe.setError('Phí là số đồng, không âm.'); fe.focus(); return; }
      body.steps = [...steps.children].map((tr) => ({ name: tr.querySelector('[name=step_name]').value.trim(), kind: tr.querySelector('[name=kind]').value, share: parseInt(tr.querySelector('[name=share]').value, 10) || 0 }));
      if (body.steps.length && total() !== 100) { clear(out, msgBox('err', 'Tổng tỉ lệ thời gian các bước phải bằng 100%.')); return; }
      if (body.steps.some((s) => !s.name)) { clear(out, msgBox('err', 'Đặt tên cho mỗi bước.')); return; }
      if (!body.source) { F.src.setError('Nhập căn cứ: số và ngày quyết định công bố danh mục.'); src.focus(); return; }
      busy(save, true);
      try {
        const x = await api('PUT', '/local-procedures/' + encodeURIComponent(code), body);
        await reload(`Đã lưu thủ tục ${code} (phiên bản ${x.version}).`);
      } catch (err) { busy(save, false); clear(out, msgBox('err', errText(err))); }
    } },
    h('div', { cls: 'row between' }, h('h2', { tabindex: '-1' }, p.name), h('button', { type: 'button', onclick: () => clear(editBox) }, 'Đóng')),
    h('p', { cls: 'sub' }, 'Mã ', h('span', { cls: 'mono' }, code), ' · ', p.field || '', cur.version ? ` · phiên bản ${cur.version}` : ''),
    h('div', { cls: 'grid g3' }, field('Áp dụng tại xã', en), field('Đơn vị xử lý', hu), F.fe),
    h('h3', null, 'Thời hạn giải quyết theo hình thức nộp'),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list compact' }, h('thead', null, h('tr', null, ['Hình thức', 'Thời hạn của xã', 'Danh mục quốc gia ghi'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', null, timeRows.map((t) => t.row)))),
    h('h3', null, 'Các bước xử lý và tỉ lệ thời gian'),
    h('div', { cls: 'tablewrap' }, h('table', { cls: 'list compact steps-edit' }, h('thead', null, h('tr', null, ['Bước', 'Người thực hiện', 'Tỉ lệ (%)', ''].map((t) => h('th', { scope: 'col' }, t)))), steps)),
    sum,
    h('div', { cls: 'actions wrap' },
      h('button', { type: 'button', cls: 'small', onclick: () => { stepRow('', 'specialist', 10); total(); } }, 'Thêm bước'),
      h('button', { type: 'button', cls: 'small', onclick: () => { steps.replaceChildren(); DEFAULT_STEPS.forEach((s) => stepRow(...s)); total(); } }, 'Dùng quy trình mẫu')),
    F.src, out, h('div', { cls: 'actions' }, save));
    clear(editBox, f);
    f.querySelector('h2').focus();
  }

  const review = r.review.filter((x) => x.no_time), guessed = r.review.filter((x) => x.unit_guessed && !x.no_time);
  const reviewTable = (rows, id) => h('div', { cls: 'tablewrap' }, h('table', { cls: 'list', id },
    h('thead', null, h('tr', null, ['Mã', 'Tên thủ tục', 'Lĩnh vực', 'Trong danh mục xã', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows.map((x) => h('tr', { 'data-code': x.code }, h('td', { cls: 'mono' }, x.code), h('td', null, x.name), h('td', null, x.field),
      h('td', null, x.enabled === true ? h('span', { cls: 'badge st-processing' }, 'Đang áp dụng') : 'Chưa đưa vào'),
      h('td', null, h('button', { type: 'button', cls: 'small', onclick: () => edit(x.code) }, 'Bổ sung')))))));
  const list = h('div', { cls: 'tablewrap' }, h('table', { cls: 'list', id: 'local-list' },
    h('thead', null, h('tr', null, ['Mã', 'Tên thủ tục', 'Áp dụng', 'Thời hạn (trực tiếp / trực tuyến / bưu chính)', 'Phí', 'Đơn vị xử lý', 'Căn cứ', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.items.map((x) => h('tr', { 'data-code': x.code },
      h('td', { cls: 'mono' }, x.code), h('td', null, x.name),
      h('td', null, h('span', { cls: 'badge ' + (x.enabled === true ? 'st-returned' : x.enabled === false ? 'st-stopped' : 'st-supplement') }, enabledText(x.enabled))),
      h('td', null, timesText(x.times)),
      h('td', { cls: 'num' }, x.fee == null ? '—' : money(x.fee)),
      h('td', null, x.handling_unit || '—'),
      h('td', null, h('span', { cls: 'clamp', title: x.source }, x.source), h('div', { cls: 'sub' }, 'Phiên bản ' + x.version)),
      h('td', { cls: 'nowrap' }, h('button', { type: 'button', cls: 'small', onclick: () => edit(x.code) }, 'Sửa')))))));
  const code = h('input', { name: 'code', placeholder: 'Ví dụ 2.001019', autocomplete: 'off', inputmode: 'decimal' });
  const pick = h('form', { cls: 'card', onsubmit: (e) => { e.preventDefault(); const c = code.value.trim(); if (c) edit(c); } },
    h('div', { cls: 'row' }, field('Mã thủ tục cần thêm hoặc sửa', code), h('button', { type: 'submit' }, 'Mở')));
  const exp = h('button', { type: 'button', onclick: async () => {
    try {
      const x = await api('GET', '/local-procedures/export');
      const a = h('a', { href: URL.createObjectURL(new Blob(['\ufeff' + x.csv], { type: 'text/csv' })), download: x.filename });
      document.body.append(a); a.click(); a.remove();
    } catch (err) { clear(flash, msgBox('err', errText(err))); }
  } }, 'Xuất tệp CSV');
  clear(view, h('h1', null, 'Danh mục thủ tục hành chính của xã'),
    h('p', { cls: 'sub' }, 'Thủ tục xã tiếp nhận, thời hạn, phí, đơn vị xử lý và các bước theo quyết định công bố của tỉnh, đặt chồng lên danh mục quốc gia. Quầy tiếp nhận chỉ thấy thủ tục đang áp dụng và có thời hạn.'),
    flash, editBox,
    h('section', { cls: 'panel', 'aria-labelledby': 'h-missing' }, h('h2', { id: 'h-missing' }, `Thủ tục chưa có thời hạn (${review.length})`),
      review.length ? [h('p', { cls: 'sub' }, 'Danh mục quốc gia không ghi thời hạn cho các thủ tục này nên chưa tiếp nhận được: bổ sung thời hạn theo quyết định công bố của tỉnh.'), reviewTable(review, 'local-missing')]
        : h('p', { cls: 'empty' }, 'Mọi thủ tục đều đã có thời hạn.')),
    guessed.length ? h('section', { cls: 'panel' }, h('details', null, h('summary', null, `Thủ tục có đơn vị thời hạn suy đoán (${guessed.length})`),
      h('p', { cls: 'sub' }, 'Danh mục quốc gia ghi số nhưng không ghi đơn vị; phần mềm đang tính theo ngày làm việc. Kiểm tra và ghi rõ đơn vị.'), reviewTable(guessed, 'local-guessed'))) : null,
    h('section', { cls: 'panel' }, h('div', { cls: 'row between' }, h('h2', null, `Thủ tục trong danh mục của xã (${r.items.length})`), exp), pick, list),
    importForm({
      title: 'Nhập danh mục của xã từ tệp CSV', accept: '.csv,text/csv', type: 'text/csv', path: '/local-procedures/import',
      hint: 'Cột: code, enabled, direct_time, direct_unit, online_time, online_unit, postal_time, postal_unit, fee, handling_unit, steps, source (xem docs/overlay.md). Cả tệp được nhập hoặc không dòng nào.',
      done: (x) => h('p', null, `Đã áp dụng ${x.total} dòng: ${x.changed} thay đổi, ${x.unchanged} không đổi.`),
      after: (x) => setTimeout(() => reload(`Đã nhập tệp: ${x.changed} thủ tục thay đổi.`), 0),
    }));
  const c = q.get('ma');
  if (c) edit(c);
}
