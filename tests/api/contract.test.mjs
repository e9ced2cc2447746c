// contract.test.mjs - the API contract (issue 16): the validator the harness
// runs on every answer catches what it must (on a small document of its own,
// then on real answers of a node with one field broken), and the document the
// node serves is complete: every operation of the route table has an
// operationId, a tag, explicit security, a request schema where the route
// takes a body and a schema for each response status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startNode, stopNode, login, client, newDossier, motcua, errorCodes,
  loadContract, contractOf, checkExchange, exchangeProblems, operationOf, schemaValidator, deref,
} from './harness.mjs';

const ENV = { MOTCUA_TEST_NOW: '2026-03-02 09:00' };

let node;
let reception;
before(async () => {
  node = await startNode({ env: ENV });
  reception = await login(node, 'tiepnhan');
});
after(async () => { if (node) await stopNode(node); });

// The routes `motcua routes-markdown` lists (the route table of src/http/route.c).
function routeTable() {
  return motcua(['routes-markdown']).split('\n').filter((l) => /^\| [A-Z]+ \| `/.test(l)).map((l) => {
    const [, method, pattern, who, body, rate] = l.split('|').map((c) => c.trim());
    return { method, pattern: pattern.replace(/`/g, ''), who, body, rate };
  });
}

const throwsContract = (ex, re, what) => assert.throws(() => checkExchange(contract_, ex), re, what);
let contract_;

// ---- 1. the machinery, on a document of its own ----

const MINI = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } }],
      get: {
        operationId: 'getThing',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } },
          { name: 'full', in: 'query', schema: { type: 'boolean' } },
        ],
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          404: { $ref: '#/components/responses/NotFound' },
          429: {
            description: 'slow down',
            headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 0 } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
    '/things/new': {
      post: {
        operationId: 'makeThing',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingNew' } } } },
        responses: {
          201: { description: 'made', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          400: { $ref: '#/components/responses/NotFound' },
          204: { description: 'nothing' },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object', required: ['id', 'name', 'at'], additionalProperties: false,
        properties: { id: { type: 'integer' }, name: { type: 'string', maxLength: 5 }, at: { type: 'string', format: 'date-time' } },
        example: { id: 1, name: 'a', at: '2026-03-02T07:00:00+07:00' },
      },
      ThingNew: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 } } },
      Error: {
        type: 'object', required: ['error'],
        properties: { error: { type: 'object', required: ['code'], properties: { code: { type: 'string', enum: ['not_found', 'rate.limited'] } } } },
      },
    },
    responses: {
      NotFound: { description: 'no', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  },
};

const json = (status, body, headers = {}) => ({
  status, text: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers },
});
const thing = { id: 7, name: 'abc', at: '2026-03-02T07:00:00+07:00' };

