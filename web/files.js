// files.js - digitization on the staff screens (issue 12; src/app/files.h):
// the dossier page's "Số hoá hồ sơ" panel (each component's scans, the
// electronic result, uploads in chunks that resume after a dropped link),
// and at reception the applicant's papers digitized before, offered for
// reuse. The upload protocol itself is upload.js (shared with the tests).
import { h, clear, api, errText, msgBox, fmtDT, fmtD, busy } from './lib.js';
import { sendFile, transient } from './upload.js';

const enc = encodeURIComponent;
export const FILE_MAX = 50 << 20; // src/app/files.h APP_FILE_MAX
const TYPES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/tiff': 'TIFF' };
const EXT = /\.(pdf|jpe?g|png|tiff?)$/i;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.tif,.tiff,application/pdf,image/jpeg,image/png,image/tiff';
// docs/permissions.md "Digitization".
const OPEN = ['submitted', 'received', 'processing', 'awaiting_approval', 'supplement', 'awaiting_payment'];
const RESULT_STATES = ['processing', 'awaiting_approval', 'result_ready'];

// 1 234 567 bytes -> "1,2 MB" (decimal units, a comma as Vietnamese writes).
export function fmtSize(n) {
  const dec = (x) => String(Math.round(x * 10) / 10).replace('.', ',');
  if (n < 1000) return n + ' byte';
  if (n < 1e6) return dec(n / 1e3) + ' KB';
  return dec(n / 1e6) + ' MB';
}

// May this officer upload a component's scan (result: the electronic
// result) of d now? The server decides; this only hides what it refuses.
export function mayUpload(d, me, result) {
  if (d.agency && me.agency && d.agency !== me.agency) return false;
  if (result) {
    const who = me.role === 'admin' || me.role === 'leader' || (me.role === 'specialist' && d.assignee === me.login);
    return who && RESULT_STATES.includes(d.status);
  }
  return (me.role === 'reception' || me.role === 'admin') && OPEN.includes(d.status);
}

// A half-sent upload survives a reload: its id is kept per dossier and
// component with the file's name, size and date, so choosing the same file
// again goes on from the server's offset instead of starting over.
const pendKey = (code, comp) => `motcua.upload.${code}.${comp}`;
function pending(code, comp) {
  try { return JSON.parse(localStorage.getItem(pendKey(code, comp)) || 'null'); } catch { return null; }
}
function setPending(code, comp, v) {
  try { if (v) localStorage.setItem(pendKey(code, comp), JSON.stringify(v)); else localStorage.removeItem(pendKey(code, comp)); } catch { /* storage off */ }
}
const sameFile = (p, f) => p && p.name === f.name && p.size === f.size && p.modified === f.lastModified;

// The API client's errors in the shape upload.js reads (.expected).
function mapped(e) {
  if (e && e.data && Number.isInteger(e.data.expected_offset)) e.expected = e.data.expected_offset;
  return e;
}

// upload.js's transport over the staff API for file f.
function transport(code, comp, req, f) {
  return {
    async begin() {
      const p = pending(code, comp);
      if (sameFile(p, f)) {
        try {
          const s = await api('GET', '/uploads/' + enc(p.id));
          return { ...s, id: p.id };
        } catch (e) {
          if (transient(e)) throw e;
          setPending(code, comp, null); // gone (swept, refused): start anew
        }
      }
      const u = await api('POST', `/dossiers/${enc(code)}/uploads`, req);
      setPending(code, comp, { id: u.id, name: f.name, size: f.size, modified: f.lastModified });
      return u;
    },
    put: (id, offset, from, to) => api('PUT', `/uploads/${enc(id)}?offset=${offset}`, f.slice(from, to), 'application/octet-stream').catch((e) => { throw mapped(e); }),
    status: (id) => api('GET', '/uploads/' + enc(id)).catch((e) => { throw mapped(e); }),
  };
}

// What is wrong with file f before a byte is sent ('' if nothing).
function fileError(f) {
  if (!f) return 'Chọn tệp cần tải lên.';
  if (!(f.type in TYPES) && !EXT.test(f.name)) return `Tệp «${f.name}» không phải PDF, JPEG, PNG hoặc TIFF.`;
  if (f.size === 0) return `Tệp «${f.name}» rỗng (0 byte).`;
  if (f.size > FILE_MAX) return `Tệp «${f.name}» nặng ${fmtSize(f.size)}: tối đa 50 MB một tệp. Chia thành nhiều tệp hoặc quét với độ phân giải thấp hơn.`;
  return '';
}

