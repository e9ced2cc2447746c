// search.js - full-text results on the search screen (issue 12): every word
// of the keyword found by its start in any of a dossier's fields, whatever
// the diacritics, best matches first, with the words found marked. The API
// answers text as {text, hit} segments; hits become <mark> elements built
// here, so nothing a citizen typed is ever read as HTML.
import { h, api, errText, msgBox, busy, fmtDT, stateBadge, csvButton, STATE } from './lib.js';

const PAGE = 20;

// Segments as text nodes, the hits inside <mark>.
function marked(parts) {
  return parts.map((p) => (p.hit ? h('mark', null, p.text) : document.createTextNode(p.text)));
}

function hitItem(it) {
  return h('li', { cls: 'fthit', 'data-code': it.code },
    h('div', { cls: 'fthead' },
      h('a', { cls: 'code', href: '#/ho-so/' + encodeURIComponent(it.code) }, it.code), ' ',
      it.status ? stateBadge(it.status) : null,
      it.kind === 'file' ? h('span', { cls: 'meta' }, ' · Giấy tờ đã quét') : null),
    h('div', { cls: 'aname' }, marked(it.title_parts)),
    h('p', { cls: 'snip' }, marked(it.snippet)),
    h('div', { cls: 'meta' }, it.received_at ? 'Nhận ' + fmtDT(it.received_at) : it.submitted_at ? 'Nộp ' + fmtDT(it.submitted_at) : ''));
}

// The section for keyword q: loads its first page, then "Xem thêm".
export function textSearch(q) {
  const count = h('p', { cls: 'sub', 'aria-live': 'polite' });
  const list = h('ul', { cls: 'ftlist' });
  const box = h('div', { cls: 'ftbox' }, h('p', { cls: 'loading' }, 'Đang tìm…'));
  const got = []; // the results shown, for the CSV
  const text = (parts) => parts.map((p) => p.text).join('');
  const csv = h('div', { cls: 'csvbar', hidden: true }, csvButton(() => [['Mã hồ sơ', 'Trạng thái', 'Người nộp / tiêu đề', 'Đoạn khớp', 'Ngày'],
    ...got.map((it) => [it.code, STATE[it.status] || it.status || '', text(it.title_parts), text(it.snippet), fmtDT(it.received_at || it.submitted_at)])], 'tim-theo-noi-dung'));
  async function page(offset, more) {
    let r;
    try {
      r = await api('GET', `/search?q=${encodeURIComponent(q)}&limit=${PAGE}&offset=${offset}`);
    } catch (e) {
      const m = msgBox('err', errText(e));
      if (more) more.replaceWith(m); else box.replaceChildren(m);
      return;
    }
    if (more) more.remove(); else box.replaceChildren(list);
    list.append(...r.items.map(hitItem));
    got.push(...r.items);
    csv.hidden = !got.length;
    count.textContent = !r.total ? '' : r.total_capped
      ? `Có hơn ${r.total - 1} kết quả chứa mọi từ đã gõ: đang hiện các hồ sơ mới nhất. Gõ thêm từ để thu hẹp.`
      : `Tìm thấy ${r.total} kết quả chứa mọi từ đã gõ`;
    if (!r.total) box.append(h('p', { cls: 'empty' }, 'Không có hồ sơ nào chứa mọi từ đã gõ.'));
    const next = offset + r.items.length;
    if (next < r.total && r.items.length) {
      const b = h('button', { type: 'button', cls: 'more', onclick: () => { busy(b, true); page(next, b); } }, 'Xem thêm');
      box.append(b);
    }
  }
  page(0, null);
  return h('section', { cls: 'ftsearch', 'aria-labelledby': 'ft-h' },
    h('h2', { id: 'ft-h' }, 'Tìm theo nội dung'),
    h('p', { cls: 'sub' }, 'Mọi thông tin của hồ sơ: người nộp, mã, thủ tục, số giấy tờ, điện thoại, địa chỉ, nội dung, số văn bản kết quả. Gõ một phần của từ cũng được; không áp dụng các điều kiện lọc ở trên.'),
    count, csv, box);
}