test('validator, on a small document: a good answer passes, each broken one throws naming what broke', () => {
  const c = contractOf(MINI);
  const ok = (ex) => assert.deepEqual(exchangeProblems(c, ex), [], JSON.stringify(ex));
  const bad = (ex, re) => assert.throws(() => checkExchange(c, ex), (e) => {
    assert.match(e.message, /^contract: [A-Z]+ \/things\/\S+ -> \d{3} \(\w+\): /);
    assert.match(e.message, re);
    return true;
  });
  const get = { method: 'GET', path: '/things/7?limit=3&full=true' };
  ok({ ...get, ...json(200, thing) });
  ok({ ...get, ...json(404, { error: { code: 'not_found' } }) });
  ok({ ...get, ...json(429, { error: { code: 'rate.limited' } }, { 'Retry-After': '3' }) });
  bad({ ...get, ...json(200, { ...thing, id: '7' }) }, /\/id must be integer/);
  bad({ ...get, ...json(200, { id: 7, at: thing.at }) }, /must have required property 'name'/);
  bad({ ...get, ...json(200, { ...thing, extra: 1 }) }, /must NOT have additional properties/);
  bad({ ...get, ...json(200, { ...thing, name: 'abcdef' }) }, /\/name must NOT have more than 5 characters/);
  bad({ ...get, ...json(200, { ...thing, at: '2026-03-02 07:00' }) }, /\/at must match format "date-time"/);
  bad({ ...get, ...json(404, { error: { code: 'nope' } }) }, /must be equal to one of the allowed values/);
  bad({ ...get, ...json(500, { error: { code: 'not_found' } }) }, /status 500 is not documented \(documented: 200, 404, 429\)/);
  bad({ ...get, ...json(429, { error: { code: 'rate.limited' } }) }, /required header Retry-After is missing/);
  bad({ ...get, ...json(429, { error: { code: 'rate.limited' } }, { 'Retry-After': 'soon' }) }, /header Retry-After: 'soon' breaks its schema/);
  bad({ ...get, status: 200, text: JSON.stringify(thing), headers: { 'Content-Type': 'text/html' } }, /Content-Type 'text\/html' is not one of application\/json/);
  bad({ ...get, status: 200, text: '{"id":', headers: { 'Content-Type': 'application/json' } }, /the body is not JSON/);
  // Headers as fetch gives them.
  bad({ ...get, status: 200, text: '{}', headers: new Headers({ 'content-type': 'application/json; charset=utf-8' }) }, /required property 'id'/);
  // The literal path wins over the template; a method or path the document lacks is not checked.
  assert.equal(operationOf(c, 'POST', '/things/new').op.operationId, 'makeThing');
  ok({ method: 'PUT', path: '/things/7', ...json(405, 'whatever') });
  ok({ method: 'GET', path: '/elsewhere', ...json(200, 'whatever') });
  // A documented status without content must come without a body.
  const post = { method: 'POST', path: '/things/new', requestBody: '{"name":"x"}', requestContentType: 'application/json' };
  ok({ ...post, status: 204, text: '', headers: {} });
  bad({ ...post, status: 204, text: 'x', headers: { 'Content-Type': 'text/plain' } }, /./);
});

test('validator, on a small document: a request the contract forbids may be refused (4xx), never accepted (2xx)', () => {
  const c = contractOf(MINI);
  const post = { method: 'POST', path: '/things/new', requestContentType: 'application/json' };
  const made = json(201, thing);
  const refused = json(400, { error: { code: 'not_found' } });
  const cases = [
    [{ requestBody: '{"name":""}' }, /request body breaks its schema: \/name must NOT have fewer than 1 characters/],
    [{ requestBody: '{"name":"x","more":1}' }, /must NOT have additional properties/],
    [{ requestBody: '{"name":' }, /the request body is not JSON/],
    [{ requestBody: 'name=x', requestContentType: 'application/x-www-form-urlencoded' }, /request Content-Type 'application\/x-www-form-urlencoded' is not one of application\/json/],
    [{ requestBody: undefined }, /the operation requires one/],
  ];
  for (const [req, re] of cases) {
    assert.throws(() => checkExchange(c, { ...post, ...req, ...made }), new RegExp('accepted \\(201\\) a request the contract forbids: .*' + re.source));
    assert.deepEqual(exchangeProblems(c, { ...post, ...req, ...refused }), [], 'refused with 400: a bad-input test doing its job');
  }
  assert.deepEqual(exchangeProblems(c, { ...post, requestBody: new TextEncoder().encode('{"name":"x"}'), ...made }), []);
  assert.throws(() => checkExchange(c, { method: 'GET', path: '/things/7', requestBody: '{}', ...json(200, thing) }), /the operation takes no body/);
  // Path and query parameters, under the same rule.
  for (const [path, re] of [
    ['/things/x7', /path parameter id 'x7' breaks its schema: \(root\) must match pattern/],
    ['/things/7?limit=0', /query parameter limit '0' breaks its schema: \(root\) must be >= 1/],
    ['/things/7?limit=two', /query parameter limit 'two' breaks its schema: \(root\) must be integer/],
    ['/things/7?full=yes', /query parameter full 'yes' breaks its schema/],
    ['/things/7?colour=red', /query parameter 'colour' is not documented/],
  ]) {
    assert.throws(() => checkExchange(c, { method: 'GET', path, ...json(200, thing) }), new RegExp('accepted \\(200\\) a request the contract forbids: ' + re.source), path);
    assert.deepEqual(exchangeProblems(c, { method: 'GET', path, ...json(404, { error: { code: 'not_found' } }) }), [], `${path} refused`);
  }
});