// Where the reading of a file's text stands (its OCR job), and what it
// made: a thumbnail, a searchable PDF of an image scan.
function ocrLine(f) {
  const o = f.ocr;
  if (!o) return null;
  const base = '/api/v1/files/' + enc(f.sha256);
  const state = o.state === 'done' ? 'Đã nhận dạng chữ'
    : o.state === 'failed' ? 'Không nhận dạng được chữ' + (o.error ? `: ${o.error}` : '')
      : o.pages_total ? `Đang nhận dạng chữ ${o.pages_done}/${o.pages_total} trang` : 'Chờ nhận dạng chữ';
  return h('div', { cls: 'sub ocr', 'data-ocr': o.state },
    state,
    o.searchable_pdf ? [' · ', h('a', { href: base + '/searchable.pdf', target: '_blank', rel: 'noopener', cls: 'spdf' }, 'Bản PDF tìm kiếm được')] : null,
    o.state === 'done' ? [' · ', h('a', { href: base + '/text', target: '_blank', rel: 'noopener' }, 'Xem chữ')] : null);
}

// One file of a dossier: type, pages, size, where it came from, a download.
function fileItem(f) {
  const what = [TYPES[f.mime] || f.mime, f.pages ? `${f.pages} trang` : null, fmtSize(f.size)].filter(Boolean).join(' · ');
  const thumb = f.ocr && f.ocr.thumbnail
    ? h('img', { cls: 'fthumb', src: `/api/v1/files/${enc(f.sha256)}/thumbnail.png`, alt: '', width: 64, loading: 'lazy' }) : null;
  return h('li', { cls: 'file' + (thumb ? ' has-thumb' : ''), 'data-sha': f.sha256, 'data-source': f.source },
    thumb,
    h('div', { cls: 'fbody' },
      h('a', { href: '/api/v1/files/' + enc(f.sha256), download: f.filename || '', cls: 'flink' }, f.filename || f.component_name || 'Tệp số hoá'),
      ' ', h('span', { cls: 'fmeta' }, what),
      ' ', h('span', { cls: 'src src-' + f.source }, f.source_label || f.source),
      h('div', { cls: 'sub' }, 'Đính kèm ', fmtDT(f.added_at), f.added_by ? ' bởi ' + f.added_by : ''),
      ocrLine(f)));
}

