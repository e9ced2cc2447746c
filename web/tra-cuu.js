// tra-cuu.js - the citizen's look-up: the dossier code (from the URL a
// receipt's QR code holds, or typed) and the last 4 digits of the phone.
// Shows only what the public API returns: nothing personal.
import { h, clear, api, ApiError, fmtDT, msgBox, field, busy, stateBadge, tooLong } from './lib.js';

const root = document.getElementById('app');
const fromUrl = (() => {
  const m = /^\/tra-cuu\/(.+)$/.exec(location.pathname);
  try { return m ? decodeURIComponent(m[1]).trim() : ''; } catch { return ''; }
})();

function err(e) {
  if (e instanceof ApiError) {
    if (e.status === 404) return 'Không tìm thấy hồ sơ với mã và số điện thoại này. Vui lòng kiểm tra lại mã hồ sơ trên giấy hẹn và 4 số cuối điện thoại đã khai khi nộp.';
    if (e.code === 'rate.lookup_paused') return e.message;
    if (e.status === 429) return `Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ${e.retry || 60} giây.`;
    if (e.status === 0) return e.message;
    if (e.status === 400) return 'Thông tin gửi lên chưa hợp lệ. Vui lòng kiểm tra lại.';
    return `Có lỗi khi tra cứu (${e.status}). Chi tiết: ${e.message}`;
  }
  return 'Có lỗi: ' + e.message;
}

function page(code) {
  const codeIn = h('input', { name: 'code', value: code, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: 'Ví dụ: 000.31.45.H45-260302-0007' });
  const phone = h('input', { name: 'phone', inputmode: 'numeric', autocomplete: 'off', maxlength: 4, pattern: '[0-9]{4}', placeholder: '4 số cuối' });
  const Fc = field('Mã hồ sơ', codeIn, 'In trên giấy tiếp nhận và hẹn trả kết quả.');
  const Fp = field('4 số cuối số điện thoại đã khai khi nộp hồ sơ', phone);
  const out = h('div', { cls: 'result', 'aria-live': 'polite' });
  const b = h('button', { type: 'submit', cls: 'primary wide' }, 'Tra cứu');
  const form = h('form', { cls: 'card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    Fc.setError(''); Fp.setError('');
    const c = codeIn.value.trim().toUpperCase(), p = phone.value.trim(); // codes are upper case (H45); people type h45
    if (!c) { Fc.setError('Nhập mã hồ sơ.'); codeIn.focus(); return; }
    if (!/^\d{4}$/.test(p)) { Fp.setError('Nhập đúng 4 chữ số cuối của số điện thoại.'); phone.focus(); return; }
    busy(b, true);
    clear(out, h('p', { cls: 'loading' }, 'Đang tra cứu…'));
    try {
      const r = await api('GET', `/public/lookup?code=${encodeURIComponent(c)}&phone=${encodeURIComponent(p)}`);
      history.replaceState(null, '', '/tra-cuu/' + encodeURIComponent(r.code));
      show(out, r, p);
      out.querySelector('h2').focus();
    } catch (x) { clear(out, msgBox('err', err(x))); }
    busy(b, false);
  } },
  code ? [h('p', null, 'Mã hồ sơ: ', h('strong', { cls: 'mono' }, code)), h('div', { hidden: true }, Fc)] : Fc,
  Fp, b, code ? h('p', { cls: 'small' }, h('a', { href: '/tra-cuu' }, 'Tra cứu hồ sơ khác')) : null);
  clear(root,
    h('header', { cls: 'pub-top' }, h('strong', null, 'Tra cứu hồ sơ thủ tục hành chính'), h('span', null, 'Trung tâm Phục vụ hành chính công xã')),
    h('main', { cls: 'pub' }, form, out),
    h('footer', { cls: 'pub-foot' }, 'Trang tra cứu không hiển thị thông tin cá nhân của người nộp hồ sơ.'));
  (code ? phone : codeIn).focus();
}