// ---- 2. the validator on real answers of this node ----

test('validator, on the served document: a real answer passes, and fails once one field is broken', async () => {
  contract_ = await loadContract(node);
  assert.equal(contract_.doc.openapi, '3.1.0');
  const body = newDossier();
  const r = await reception.post('/api/v1/dossiers', body); // already checked by the harness
  assert.equal(r.status, 201);
  const ex = {
    method: 'POST', path: '/api/v1/dossiers', requestBody: JSON.stringify(body), requestContentType: 'application/json',
    status: r.status, text: r.text, headers: r.headers,
  };
  assert.deepEqual(exchangeProblems(contract_, ex), []);
  const d = JSON.parse(r.text);
  const broken = (f) => { const x = structuredClone(d); f(x); return { ...ex, text: JSON.stringify(x) }; };

  // A wrong type.
  throwsContract(broken((x) => { x.code = 42; }), /contract: POST \/api\/v1\/dossiers -> 201 \(receiveDossier\): the body breaks its schema.*\/code must be string/, 'code as a number');
  throwsContract(broken((x) => { x.overdue = 'no'; }), /\/overdue must be boolean/, 'overdue as a string');
  throwsContract(broken((x) => { x.code = 'HS-1'; }), /\/code must match pattern/, 'a code that is not a dossier code');
  throwsContract(broken((x) => { x.received_at = '2026-03-02 09:00'; }), /\/received_at must match/, 'a time without T and offset');
  // Each required field missing.
  const schema = schemaAt(contract_, ['paths', '/api/v1/dossiers', 'post', 'responses', '201', 'content', 'application/json', 'schema']);
  assert.ok(Array.isArray(schema.required) && schema.required.length >= 5, `the Dossier schema lists its required fields (${JSON.stringify(schema.required)})`);
  for (const f of schema.required) throwsContract(broken((x) => { delete x[f]; }), new RegExp(`must have required property '${f}'`), `without ${f}`);
  // A field the document does not have.
  throwsContract(broken((x) => { x.secret = 1; }), /must NOT have additional properties/, 'an undocumented field');
  // An undocumented status, a JSON answer under another type.
  throwsContract({ ...ex, status: 202 }, /status 202 is not documented/);
  throwsContract({ ...ex, headers: { 'Content-Type': 'text/plain' } }, /Content-Type 'text\/plain' is not one of application\/json/);
  // The request: a body the schema refuses, answered 201, is the server accepting what the contract forbids.
  throwsContract({ ...ex, requestBody: JSON.stringify({ ...body, channel: 'pigeon' }) }, /accepted \(201\) a request the contract forbids.*\/channel must be equal to one of the allowed values/);
  throwsContract({ ...ex, requestBody: JSON.stringify({ ...body, applicant: undefined }) }, /accepted \(201\).*must have required property 'applicant'/);
});

// The schema object at keys, following $refs (one level of allOf is not merged).
function schemaAt(c, keys) {
  let s = keys.reduce((v, k) => v[k], c.doc);
  for (let i = 0; s && s.$ref && i < 10; i++) s = s.$ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((v, k) => v[k], c.doc);
  return s;
}

