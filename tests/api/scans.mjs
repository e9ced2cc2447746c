// scans.mjs - scans the tests make from bytes (no outside tool): grey PNGs
// with noise and PDFs of many pages, each page a grey image, sized to order.
// Both pass the server's content checks (src/app/fcheck.c: libmagic's type,
// poppler opens the PDF and counts its pages, leptonica decodes the PNG).
import { deflateSync, crc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';

// One PNG chunk: length, type, data, CRC.
export function pngChunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

// A grey PNG of w x h pixels with noise from seed (two seeds differ);
// stored uncompressed, so it weighs about w * h bytes.
export function png(w, h, seed = 1) {
  const raw = Buffer.alloc((w + 1) * h);
  let x = seed;
  for (let i = 0; i < raw.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; raw[i] = i % (w + 1) === 0 ? 0 : (x >> 16) & 255; }
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 0 })), pngChunk('IEND', Buffer.alloc(0))]);
}

// A PDF of `pages` A4 pages, each showing a grey image of about `perPage`
// bytes of noise (a scan's weight), with a correct cross-reference table.
// pdf(1000, 20000) weighs about 20 MB.
export function pdf(pages, perPage = 4000) {
  const side = Math.max(8, Math.floor(Math.sqrt(perPage)));
  const parts = [];
  let len = 0;
  const offs = [];
  const put = (b) => { const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b; parts.push(buf); len += buf.length; };
  const obj = (n, body) => { offs[n] = len; put(`${n} 0 obj\n`); for (const b of [].concat(body)) put(b); put('\nendobj\n'); };
  put('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  // 1: catalog, 2: pages; page k: 3+3k (page), 4+3k (contents), 5+3k (image)
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  const kids = Array.from({ length: pages }, (_, k) => `${3 + 3 * k} 0 R`).join(' ');
  obj(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  const draw = `q 500 0 0 500 48 171 cm /Im0 Do Q`;
  for (let k = 0; k < pages; k++) {
    const p = 3 + 3 * k;
    obj(p, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${p + 2} 0 R >> >> /Contents ${p + 1} 0 R >>`);
    obj(p + 1, [`<< /Length ${draw.length} >>\nstream\n`, draw, '\nendstream']);
    const img = randomBytes(side * side);
    obj(p + 2, [`<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${img.length} >>\nstream\n`, img, '\nendstream']);
  }
  const n = 3 + 3 * pages;
  const xref = len;
  put(`xref\n0 ${n}\n0000000000 65535 f \n`);
  const rows = [];
  for (let i = 1; i < n; i++) rows.push(String(offs[i]).padStart(10, '0') + ' 00000 n \n');
  put(rows.join(''));
  put(`trailer\n<< /Size ${n} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