function show(out, r, phone) {
  const dl = (k, v) => [h('dt', null, k), h('dd', null, v)];
  clear(out, h('section', { cls: 'card' },
    h('h2', { tabindex: '-1' }, 'Kết quả tra cứu'),
    h('dl', { cls: 'kv' },
      dl('Mã hồ sơ', h('span', { cls: 'mono' }, r.code)),
      dl('Thủ tục', r.procedure_name || r.procedure),
      dl('Tình trạng', stateBadge(r.status, r.status_label)),
      r.agency_name ? dl('Nơi giải quyết', r.agency_name) : null,
      // Refused or sent back at the desk, a dossier was never received: the
      // citizen sees the reason, or what to bring (issue 10 items 1 and 2).
      r.received_at ? dl('Ngày tiếp nhận', fmtDT(r.received_at)) : r.submitted_at ? dl('Ngày nộp hồ sơ', fmtDT(r.submitted_at)) : null,
      r.refusal_reason ? dl('Lý do không tiếp nhận', h('span', { cls: 'note-text' }, r.refusal_reason), items(r)) : null,
      r.supplement_request ? dl('Giấy tờ cần bổ sung', h('span', { cls: 'note-text' }, r.supplement_request), items(r)) : null,
      r.due_at ? dl('Ngày hẹn trả kết quả', fmtDT(r.due_at)) : null,
      r.finished_at ? dl('Ngày có kết quả', fmtDT(r.finished_at)) : null),
    r.supplement_request ? h('p', { cls: 'small' }, r.received_at
      ? 'Thời gian giải quyết tạm dừng cho đến khi ông/bà nộp đủ giấy tờ bổ sung.'
      : 'Hồ sơ chưa được tiếp nhận: ngày hẹn trả kết quả sẽ được tính khi ông/bà nộp đủ giấy tờ bổ sung.') : null,
    h('h3', null, 'Các bước đã thực hiện'),
    r.steps && r.steps.length
      ? h('ol', { cls: 'steps' }, r.steps.map((s) => h('li', null, h('span', { cls: 'when' }, fmtDT(s.at)), ' ', stateBadge(s.status, s.status_label))))
      : h('p', { cls: 'empty' }, 'Chưa có bước nào.')),
  r.can_rate ? rating(r, phone) : r.rated ? msgBox('ok', 'Hồ sơ này đã được đánh giá. Xin cảm ơn!') : null);
}

function rating(r, phone) {
  const levels = [[3, 'Rất hài lòng'], [2, 'Hài lòng'], [1, 'Không hài lòng']];
  const comment = h('textarea', { name: 'comment', rows: 3, maxlength: 1000 });
  const out = h('div', { 'aria-live': 'polite' });
  const b = h('button', { type: 'submit', cls: 'primary wide' }, 'Gửi đánh giá');
  const form = h('form', { cls: 'card rating', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const sel = form.querySelector('input[name=level]:checked');
    if (!sel) { clear(out, msgBox('err', 'Chọn một mức đánh giá.')); return; }
    if (tooLong(comment.value.trim(), 1000)) { clear(out, msgBox('err', 'Góp ý quá dài (tối đa khoảng 350 chữ): xin rút gọn.')); comment.focus(); return; }
    busy(b, true);
    try {
      const body = { code: r.code, phone, level: Number(sel.value) };
      if (comment.value.trim()) body.comment = comment.value.trim();
      await api('POST', '/public/ratings', body);
      form.replaceWith(msgBox('ok', 'Cảm ơn ông/bà đã đánh giá chất lượng phục vụ!'));
    } catch (x) { busy(b, false); clear(out, msgBox('err', err(x))); }
  } },
  h('fieldset', null, h('legend', null, 'Ông/bà đánh giá thế nào về việc giải quyết hồ sơ này?'),
    levels.map(([v, l]) => h('div', { cls: 'chk big' }, h('input', { type: 'radio', name: 'level', value: v, id: 'lv' + v }), h('label', { for: 'lv' + v }, l)))),
  field('Góp ý (không bắt buộc)', comment), out, b);
  return form;
}

page(fromUrl);

// The notice's items, each in full (issue 10 item 6).
function items(r) {
  return r.notice_items && r.notice_items.length ? h('ol', { cls: 'notice-items' }, r.notice_items.map((t) => h('li', null, t))) : null;
}