test('validator, on the served document: error answers, the 429 header, the signed-out 401', async () => {
  const c = await loadContract(node);
  contract_ = c;
  const r = await client(node).get('/api/v1/me');
  assert.equal(r.status, 401);
  const ex = { method: 'GET', path: '/api/v1/me', status: 401, text: r.text, headers: r.headers };
  assert.deepEqual(exchangeProblems(c, ex), []);
  throwsContract({ ...ex, text: JSON.stringify({ error: { code: 'auth.required' } }) }, /must have required property 'message'/);
  throwsContract({ ...ex, text: JSON.stringify({ error: { code: 'not_a_code', message: 'x' } }) }, /must be equal to one of the allowed values/);
  throwsContract({ ...ex, text: JSON.stringify({ error: 'auth.required' }) }, /\/error must be object/);
  // Every route with a rate class may answer 429, which must carry Retry-After.
  const limited = { ...ex, status: 429, text: JSON.stringify({ error: { code: 'rate.limited', message: 'Chậm lại' } }) };
  throwsContract({ ...limited, headers: { 'Content-Type': 'application/json' } }, /required header Retry-After is missing/);
  assert.deepEqual(exchangeProblems(c, { ...limited, headers: { 'Content-Type': 'application/json', 'Retry-After': '12' } }), []);
  // A stable code answered under a status its table row does not give.
  const codes = errorCodes();
  const notFound = [...codes].find(([, s]) => s === 404)[0];
  throwsContract({ ...ex, status: 403, text: JSON.stringify({ error: { code: notFound, message: 'x' } }) }, /must be equal to one of the allowed values/);
});

// ---- 3. the document is complete ----

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operations(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path, op: item[m] });
  }
  return out;
}

// A schema that says nothing (a placeholder): no type beyond object/array and
// no keyword that constrains.
function saysNothing(c, s, seen = new Set()) {
  if (s === true || s === undefined) return true;
  if (s.$ref) {
    if (seen.has(s.$ref)) return false;
    seen.add(s.$ref);
    const t = s.$ref.slice(2).split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~')).reduce((v, k) => v && v[k], c.doc);
    return saysNothing(c, t, seen);
  }
  const keys = Object.keys(s).filter((k) => !['type', 'description', 'title', 'example', 'examples'].includes(k) && !k.startsWith('x-'));
  if (keys.length > 0) return false;
  const types = [].concat(s.type || []);
  return types.length === 0 || types.every((t) => t === 'object' || t === 'array');
}

test('every route of the route table is in the document and every operation of the document is a route', async () => {
  const { doc } = await loadContract(node);
  const routes = routeTable();
  assert.ok(routes.length >= 20);
  const inDoc = operations(doc).map((o) => `${o.method} ${o.path}`).sort();
  assert.deepEqual(inDoc, routes.map((r) => `${r.method} ${r.pattern}`).sort());
  // The document the node serves is the one the binary prints.
  assert.deepEqual(doc, JSON.parse(motcua(['openapi'])));
});