// The upload control of one component (comp >= 0) or of the result (-1).
// done() is called after a file is stored.
function uploader(d, comp, done) {
  const result = comp < 0;
  const slot = result ? 'kq' : String(comp);
  // The browser's own file button speaks its UI's language: a hidden input
  // behind a Vietnamese button, as admin.js's imports do.
  const chosen = h('span', { cls: 'fname' }, 'Chưa chọn tệp');
  const input = h('input', { type: 'file', accept: ACCEPT, id: `up-${slot}`, name: 'file', cls: 'vh',
    onchange: () => { chosen.textContent = input.files[0] ? `${input.files[0].name} (${fmtSize(input.files[0].size)})` : 'Chưa chọn tệp'; } });
  const source = result ? null : h('select', { name: 'source', 'aria-label': 'Nguồn của bản số hoá' },
    h('option', { value: 'digitized' }, 'Số hoá tại bộ phận một cửa'),
    h('option', { value: 'data_store' }, 'Lấy từ kho dữ liệu công dân'));
  const bar = h('progress', { max: 100, value: 0, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': 'Tiến độ tải lên', hidden: true });
  const note = h('div', { cls: 'upnote', 'aria-live': 'polite' });
  const go = h('button', { type: 'button', cls: 'primary', 'data-upload': slot }, 'Tải lên');
  const stop = h('button', { type: 'button', hidden: true }, 'Dừng');
  let running = null;
  const p = pending(d.code, slot);
  if (p) note.append(h('p', { cls: 'hint' }, `Tệp «${p.name}» chưa tải xong: chọn lại đúng tệp này để tải tiếp từ phần đã gửi.`));
  function show(off, size) {
    const pct = Math.floor((off / size) * 100);
    bar.hidden = false;
    bar.value = pct;
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', `${pct}% (${fmtSize(off)} / ${fmtSize(size)})`);
  }
  async function start() {
    if (running) return; // a second click while sending does nothing
    const f = input.files && input.files[0];
    const bad = fileError(f);
    if (bad) { clear(note, msgBox('err', bad)); input.focus(); return; }
    running = new AbortController();
    busy(go, true);
    input.disabled = true;
    if (source) source.disabled = true;
    stop.hidden = false;
    show(0, f.size);
    clear(note, h('p', { cls: 'sub' }, `Đang tải lên «${f.name}» (${fmtSize(f.size)})…`));
    const req = { component: comp, kind: result ? 'result' : 'scan', filename: f.name.slice(0, 200), size: f.size };
    if (source) req.source = source.value;
    try {
      const r = await sendFile(transport(d.code, slot, req, f), f.size, {
        signal: running.signal,
        onProgress: (ev) => {
          show(ev.offset, f.size);
          if (ev.state === 'waiting') {
            clear(note, msgBox('warn', `Mất kết nối hoặc máy chủ chưa trả lời: thử lại sau ${Math.round(ev.wait / 1000)} giây (lần ${ev.attempt}). Phần đã gửi (${fmtSize(ev.offset)}) được giữ, không phải gửi lại từ đầu.`));
          } else {
            clear(note, h('p', { cls: 'sub' }, `Đang tải lên «${f.name}»: ${fmtSize(ev.offset)} / ${fmtSize(f.size)}`));
          }
        },
      });
      setPending(d.code, slot, null);
      show(f.size, f.size);
      input.value = '';
      chosen.textContent = 'Chưa chọn tệp';
      const fl = r.file || {};
      clear(note, msgBox('ok', `Đã tải lên «${f.name}»${fl.pages ? `: ${fl.pages} trang` : ''}.`));
      done();
    } catch (e) {
      if (e && e.aborted) {
        clear(note, msgBox('info', 'Đã dừng. Phần đã gửi được giữ trên máy chủ: chọn lại tệp này và bấm Tải lên để gửi tiếp.'));
      } else {
        // Refused for good (type, damage, size, role): the server kept nothing.
        if (!transient(e)) setPending(d.code, slot, null);
        bar.hidden = true;
        clear(note, msgBox('err', errText(e)));
      }
    } finally {
      running = null;
      busy(go, false);
      input.disabled = false;
      if (source) source.disabled = false;
      stop.hidden = true;
    }
  }
  go.addEventListener('click', start);
  stop.addEventListener('click', () => { if (running) running.abort(); });
  return h('div', { cls: 'uploader' },
    h('div', { cls: 'uprow' },
      h('label', { for: input.id, cls: 'uplabel' }, result ? 'Tệp kết quả điện tử (PDF, JPEG, PNG, TIFF; tối đa 50 MB)' : 'Tệp số hoá (PDF, JPEG, PNG, TIFF; tối đa 50 MB)'),
      input, h('label', { for: input.id, cls: 'btn filebtn', 'aria-hidden': 'true' }, 'Chọn tệp…'), chosen,
      source, h('div', { cls: 'actions' }, go, stop)),
    bar, note);
}

// The dossier page's "Số hoá hồ sơ" panel: per component its files and,
// for officers who may, an upload; then the electronic result.
export function filesPanel(d, me) {
  const comps = d.components || [];
  const lists = new Map(); // component index (-1: result) -> its list box
  const upScan = mayUpload(d, me, false), upResult = mayUpload(d, me, true);
  const err = h('div', { 'aria-live': 'polite' });
  async function load() {
    let items;
    try { items = (await api('GET', `/dossiers/${enc(d.code)}/files`)).items; } catch (e) {
      clear(err, msgBox('err', errText(e)));
      return;
    }
    clear(err);
    for (const [i, box] of lists) {
      const mine = items.filter((f) => (i < 0 ? f.kind === 'result' : f.kind !== 'result' && f.component === i));
      clear(box, mine.length ? h('ul', { cls: 'flist' }, mine.map(fileItem))
        : h('p', { cls: 'empty' }, i < 0 ? 'Chưa có kết quả điện tử.' : 'Chưa có bản số hoá.'));
    }
  }
  const row = (i, title) => {
    const box = h('div', { cls: 'fbox' }, h('p', { cls: 'loading' }, 'Đang tải…'));
    lists.set(i, box);
    const up = i < 0 ? upResult : upScan;
    return h('li', { cls: 'fcomp', 'data-component': i }, h('h3', null, title), box, up ? uploader(d, i, load) : null);
  };
  const showResult = upResult || [...RESULT_STATES, 'returned'].includes(d.status);
  const sec = h('section', { cls: 'panel', id: 'files', 'aria-label': 'Số hoá hồ sơ' },
    h('h2', null, 'Số hoá hồ sơ'),
    upScan || upResult ? h('p', { cls: 'hint' }, 'Tệp được gửi từng phần: mạng chập chờn hay mất kết nối giữa chừng thì tự gửi tiếp từ phần đã nhận, không phải gửi lại từ đầu.') : null,
    err,
    comps.length ? h('ol', { cls: 'fcomps' }, comps.map((c, i) => row(i, c.name)))
      : h('p', { cls: 'empty' }, 'Hồ sơ không ghi thành phần nên chưa có bản số hoá.'),
    showResult ? h('ul', { cls: 'fcomps fresult' }, row(-1, 'Kết quả điện tử')) : null);
  load();
  return sec;
}

// ---- reception: the applicant's papers held already ----

const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
  .toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

// The component (an index of names) a paper named name goes to: the same
// name without diacritics, else one containing the other; -1 if none.
export function matchComponent(name, names) {
  const n = fold(name);
  if (!n) return -1;
  let i = names.findIndex((x) => fold(x) === n);
  if (i < 0) i = names.findIndex((x) => { const m = fold(x); return m && (m.includes(n) || n.includes(m)); });
  return i;
}

// The papers of the applicant with ID number idNumber (reception, admin),
// newest first: [{ sha256, component_name, pages, added_at, dossier, ... }].
export async function applicantPapers(idNumber) {
  return (await api('GET', '/applicants/files?id_number=' + enc(idNumber))).items;
}

// The offer at reception: one row per paper, a checkbox and the component
// it goes to. names() gives the procedure's checklist as [[index, name]];
// tick(index) ticks that component on the checklist. Returns the element,
// with .refresh() (the checklist changed) and .picks() -> [{ sha256, at,
// name }] (at: the checklist index, or -1 when none was chosen).
export function papersOffer(items, names, tick) {
  const rows = items.map((p, k) => {
    const box = h('input', { type: 'checkbox', id: 'paper-' + k, 'data-sha': p.sha256 });
    const sel = h('select', { 'aria-label': `Thành phần hồ sơ cho «${p.component_name}»`, cls: 'paper-comp' });
    const fill = () => {
      const list = names();
      const keep = sel.value;
      const m = matchComponent(p.component_name, list.map(([, n]) => n));
      clear(sel, h('option', { value: '' }, '— Chọn thành phần —'), list.map(([i, n]) => h('option', { value: String(i) }, n)));
      sel.value = keep && list.some(([i]) => String(i) === keep) ? keep : m >= 0 ? String(list[m][0]) : '';
    };
    fill();
    const sync = () => { if (box.checked && sel.value !== '') tick(+sel.value); };
    box.addEventListener('change', sync);
    sel.addEventListener('change', sync);
    const what = [TYPES[p.mime] || p.mime, p.pages ? `${p.pages} trang` : null, fmtSize(p.size)].filter(Boolean).join(' · ');
    const li = h('li', { cls: 'paper' },
      h('div', { cls: 'chk' }, box, h('label', { for: box.id }, h('span', { cls: 'cname' }, p.component_name || p.filename || 'Giấy tờ'),
        h('span', { cls: 'sub' }, ` — số hoá ngày ${fmtD(p.added_at)}, ${what}, hồ sơ ${p.dossier}`))),
      h('div', { cls: 'paper-to' }, h('span', { cls: 'sub' }, 'Gắn vào: '), sel));
    return { p, box, sel, li, fill };
  });
  const el = h('div', { cls: 'papers', id: 'papers' },
    h('h3', null, 'Giấy tờ đã số hoá của công dân'),
    h('p', { cls: 'hint' }, 'Người nộp đã có các giấy tờ này ở hồ sơ trước. Đánh dấu giấy tờ dùng lại cho hồ sơ này: công dân không phải nộp lại bản giấy đã được số hoá.'),
    h('ul', { cls: 'plist-papers' }, rows.map((r) => r.li)));
  el.refresh = () => rows.forEach((r) => r.fill());
  el.picks = () => rows.filter((r) => r.box.checked).map((r) => ({ sha256: r.p.sha256, at: r.sel.value === '' ? -1 : +r.sel.value, name: r.p.component_name, sel: r.sel }));
  return el;
}

// Attaches each pick to dossier code at component index comp(pick);
// returns { ok: n, errors: [text] }. A paper attached already (an answer
// lost and the button pressed again) counts as attached.
export async function attachPapers(code, picks, comp) {
  const out = { ok: 0, errors: [] };
  for (const p of picks) {
    try {
      await api('POST', `/dossiers/${enc(code)}/files/reuse`, { sha256: p.sha256, component: comp(p) });
      out.ok++;
    } catch (e) {
      if (e.code === 'file.exists') out.ok++;
      else out.errors.push(`«${p.name}»: ${errText(e)}`);
    }
  }
  return out;
}

// A file on the dossier's timeline: "Tờ khai: PDF, 3 trang, 120 KB (Đã số hoá)".
const SOURCE = { digitized: 'Đã số hoá', reused: 'Tái sử dụng', data_store: 'Từ kho dữ liệu công dân' };
export function fileLine(f) {
  const what = [TYPES[f.mime] || f.mime, f.pages ? `${f.pages} trang` : null, f.size ? fmtSize(f.size) : null].filter(Boolean).join(', ');
  return `${f.kind === 'result' ? 'Kết quả điện tử' : f.component_name || 'Tệp'}: ${what} (${SOURCE[f.source] || f.source})`;
}
