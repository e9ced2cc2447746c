// reception.js - receiving a dossier at the desk: find the procedure, tick
// its components, the applicant's details; receive (with a printable
// receipt), or ask for a supplement, or refuse with a reason.
import { h, clear, S, api, requestKey, requestDone, errText, msgBox, field, busy, fmtDT, fmtD, now, fee, timeText, CHANNEL, validPhone, tooLong, ID_TYPE, ID_LABEL, idError, taxCodeError, idLabel, formLink } from './lib.js';
import { applicantPapers, papersOffer, attachPapers } from './files.js';

// The half-filled form, kept in this tab (sessionStorage) for the signed-in
// officer: it survives a reload; a reception sent or a sign-out clears it.
const draftKey = () => 'motcua.draft.reception.' + (S.me ? S.me.login : '');
const readDraft = () => { try { return JSON.parse(sessionStorage.getItem(draftKey()) || 'null'); } catch { return null; } };
const writeDraft = (d) => { try { if (d) sessionStorage.setItem(draftKey(), JSON.stringify(d)); else sessionStorage.removeItem(draftKey()); } catch { /* storage off: nothing kept */ } };

export async function receptionScreen(view) {
  let proc = null, timer = 0, seq = 0;
  const results = h('div', { cls: 'presults', 'aria-live': 'polite' });
  const search = h('input', { type: 'search', name: 'proc-q', autocomplete: 'off', placeholder: 'Ví dụ: khai sinh, 1.000253…',
    oninput: () => { clearTimeout(timer); timer = setTimeout(find, 250); },
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); find(); } } });
  const procBox = h('div', { cls: 'procbox' });
  const pick = h('section', { cls: 'panel' }, h('h2', null, '1. Chọn thủ tục'),
    field('Tìm thủ tục theo mã hoặc tên (gõ không dấu cũng được)', search), results, procBox);

  // The picker offers only the procedures on the commune's list that have
  // a processing time, the ones this centre receives most often first
  // (GET /reception/procedures); with no words typed, the most frequent.
  async function find() {
    const q = search.value.trim(), my = ++seq;
    if (q.length === 1) { clear(results, h('p', { cls: 'hint' }, 'Gõ ít nhất 2 ký tự.')); return; }
    clear(results, h('p', { cls: 'loading' }, 'Đang tìm…'));
    try {
      const max = q ? 30 : 8;
      const r = await api('GET', `/reception/procedures?limit=${max}` + (q ? '&q=' + encodeURIComponent(q) : ''));
      if (my !== seq) return;
      if (!r.items.length) return clear(results, h('p', { cls: 'empty' }, q ? 'Không có thủ tục nào khớp “' + q + '” trong danh mục thủ tục của xã (thủ tục chưa áp dụng hoặc chưa có thời hạn không tiếp nhận được).' : 'Danh mục thủ tục của xã chưa có thủ tục nào tiếp nhận được.'));
      clear(results, h('p', { cls: 'sub' }, q ? (r.items.length === max ? `Hiển thị ${max} thủ tục khớp nhất — gõ thêm để thu hẹp.` : `Tìm thấy ${r.items.length} thủ tục.`) : 'Thủ tục thường tiếp nhận:'),
        h('ul', { cls: 'plist-pick' }, r.items.map((p) => h('li', null,
          h('button', { type: 'button', cls: 'pick', 'data-code': p.code, onclick: () => choose(p.code) },
            h('span', { cls: 'mono' }, p.code), ' ', h('span', null, p.name), h('span', { cls: 'sub' }, ' · ', p.field || '', p.received ? ` · đã nhận ${p.received} hồ sơ` : ''))))));
    } catch (e) { clear(results, msgBox('err', errText(e))); }
  }

  const comps = h('fieldset', { cls: 'checklist' });
  const chSel = h('select', { name: 'channel', onchange: () => preview() }, h('option', { value: '' }, 'Chọn thủ tục trước'));
  const due = h('p', { cls: 'sub', 'aria-live': 'polite' });
  chSel.addEventListener('change', () => renderComps());

  // The checklist for the chosen channel (issue 10 item 6): a paper the
  // catalog asks only of online (or postal) filings is not offered at the
  // desk; a paper needed only in a named case ("Trường hợp …") is listed
  // apart, as conditional, not as a required paper. Names in full.
  function renderComps() {
    if (!proc) return;
    const ch = chSel.value || 'direct';
    const all = (proc.components || []).map((c, i) => ({ ...c, i }));
    const forCh = (c) => !c.channels || c.channels.includes(ch);
    const isDoc = (c) => forCh(c) && !/lưu ý/i.test(c.group || '') && !/:\s*$/.test(c.name) && (c.originals > 0 || c.copies > 0);
    const docs = all.filter((c) => isDoc(c) && !c.conditional), cond = all.filter((c) => isDoc(c) && c.conditional);
    const other = all.filter((c) => !forCh(c)), notes = all.filter((c) => forCh(c) && !isDoc(c));
    const groups = [...new Set(docs.map((c) => c.group || ''))];
    const item = (c) => h('div', { cls: 'chk' + (c.conditional ? ' cond' : ''), 'data-required': String(!c.conditional) },
      h('input', { type: 'checkbox', id: 'comp-' + c.i, 'data-i': c.i, 'data-required': String(!c.conditional) }),
      h('label', { for: 'comp-' + c.i }, h('span', { cls: 'cname' }, c.name),
        h('span', { cls: 'sub' }, ' — ', c.quantity || `${c.originals} bản chính, ${c.copies} bản sao`)));
    clear(comps, h('legend', null, 'Thành phần hồ sơ — đánh dấu giấy tờ đã nhận'),
      all.length ? null : h('p', { cls: 'empty' }, 'Danh mục chưa ghi thành phần hồ sơ cho thủ tục này.'),
      groups.map((g) => [
        g ? h('p', { cls: 'cgroup' }, g.replace(/^[*\s]+/, '').replace(/:\s*$/, '')) : null,
        docs.filter((c) => (c.group || '') === g).map(item)]),
      cond.length ? [h('p', { cls: 'cgroup', id: 'cond-head' }, 'Giấy tờ theo trường hợp (chỉ khi người nộp thuộc trường hợp đó)'), cond.map(item)] : null,
      notes.length ? h('details', { cls: 'cnotes' }, h('summary', null, `Lưu ý và hướng dẫn của danh mục (${notes.length})`),
        h('ul', null, notes.map((c) => h('li', null, c.name)))) : null,
      other.length ? h('details', { cls: 'cother', id: 'other-channel' }, h('summary', null, `Chỉ áp dụng cho hình thức nộp khác (${other.length})`),
        h('ul', null, other.map((c) => h('li', null, c.name, ' — ', c.channels.map((x) => CHANNEL[x] || x).join(', '))))) : null);
    if (offer) offer.refresh();
  }

  async function choose(code, restore) {
    clear(procBox, h('p', { cls: 'loading' }, 'Đang tải thủ tục…'));
    try { proc = await api('GET', '/procedures/' + encodeURIComponent(code)); } catch (e) { clear(procBox, msgBox('err', errText(e))); return; }
    clear(results);
    clear(out); // an earlier "choose a procedure first" is answered now
    search.value = '';
    const chans = proc.channels && proc.channels.length ? proc.channels : Object.keys(CHANNEL).map((c) => ({ channel: c }));
    clear(chSel, chans.map((c) => h('option', { value: c.channel }, CHANNEL[c.channel] || c.channel)));
    chSel.value = chans.some((c) => c.channel === 'direct') ? 'direct' : chans[0].channel;
    // The national catalog mixes the documents to hand in with notes and
    // headings ("* Lưu ý:", "... các giấy tờ sau:", items of 0 copies):
    // only documents get a checkbox; the rest is shown as notes.
    renderComps();
    clear(procBox, h('div', { cls: 'chosen' },
      h('h3', null, proc.name),
      h('p', { cls: 'sub' }, 'Mã ', h('span', { cls: 'mono' }, proc.code), ' · ', proc.field || '', ' · ', proc.level || '',
        ' ', h('button', { type: 'button', cls: 'linkish', onclick: () => { proc = null; clear(procBox); save(); search.focus(); find(); } }, 'Chọn thủ tục khác')),
      h('table', { cls: 'list compact' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Hình thức nộp'), h('th', { scope: 'col' }, 'Thời hạn giải quyết'), h('th', { scope: 'col' }, 'Phí, lệ phí'))),
        h('tbody', null, (proc.channels || []).map((c) => h('tr', null, h('td', null, CHANNEL[c.channel] || c.channel),
          h('td', null, timeText(c.time, c.unit, c.time_text)), h('td', null, fee(c.fee), c.fee_note ? h('div', { cls: 'hint clamp', title: c.fee_note }, c.fee_note) : null))))),
      comps));
    if (restore) {
      if ([...chSel.options].some((o) => o.value === restore.channel)) chSel.value = restore.channel;
      for (const c of comps.querySelectorAll('input[type=checkbox]')) c.checked = (restore.ticked || []).includes(+c.dataset.i);
    } else save();
    preview();
    if (!restore) name.focus();
  }

  // No processing time for this channel in the catalog: the engine cannot
  // set an appointment, so the dossier cannot be received (or refused) here.
  const noTime = () => { const c = proc && (proc.channels || []).find((x) => x.channel === chSel.value); return !!c && c.time == null && c.unit !== 'same_day'; };
  async function preview() {
    clear(due);
    due.classList.toggle('err', noTime());
    if (noTime()) {
      due.textContent = 'Danh mục chưa ghi thời hạn giải quyết của thủ tục này (hình thức nộp đã chọn) nên chưa tiếp nhận được. Đề nghị quản trị bổ sung danh mục thủ tục.';
      return;
    }
    const c = proc && (proc.channels || []).find((x) => x.channel === chSel.value);
    if (!c) return;
    const t = new Date(now() + 7 * 3600e3).toISOString().slice(0, 16);
    try {
      const r = await api('GET', `/calendar/due?at=${t}&time=${c.time || 1}&unit=${c.unit || 'working_days'}`);
      due.textContent = 'Hẹn trả dự kiến nếu tiếp nhận bây giờ: ' + fmtDT(r.due);
    } catch { /* the receipt shows the real time */ }
  }

  // ---- the applicant: a person, or an organisation and the person filing ----
  const kind = h('select', { name: 'kind', onchange: () => { shape(); save(); } },
    h('option', { value: 'person' }, 'Cá nhân'), h('option', { value: 'organisation' }, 'Tổ chức (doanh nghiệp, hợp tác xã, …)'));
  const idType = h('select', { name: 'id_type', onchange: () => { shape(); if (idn.value.trim()) check(idn, idCheck); save(); } },
    Object.entries(ID_TYPE).map(([v, t]) => h('option', { value: v }, t)));
  const name = h('input', { name: 'name', autocomplete: 'off', maxlength: 200 });
  // No maxlength: a number typed one digit too long is refused with a
  // message, never cut to the right length (issue 10).
  const idn = h('input', { name: 'id_number', autocomplete: 'off', spellcheck: 'false' });
  const orgName = h('input', { name: 'org_name', autocomplete: 'off' });
  const tax = h('input', { name: 'tax_code', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false' });
  const rep = h('input', { name: 'representative', autocomplete: 'off' });
  const phone = h('input', { name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'off' });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'off' });
  const addr = h('input', { name: 'address', autocomplete: 'off' });
  const summary = h('textarea', { name: 'summary', rows: 2 });
  // Form 1's "Số lượng hồ sơ: ... (bộ)".
  const sets = h('input', { name: 'sets', type: 'number', min: '1', max: '20', step: '1', value: '1', inputmode: 'numeric', cls: 'short' });
  sets.defaultValue = '1'; // what an untouched form holds (dirty() below)
  const isOrg = () => kind.value === 'organisation';
  const idCheck = (v) => idError(idType.value, v);
  const checks = [
    // Byte limits as the server counts them (a Vietnamese letter is 2-3 bytes).
    [name, (v) => (!v ? 'Nhập họ và tên người nộp.' : tooLong(v, 200) ? 'Họ và tên quá dài.' : '')],
    [idn, idCheck],
    [orgName, (v) => (!isOrg() ? '' : !v ? 'Nhập tên tổ chức.' : tooLong(v, 300) ? 'Tên tổ chức quá dài.' : '')],
    [tax, (v) => (isOrg() ? taxCodeError(v) : '')],
    [rep, (v) => (!isOrg() ? '' : !v ? 'Nhập họ và tên người đại diện của tổ chức.' : tooLong(v, 200) ? 'Tên người đại diện quá dài.' : '')],
    [phone, (v) => (!v ? 'Nhập số điện thoại.' : validPhone(v) ? '' : 'Số điện thoại không đúng (ví dụ: 0912345678).')],
    [email, (v) => (v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? 'Địa chỉ thư điện tử không đúng.' : '')],
    [addr, (v) => (tooLong(v, 500) ? 'Địa chỉ quá dài (tối đa khoảng 200 chữ): hãy rút gọn.' : '')],
    [summary, (v) => (tooLong(v, 2000) ? 'Nội dung quá dài (tối đa khoảng 700 chữ): hãy rút gọn.' : '')],
    [sets, (v) => (/^([1-9]|1[0-9]|20)$/.test(v) ? '' : 'Số bộ hồ sơ là số nguyên từ 1 đến 20.')],
  ];
  const check = (inp, fn) => { const m = fn(inp.value.trim()); inp.fieldWrap.setError(m); return !m; };
  for (const [inp, fn] of checks) inp.addEventListener('blur', () => { if (inp.value.trim()) check(inp, fn); });
  const idWrap = field(ID_LABEL.cccd + ' *', idn, '12 chữ số');
  const nameWrap = field('Họ và tên *', name);
  const orgBox = h('div', { cls: 'span2 grid g2 orgbox', hidden: true },
    h('div', { cls: 'span2' }, field('Tên tổ chức *', orgName)),
    field('Mã số thuế / mã số doanh nghiệp *', tax, '10 chữ số; đơn vị phụ thuộc 13 chữ số (0101234567-001)'),
    field('Người đại diện *', rep, 'Người đại diện theo pháp luật của tổ chức'));
  const ID_HINT = { cccd: '12 chữ số', cmnd: '9 chữ số. CMND hết giá trị sử dụng từ 01/01/2025: chỉ ghi khi người nộp không có giấy tờ khác.', passport: '5 đến 20 chữ cái không dấu hoặc chữ số, viết liền', none: '' };
  // Shows the fields the kind and the document type ask for; a hidden
  // field is emptied so nothing unseen is sent.
  function shape() {
    const t = idType.value;
    idWrap.querySelector('label').textContent = ID_LABEL[t] + ' *';
    idWrap.querySelector('.hint').textContent = ID_HINT[t];
    idn.inputMode = t === 'cccd' || t === 'cmnd' ? 'numeric' : 'text';
    idn.autocapitalize = t === 'passport' ? 'characters' : 'off';
    idWrap.hidden = t === 'none';
    if (t === 'none') { idn.value = ''; idWrap.setError(''); }
    orgBox.hidden = !isOrg();
    if (!isOrg()) for (const i of [orgName, tax, rep]) { i.value = ''; i.fieldWrap.setError(''); }
    let hint = nameWrap.querySelector('.hint');
    if (!hint) nameWrap.insertBefore(hint = h('div', { cls: 'hint' }), nameWrap.querySelector('.ferr'));
    hint.textContent = isOrg() ? 'Người trực tiếp nộp hồ sơ cho tổ chức' : '';
  }
  // ---- the applicant's papers digitized before (issue 12) ----
  // Once a valid number is typed, the papers held for it are offered: the
  // ticked ones are attached to the new dossier (marked "Tái sử dụng").
  let offer = null, askedFor = '', pseq = 0;
  const paperBox = h('div', { cls: 'span2', 'aria-live': 'polite' });
  const boxes = () => [...comps.querySelectorAll('input[type=checkbox]')];
  const names = () => (proc ? boxes().map((c) => [+c.dataset.i, proc.components[c.dataset.i].name]) : []);
  const tickComp = (i) => { const c = boxes().find((b) => +b.dataset.i === i); if (c && !c.checked) { c.checked = true; save(); } };
  async function papers() {
    const t = idType.value, v = idn.value.trim().toUpperCase();
    const want = t !== 'none' && v && !idError(t, idn.value.trim()) ? v : '';
    if (want === askedFor) return;
    askedFor = want;
    const my = ++pseq;
    offer = null;
    clear(paperBox);
    if (!want) return;
    let items;
    try { items = await applicantPapers(want); } catch { return; /* an offer, not a step: the reception goes on without it */ }
    if (my !== pseq || !items.length) return;
    offer = papersOffer(items, names, tickComp);
    clear(paperBox, offer);
  }
  idn.addEventListener('input', () => papers());
  idType.addEventListener('change', () => papers());
  const who = h('section', { cls: 'panel' }, h('h2', null, '2. Người nộp hồ sơ'),
    h('div', { cls: 'grid g2' },
      field('Người nộp là', kind), field('Loại giấy tờ tùy thân', idType),
      orgBox,
      nameWrap, idWrap,
      field('Số điện thoại *', phone), field('Thư điện tử', email),
      h('div', { cls: 'span2' }, field('Địa chỉ', addr)),
      field('Hình thức nộp', chSel), h('div', { cls: 'fld' }, due),
      field('Số bộ hồ sơ', sets, 'Số bộ giấy tờ người nộp giao (ghi trên giấy tiếp nhận)'),
      h('div', { cls: 'span2' }, field('Nội dung yêu cầu, trích yếu', summary)),
      paperBox));
  shape();

  // ---- the draft: what is typed, kept through a reload ----
  const texts = { name, id_number: idn, org_name: orgName, tax_code: tax, representative: rep, phone, email, address: addr, summary, sets };
  const ticks = () => [...comps.querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => +c.dataset.i);
  // Something typed or ticked that a reception has not sent yet.
  const dirty = () => Object.values(texts).some((i) => i.value.trim() !== i.defaultValue) || ticks().length > 0;
  function save() {
    if (!dirty() && !proc) { writeDraft(null); return; }
    const d = { proc: proc ? proc.code : null, channel: chSel.value, kind: kind.value, id_type: idType.value, ticked: ticks() };
    for (const [k, i] of Object.entries(texts)) d[k] = i.value;
    writeDraft(d);
  }
  const out = h('div', { 'aria-live': 'polite' });
  const reasonBox = h('div');
  const bRecv = h('button', { type: 'submit', cls: 'primary' }, 'Tiếp nhận hồ sơ');
  const form = h('form', { cls: 'reception', novalidate: true, oninput: () => save(), onchange: () => save(), onsubmit: (e) => { e.preventDefault(); submit(null); } },
    pick, who, out,
    h('div', { cls: 'actions sticky' }, bRecv,
      h('button', { type: 'button', onclick: () => ask('request_supplement') }, 'Yêu cầu bổ sung'),
      h('button', { type: 'button', cls: 'danger', onclick: () => ask('refuse') }, 'Từ chối tiếp nhận')),
    reasonBox);

  function valid(action) {
    clear(out);
    let first = null;
    for (const [inp, fn] of checks) if (!check(inp, fn) && !first) first = inp;
    if (!proc) { clear(out, msgBox('err', 'Chưa chọn thủ tục: tìm và chọn thủ tục ở mục 1.')); search.focus(); return false; }
    if (noTime()) { clear(out, msgBox('err', due.textContent)); return false; }
    if (first) { first.focus(); return false; }
    // A held paper ticked goes to a component, which is then received.
    for (const p of offer && action !== 'refuse' ? offer.picks() : []) {
      if (p.at < 0) { clear(out, msgBox('err', `Chọn thành phần hồ sơ cho giấy tờ đã số hoá «${p.name}».`)); p.sel.focus(); return false; }
      tickComp(p.at);
    }
    return true;
  }
  const ticked = () => [...comps.querySelectorAll('input[type=checkbox]')].map((c) => [c.checked, proc.components[c.dataset.i]]);

  // "Cần bổ sung: 1. ...; 2. ..." with every name in full (issue 10 item 6);
  // when the list does not fit in a reason (2000 bytes) the reason names it
  // and the notice's items carry every name whole (never cut).
  function missingText(names) {
    if (!names.length) return '';
    const full = 'Cần bổ sung: ' + names.map((n, k) => `${k + 1}. ${n}`).join('; ') + '.';
    return tooLong(full, 1900) ? `Cần bổ sung: ${names.length} giấy tờ theo danh sách kèm theo.` : full;
  }
  const missing = () => ticked().filter(([on, c]) => !on && c && !c.conditional).map(([, c]) => c.name);

  function ask(action) {
    if (!valid(action)) return;
    const sup = action === 'request_supplement';
    const items = sup ? missing() : [];
    const ta = h('textarea', { name: 'reason', rows: 4, value: sup ? missingText(items) : '' });
    const f = field(sup ? 'Giấy tờ cần bổ sung, hoàn thiện *' : 'Lý do từ chối tiếp nhận *', ta,
      sup ? 'Đã điền sẵn các thành phần chưa đánh dấu; sửa nếu cần.' : null);
    const b = h('button', { type: 'button', cls: sup ? 'primary' : 'danger', onclick: () => {
      if (!ta.value.trim()) { f.setError(sup ? 'Ghi rõ giấy tờ cần bổ sung.' : 'Nhập lý do từ chối.'); ta.focus(); return; }
      if (tooLong(ta.value.trim())) { f.setError('Nội dung quá dài (tối đa khoảng 700 chữ): hãy rút gọn.'); ta.focus(); return; }
      submit(action, ta.value.trim(), b, items);
    } }, sup ? 'Xác nhận yêu cầu bổ sung' : 'Xác nhận từ chối');
    clear(reasonBox, h('div', { cls: 'card inner', 'data-form': action }, h('h3', null, sup ? 'Yêu cầu bổ sung hồ sơ' : 'Từ chối tiếp nhận hồ sơ'), f,
      items.length ? [h('p', { cls: 'sub' }, 'Danh sách ghi trên phiếu (đầy đủ):'), h('ol', { cls: 'notice-items', id: 'sup-items' }, items.map((t) => h('li', null, t)))] : null,
      h('div', { cls: 'actions' }, b, h('button', { type: 'button', onclick: () => clear(reasonBox) }, 'Huỷ'))));
    ta.focus();
  }

  async function submit(action, reason, btn, items) {
    if (!valid(action)) return;
    btn = btn || bRecv;
    const body = {
      procedure: proc.code, channel: chSel.value,
      applicant: { kind: kind.value, name: name.value.trim(), id_type: idType.value, phone: phone.value.trim() },
      components: ticked().filter(([on]) => on).map(([, c]) => ({ name: c.name, originals: c.originals | 0, copies: c.copies | 0 })),
    };
    if (idType.value !== 'none') body.applicant.id_number = idn.value.trim();
    if (isOrg()) Object.assign(body.applicant, { org_name: orgName.value.trim(), tax_code: tax.value.trim(), representative: rep.value.trim() });
    if (email.value.trim()) body.applicant.email = email.value.trim();
    if (addr.value.trim()) body.applicant.address = addr.value.trim();
    if (summary.value.trim()) body.summary = summary.value.trim();
    if (+sets.value > 1) body.sets = +sets.value;
    // Refused or sent back for a supplement at the desk, the dossier is
    // never received: it is recorded as waiting for reception first
    // (issue 10 items 1 and 2), so it gets no reception time, no appointment.
    if (action) body.pending = true;
    busy(btn, true);
    let d;
    try { d = await api('POST', '/dossiers', body, undefined, requestKey('receive', body)); } catch (e) {
      busy(btn, false);
      clear(out, msgBox('err', errText(e)));
      // The server is the authority: its verdict is shown at the field too.
      const at = { 'text.bad_id_number': idn, 'text.bad_id_type': idn, 'text.bad_tax_code': tax, 'text.bad_phone': phone, 'text.bad_email': email }[e.code];
      if (at && !at.closest('[hidden]')) { at.fieldWrap.setError(errText(e)); at.focus(); }
      return;
    }
    if (action) {
      // The reception's key is kept until this step is written too: pressing
      // the button again then finds the same dossier instead of making one.
      const ab = { action, comment: reason };
      if (items && items.length) ab.items = items;
      try { d = await api('POST', `/dossiers/${encodeURIComponent(d.code)}/actions`, ab, undefined, requestKey(d.code, ab)); requestDone(d.code); } catch (e) {
        busy(btn, false);
        clear(out, msgBox('err', `Hồ sơ ${d.code} đã được tạo nhưng chưa ghi được bước tiếp theo. ${errText(e)} Bấm lại nút để gửi tiếp (không tạo hồ sơ mới), hoặc mở hồ sơ để làm tiếp.`),
          h('p', null, h('a', { href: '#/ho-so/' + encodeURIComponent(d.code) }, 'Mở hồ sơ ' + d.code)));
        return;
      }
    }
    // The held papers ticked, attached at their component's place in the
    // dossier (a refused dossier gets none).
    let reused = null;
    const picks = offer && action !== 'refuse' ? offer.picks() : [];
    if (picks.length) {
      const order = boxes().filter((c) => c.checked).map((c) => +c.dataset.i);
      reused = await attachPapers(d.code, picks, (p) => order.indexOf(p.at));
    }
    requestDone('receive');
    writeDraft(null);
    S.leaveGuard = null;
    receipt(view, d, proc, action, reason, reused);
  }

  clear(view, h('h1', null, 'Tiếp nhận hồ sơ'), form);
  S.leaveGuard = () => (dirty() ? 'Thông tin hồ sơ đang nhập chưa được tiếp nhận. Rời khỏi trang này?' : '');
  const draft = readDraft();
  if (draft) {
    kind.value = draft.kind === 'organisation' ? 'organisation' : 'person';
    if (draft.id_type in ID_TYPE) idType.value = draft.id_type;
    shape();
    for (const [k, i] of Object.entries(texts)) if (typeof draft[k] === 'string') i.value = draft[k];
    if (draft.proc) await choose(draft.proc, draft);
    papers();
    const drop = h('button', { type: 'button', cls: 'linkish', onclick: () => { writeDraft(null); S.leaveGuard = null; receptionScreen(view); } }, 'Xoá và nhập mới');
    form.prepend(h('div', { cls: 'msg msg-info', role: 'status', id: 'draft-note' }, 'Đã khôi phục thông tin đang nhập dở. ', drop));
  }
  search.focus();
  find(); // the most frequent procedures, before a word is typed
}

