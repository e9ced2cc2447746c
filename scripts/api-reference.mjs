#!/usr/bin/env node
// api-reference.mjs [DOC.json] - prints docs/api-reference.md, the API
// reference a person reads, made from the OpenAPI document (`motcua openapi`;
// read from DOC.json, or from stdin without an argument). Per tag, per
// operation: method, path, summary, who may call (x-roles), sign-in, body
// limit and rate class, parameters, the request body's fields (name, type,
// required, limits, description), each response status with its body and
// error codes, examples; then every shared schema with its fields.
// `make docs` regenerates the file; tests/sh/contract.sh fails when it is stale.
// Node's standard library only.
import { readFileSync } from 'node:fs';

const doc = JSON.parse(readFileSync(process.argv[2] || 0, 'utf8'));
const out = [];
const w = (s = '') => out.push(s);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const cell = (s) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const code = (s) => '`' + String(s).replace(/`/g, "'") + '`';
const refName = (ref) => decodeURIComponent(ref.split('/').pop()).replace(/~1/g, '/').replace(/~0/g, '~');
const schemaAnchor = (name) => 'schema-' + name.toLowerCase();
const opAnchor = (op) => 'op-' + op.operationId.toLowerCase();

function resolve(x) {
  for (let i = 0; x && x.$ref && i < 20; i++) {
    x = x.$ref.slice(2).split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~')).reduce((v, k) => v && v[k], doc);
  }
  return x || {};
}

// A schema's type, as words; named schemas become links.
function typeOf(s) {
  if (!s || s === true) return 'any';
  if (s.$ref) return `[${refName(s.$ref)}](#${schemaAnchor(refName(s.$ref))})`;
  if (s.allOf) {
    const named = s.allOf.find((x) => x.$ref);
    return named ? typeOf(named) : s.allOf.map(typeOf).join(' and ');
  }
  if (s.oneOf || s.anyOf) return (s.oneOf || s.anyOf).map(typeOf).join(' or ');
  if (s.const !== undefined) return `${code(JSON.stringify(s.const))}`;
  const types = [].concat(s.type || (s.properties ? 'object' : s.items ? 'array' : []));
  if (types.length === 0) return 'any';
  return types.map((t) => {
    if (t === 'array') return `array of ${typeOf(s.items)}`;
    if (s.format && t !== 'null') return `${t} (${s.format})`;
    return t;
  }).join(' or ');
}

// Limits: lengths, ranges, pattern, enum, default.
function limitsOf(s) {
  if (!s || s.$ref) return '';
  const l = [];
  if (s.enum) l.push('one of ' + s.enum.map((v) => code(v === null ? 'null' : v)).join(', '));
  if (s.minLength !== undefined && s.maxLength !== undefined) l.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.minLength !== undefined) l.push(`at least ${s.minLength} characters`);
  else if (s.maxLength !== undefined) l.push(`at most ${s.maxLength} characters`);
  if (s.minimum !== undefined) l.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) l.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) l.push(`≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) l.push(`< ${s.exclusiveMaximum}`);
  if (s.minItems !== undefined) l.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) l.push(`at most ${s.maxItems} items`);
  if (s.uniqueItems) l.push('unique items');
  if (s.pattern) l.push(`pattern ${code(s.pattern)}`);
  if (s.default !== undefined) l.push(`default ${code(JSON.stringify(s.default))}`);
  if (s.items && !s.items.$ref) { const il = limitsOf(s.items); if (il) l.push(`each: ${il}`); }
  return l.join('; ');
}

// The fields of an object schema as rows [name, type, required, limits,
// description]; inline objects (and arrays of them) are unfolded as a.b, a[].b.
function fieldRows(s, prefix = '', depth = 0) {
  const rows = [];
  if (!s || s.$ref || depth > 6) return rows;
  const parts = s.allOf ? s.allOf.map((x) => (x.$ref && depth === 0 ? resolve(x) : x)) : [s];
  for (const p of parts) {
    if (p.$ref) continue;
    const req = new Set(p.required || []);
    for (const [name, f] of Object.entries(p.properties || {})) {
      const full = prefix + name;
      rows.push([full, typeOf(f), req.has(name) ? 'yes' : '', limitsOf(f), f.description || (f.$ref ? resolve(f).description : '')]);
      if (!f.$ref && (f.properties || f.allOf)) rows.push(...fieldRows(f, full + '.', depth + 1));
      if (!f.$ref && f.items && !f.items.$ref && f.items.properties) rows.push(...fieldRows(f.items, full + '[].', depth + 1));
    }
    if (p.additionalProperties && typeof p.additionalProperties === 'object') {
      rows.push([prefix + '*', typeOf(p.additionalProperties), '', limitsOf(p.additionalProperties), 'any other key']);
    }
  }
  return rows;
}

function fieldTable(s, indent = '') {
  const rows = fieldRows(s);
  if (rows.length === 0) return false;
  w(`${indent}| field | type | required | limits | description |`);
  w(`${indent}|---|---|---|---|---|`);
  for (const r of rows) w(`${indent}| ${code(r[0])} | ${cell(r[1])} | ${r[2]} | ${cell(r[3])} | ${cell(r[4])} |`);
  return true;
}

function example(media, schema) {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples || {})[0];
  if (first && first.value !== undefined) return first.value;
  const s = resolve(schema);
  return s.example ?? (s.examples ? s.examples[0] : undefined);
}

function jsonBlock(v) {
  w('```json');
  w(JSON.stringify(v, null, 2));
  w('```');
}