test('every operation: operationId, a known tag, explicit security, a request schema where the route takes a body, a schema for each status', async () => {
  const c = await loadContract(node);
  const { doc } = c;
  const routes = new Map(routeTable().map((r) => [`${r.method} ${r.pattern}`, r]));
  const tags = new Set((doc.tags || []).map((t) => t.name));
  const schemes = new Set(Object.keys(doc.components?.securitySchemes || {}));
  const ids = new Map();
  const problems = [];
  for (const { method, path, op } of operations(doc)) {
    const where = `${method} ${path}`;
    const route = routes.get(where);
    const no = (what) => problems.push(`${where}: ${what}`);
    if (typeof op.operationId !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) no(`operationId '${op.operationId}' (want camelCase)`);
    else if (ids.has(op.operationId)) no(`operationId ${op.operationId} also names ${ids.get(op.operationId)}`);
    else ids.set(op.operationId, where);
    if (!Array.isArray(op.tags) || op.tags.length === 0) no('no tag');
    else for (const t of op.tags) if (!tags.has(t)) no(`tag '${t}' is not in the document's tags`);
    if (typeof op.summary !== 'string' || op.summary.length === 0) no('no summary');
    if (!Array.isArray(op.security)) no('no explicit security');
    else {
      for (const req of op.security) for (const s of Object.keys(req)) if (!schemes.has(s)) no(`security scheme '${s}' is not defined`);
      if (route && (route.who === 'anyone') !== (op.security.length === 0)) no(`security ${JSON.stringify(op.security)} but the route table says who: ${route.who}`);
    }
    // The request body.
    const takesBody = route && route.body !== 'none';
    if (takesBody) {
      const content = op.requestBody && schemaAt(c, ['paths', path, method.toLowerCase(), 'requestBody']).content;
      if (!content || Object.keys(content).length === 0) no('takes a body (route table) but documents no requestBody');
      else {
        for (const [mt, m] of Object.entries(content)) {
          if (!m.schema) no(`requestBody ${mt} has no schema`);
          else if (mt === 'application/json' && saysNothing(c, m.schema)) no(`requestBody ${mt} schema says nothing (a placeholder)`);
        }
      }
    } else if (op.requestBody) no('documents a requestBody but the route takes no body');
    // Each response.
    const statuses = Object.keys(op.responses || {});
    if (!statuses.some((s) => /^2/.test(s))) no('no 2xx response');
    if ('default' in (op.responses || {})) no('a default response (every status is listed instead)');
    for (const s of statuses) {
      const resp = schemaAt(c, ['paths', path, method.toLowerCase(), 'responses', s]);
      if (!resp.description) no(`${s}: no description`);
      if (s === '204' || s === '304') continue;
      const content = resp.content || {};
      if (Object.keys(content).length === 0) { no(`${s}: no content`); continue; }
      for (const [mt, m] of Object.entries(content)) {
        if (!m.schema) no(`${s} ${mt}: no schema`);
        else if (saysNothing(c, m.schema)) no(`${s} ${mt}: the schema says nothing (a placeholder)`);
      }
    }
    // Error statuses the route can reach: 401/403 when signed-in only, 413/415 with a body, 429 with a rate class.
    if (route) {
      if (route.who !== 'anyone') for (const s of ['401', '403']) if (!statuses.includes(s)) no(`${s} not documented for a signed-in route`);
      if (takesBody) for (const s of ['400', '413', '415']) if (!statuses.includes(s)) no(`${s} not documented for a route that takes a body`);
      if (path.includes('{') && !statuses.includes('404')) no('404 not documented for a path with a parameter');
    }
  }
  assert.ok(problems.length === 0, `${problems.length} problems in the document:\n  ${problems.join('\n  ')}`);
});

test('every schema of the document compiles, with no unknown format or keyword warning', async () => {
  const c = await loadContract(node);
  const failed = [];
  for (const name of Object.keys(c.doc.components?.schemas || {})) {
    try { schemaValidator(c, ['components', 'schemas', name]); } catch (e) { failed.push(`${name}: ${e.message}`); }
  }
  for (const { method, path, op } of operations(c.doc)) {
    for (const s of Object.keys(op.responses || {})) {
      const resp = deref(c.doc, ['paths', path, method.toLowerCase(), 'responses', s]);
      for (const mt of Object.keys(resp.node.content || {})) {
        try { schemaValidator(c, [...resp.keys, 'content', mt, 'schema']); } catch (e) { failed.push(`${method} ${path} ${s}: ${e.message}`); }
      }
    }
  }
  assert.deepEqual(failed, []);
  assert.deepEqual(c.warnings, [], 'ajv warnings while compiling the document');
});

test('the examples in the document validate against their schemas', async () => {
  const c = await loadContract(node);
  const bad = [];
  const visit = (v, keys) => {
    if (!v || typeof v !== 'object') return;
    if (keys.length >= 1 && v.example !== undefined && (v.type || v.properties || v.$ref || v.allOf || v.enum)) {
      const val = schemaValidator(c, keys);
      if (!val(v.example)) bad.push(`${keys.join(' ')}: ${JSON.stringify(val.errors.slice(0, 3))}`);
    }
    if (keys.at(-1) === 'application/json' && v.schema) {
      const exs = [...(v.example !== undefined ? [['example', v.example]] : []), ...Object.entries(v.examples || {}).map(([k, e]) => [k, e.value])];
      const val = schemaValidator(c, [...keys, 'schema']);
      for (const [k, e] of exs) if (e !== undefined && !val(e)) bad.push(`${keys.join(' ')} example ${k}: ${JSON.stringify(val.errors.slice(0, 3))}`);
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'example' && k !== 'examples') visit(x, [...keys, k]);
  };
  visit(c.doc.paths, ['paths']);
  visit(c.doc.components, ['components']);
  assert.deepEqual(bad, []);
});