// The receipt (or the supplement / refusal notice), printable.
function receipt(view, d, proc, action, reason, reused) {
  const done = action === 'refuse' ? 'Đã từ chối tiếp nhận hồ sơ.' : action === 'request_supplement' ? 'Đã ghi nhận yêu cầu bổ sung hồ sơ.' : 'Đã tiếp nhận hồ sơ.';
  // The paper is the PDF of its form (A5, with the QR code), opened in a
  // new tab where the browser prints it.
  const print = formLink(d.code, action === 'refuse' ? '3' : action === 'request_supplement' ? '2' : '1', 'In phiếu', { cls: 'btn primary', id: 'print-form' });
  const next = h('button', { type: 'button', onclick: () => receptionScreen(view) }, 'Tiếp nhận hồ sơ tiếp theo');
  clear(view,
    h('div', { cls: 'no-print' }, h('h1', null, 'Tiếp nhận hồ sơ'),
      msgBox('ok', done),
      reused && reused.ok ? msgBox('ok', `Đã gắn ${reused.ok} giấy tờ đã số hoá vào hồ sơ (Tái sử dụng).`) : null,
      reused && reused.errors.length ? h('div', { cls: 'msg msg-err', role: 'alert', id: 'reuse-errors' }, 'Chưa gắn được giấy tờ đã số hoá: ', reused.errors.join(' '),
        ' Mở hồ sơ để tải bản số hoá.') : null,
      h('p', { cls: 'bigcode' }, 'Mã hồ sơ: ', h('strong', { cls: 'mono', id: 'new-code' }, d.code)),
      action ? null : h('p', { cls: 'bigdue' }, 'Hẹn trả kết quả: ', h('strong', { id: 'new-due' }, fmtDT(d.due_at))),
      h('div', { cls: 'actions' }, print, next, h('a', { cls: 'btn', href: '#/ho-so/' + encodeURIComponent(d.code) }, 'Xem hồ sơ'))),
    receiptDoc(d, action, reason, S.me.name, d.procedure_name || proc.name));
  next.focus();
}