// The error codes an error response names (an enum on error.code).
function errorCodes(schema) {
  const found = [];
  const visit = (s) => {
    if (!s || typeof s !== 'object') return;
    if (s.allOf) s.allOf.forEach(visit);
    const c = s.properties?.error?.properties?.code;
    if (c && c.enum) found.push(...c.enum);
  };
  visit(schema);
  return found;
}

// ---- the page ----

const ops = [];
for (const [path, item] of Object.entries(doc.paths || {})) {
  for (const m of METHODS) if (item[m]) ops.push({ method: m.toUpperCase(), path, op: item[m], item });
}
const tags = (doc.tags || []).map((t) => t.name);
for (const o of ops) for (const t of o.op.tags || ['other']) if (!tags.includes(t)) tags.push(t);
const tagInfo = Object.fromEntries((doc.tags || []).map((t) => [t.name, t]));
const schemes = doc.components?.securitySchemes || {};

w('<!-- Generated by scripts/api-reference.mjs from the OpenAPI document (`motcua openapi`); do not edit by hand: run `make docs`. -->');
w(`# ${doc.info?.title || 'API'} reference`);
w();
if (doc.info?.description) { w(doc.info.description.trim()); w(); }
w(`OpenAPI ${doc.openapi}, API version ${doc.info?.version}. This page is made from the same document a node serves at`);
w('`GET /api/v1/openapi.json` (and `motcua openapi` prints); docs/api.md explains the conventions (sign-in, CSRF,');
w('limits, errors). Times are ISO 8601 with the Vietnamese offset, `+07:00`.');
w();
w('## Signing in');
w();
w('| scheme | kind | description |');
w('|---|---|---|');
for (const [name, s] of Object.entries(schemes)) {
  const kind = s.type === 'apiKey' ? `${s.in} ${code(s.name)}` : s.type === 'http' ? `HTTP ${s.scheme}` : s.type;
  w(`| ${code(name)} | ${cell(kind)} | ${cell(s.description)} |`);
}
w();
w('An operation whose sign-in is "none" is public.');
w();
w('## Operations');
w();
for (const t of tags) {
  const list = ops.filter((o) => (o.op.tags || ['other']).includes(t));
  if (list.length === 0) continue;
  w(`- **${t}**: ` + list.map((o) => `[${o.method} ${o.path}](#${opAnchor(o.op)})`).join(', '));
}
w();