// The printed paper handed to the applicant: the reception receipt with the
// appointment, or the refusal / supplement notice with its reason. Also
// printed again later from the dossier page (#/ho-so/CODE/phieu).
export function receiptDoc(d, action, reason, receiver, procName) {
  const ap = d.applicant, me = S.me;
  const title = action === 'refuse' ? 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ'
    : action === 'request_supplement' ? 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ' : 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ';
  const row = (k, ...v) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, ...v));
  const pt = d.processing_time || {};
  // The centre's public address when the admin set one (issue 10).
  const base = (S.settings && S.settings.public_url) || location.origin;
  const url = base + '/tra-cuu/' + encodeURIComponent(d.code);
  // The appointment given at reception: an apology's new date has its own
  // letter (the receipt printed again keeps the original).
  const appt = d.due_legal || d.due_at;
  const notice = action && d.notices && d.notices.length ? d.notices[d.notices.length - 1] : null;
  const items = notice && notice.items && notice.items.length ? notice.items : null;
  // A notice is signed by the officer who issued it (issue 10 item 5): a
  // specialist's supplement request is not the desk officer's.
  const issuer = notice && notice.issuer;
  if (issuer && issuer.name) receiver = issuer.name;
  const signLabel = issuer && issuer.title && issuer.title !== 'Cán bộ tiếp nhận' ? 'Người lập phiếu' : 'Người tiếp nhận';
  const agency = (S.settings && S.settings.agency_name) || me.agency_name;
  return h('article', { cls: 'receipt', 'aria-label': title },
    h('div', { cls: 'rc-head' },
      h('div', null, h('div', null, 'UBND ' + agency.toUpperCase()), h('div', { cls: 'b' }, 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG')),
      h('div', null, h('div', { cls: 'b' }, 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM'), h('div', { cls: 'b' }, 'Độc lập - Tự do - Hạnh phúc'))),
    h('h2', null, title),
    h('p', { cls: 'rc-code' }, 'Mã hồ sơ: ', h('strong', null, d.code)),
    h('table', { cls: 'rc' }, h('tbody', null,
      ap.kind === 'organisation' ? [row('Tổ chức', ap.org_name), row('Mã số thuế / mã số doanh nghiệp', h('span', { cls: 'mono' }, ap.tax_code)),
        row('Người đại diện', ap.representative)] : null,
      row('Người nộp hồ sơ', ap.name), row(idLabel(ap), ap.id_type === 'none' ? 'Không có' : ap.id_number), row('Số điện thoại', ap.phone),
      ap.address ? row('Địa chỉ', ap.address) : null,
      row('Thủ tục', procName || d.procedure_name || d.procedure, ' (', d.procedure, ')'),
      row('Hình thức nộp', CHANNEL[d.channel] || d.channel),
      row(action === 'request_supplement' ? 'Giấy tờ đã nhận' : 'Thành phần hồ sơ', d.components && d.components.length
        ? h('ol', null, d.components.map((c) => h('li', null, `${c.name} (${c.originals} bản chính, ${c.copies} bản sao)`))) : 'Không ghi nhận'),
      d.received_at ? row('Thời gian tiếp nhận', fmtDT(d.received_at)) : row('Thời gian nộp hồ sơ', fmtDT(d.submitted_at)),
      action ? row(action === 'refuse' ? 'Lý do từ chối' : 'Nội dung cần bổ sung', h('span', { cls: 'note-text' }, reason),
        items ? h('ol', { cls: 'notice-items' }, items.map((t) => h('li', null, t))) : null)
        : [row('Thời hạn giải quyết', timeText(pt.amount, pt.unit)), row('Hẹn trả kết quả', h('strong', { id: 'rc-due' }, fmtDT(appt)))],
      row(signLabel, receiver))),
    action === 'refuse' ? null : h('p', null, 'Tra cứu tình trạng hồ sơ tại ', h('span', { cls: 'mono', id: 'rc-url' }, url), ' (nhập 4 số cuối điện thoại).'),
    !(S.settings && S.settings.public_url) && me.role === 'admin' ? h('p', { cls: 'no-print hint', id: 'public-url-hint' }, 'Chưa đặt địa chỉ công khai của trung tâm: phiếu đang in địa chỉ máy này. Đặt ở Quản trị › Giờ làm việc.') : null,
    h('div', { cls: 'rc-sign' },
      h('div', null, h('div', null, '\u00a0'), h('div', { cls: 'b' }, 'NGƯỜI NỘP HỒ SƠ'), h('div', { cls: 'sub' }, '(Ký, ghi rõ họ tên)')),
      h('div', null, h('div', null, 'Ngày ' + fmtD(d.received_at || d.submitted_at)), h('div', { cls: 'b' }, signLabel.toUpperCase()), h('div', { cls: 'signame' }, receiver))));
}