for (const t of tags) {
  const list = ops.filter((o) => (o.op.tags || ['other'])[0] === t);
  if (list.length === 0) continue;
  w(`## ${t}`);
  w();
  const d = tagInfo[t]?.description;
  if (d && d !== t) { w(d.trim()); w(); }
  for (const { method, path, op, item } of list) {
    w(`<a id="${opAnchor(op)}"></a>`);
    w();
    w(`### ${method} ${path}`);
    w();
    w(`**${cell(op.summary)}**${op.operationId ? ` (operationId ${code(op.operationId)})` : ''}`);
    w();
    if (op.description) { w(op.description.trim()); w(); }
    const sec = op.security ?? doc.security ?? [];
    const who = op['x-roles'] ? op['x-roles'].join(', ') : '';
    const signin = sec.length === 0 ? 'none (public)' : sec.map((r) => Object.keys(r).map(code).join(' + ')).join(' or ');
    w(`- Who may call: ${sec.length === 0 ? 'anyone' : who || 'any signed-in user'}`);
    w(`- Sign-in: ${signin}`);
    if (op['x-body-limit']) w(`- Largest body: ${op['x-body-limit']} bytes`);
    if (op['x-rate-class']) w(`- Rate class: ${op['x-rate-class']}`);
    w();
    const params = [...(item.parameters || []), ...(op.parameters || [])].map(resolve);
    if (params.length) {
      w('Parameters:');
      w();
      w('| name | in | type | required | limits | description |');
      w('|---|---|---|---|---|---|');
      for (const p of params) w(`| ${code(p.name)} | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? 'yes' : ''} | ${cell(limitsOf(p.schema))} | ${cell(p.description)} |`);
      w();
    }
    if (op.requestBody) {
      const rb = resolve(op.requestBody);
      for (const [mt, media] of Object.entries(rb.content || {})) {
        w(`Request body (${code(mt)}${rb.required ? ', required' : ''}): ${cell(typeOf(media.schema))}${rb.description ? ' — ' + cell(rb.description) : ''}`);
        w();
        const s = resolve(media.schema);
        if (s.description && media.schema?.$ref) { w(s.description.trim()); w(); }
        if (fieldTable(s)) w();
        const ex = example(media, media.schema);
        if (ex !== undefined) { w('Example:'); w(); jsonBlock(ex); w(); }
      }
    }
    w('Responses:');
    w();
    w('| status | meaning | body |');
    w('|---|---|---|');
    const successes = [];
    for (const [status, r0] of Object.entries(op.responses || {})) {
      const r = resolve(r0);
      const media = r.content?.['application/json'];
      const mt = Object.keys(r.content || {})[0];
      let body = media ? typeOf(media.schema) : mt ? `${code(mt)}` : 'none';
      const codes = media ? errorCodes(resolve(media.schema)).concat(errorCodes(media.schema)) : [];
      if (codes.length) body += ': ' + [...new Set(codes)].map(code).join(', ');
      const headers = Object.entries(r.headers || {}).map(([h, x]) => `${code(h)}${resolve(x).required ? '' : ' (optional)'}`);
      if (headers.length) body += '; headers ' + headers.join(', ');
      w(`| ${status} | ${cell(r.description)} | ${cell(body)} |`);
      if (/^2/.test(status)) successes.push([status, r, media]);
    }
    w();
    for (const [status, r, media] of successes) {
      if (!media) continue;
      const s = media.schema;
      if (s && !s.$ref && fieldTable(resolve(s))) w();
      const ex = example(media, s);
      if (ex !== undefined) { w(`Example (${status}):`); w(); jsonBlock(ex); w(); }
    }
  }
}

const schemas = doc.components?.schemas || {};
if (Object.keys(schemas).length) {
  w('## Schemas');
  w();
  for (const [name, s] of Object.entries(schemas)) {
    w(`<a id="${schemaAnchor(name)}"></a>`);
    w();
    w(`### ${name}`);
    w();
    if (s.description) { w(s.description.trim()); w(); }
    const t = typeOf(s);
    if (!fieldTable(s)) {
      const lim = limitsOf(s);
      w(`${t}${lim ? ': ' + lim : ''}`);
      w();
    } else w();
    if (s.example !== undefined) { w('Example:'); w(); jsonBlock(s.example); w(); }
  }
}
while (out.length && out[out.length - 1] === '') out.pop();
process.stdout.write(out.join('\n') + '\n');
