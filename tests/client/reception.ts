// reception.ts - a reception desk's day, through a client derived from the
// API document alone: the types come from `openapi-typescript` run on
// `motcua openapi` (build/client/schema.d.ts, imported as 'motcua-api'),
// the calls go through `openapi-fetch`. tsc checks every path, parameter,
// body field and answer field against the document: a field the document
// does not have does not compile. tests/client/client.test.mjs generates the
// types, compiles this file into build/client/out and runs it against a
// fresh demo node.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, components } from 'motcua-api';

export type Dossier = components['schemas']['Dossier'];

export interface Reception {
  signedInAs: string;
  received: Dossier;
  moved: Dossier;
  readBack: Dossier;
}

function fail(what: string, response: Response, error: unknown): never {
  throw new Error(`${what}: ${response.status} ${JSON.stringify(error)}`);
}

// Signs in as an officer of the reception desk, receives a dossier, assigns
// it to a specialist and reads it back.
export async function reception(baseUrl: string, login: string, password: string, specialist: string): Promise<Reception> {
  const api = createClient<paths>({ baseUrl });
  // The session cookie: kept from the sign-in, sent on every later call.
  let cookie = '';
  const jar: Middleware = {
    onRequest({ request }) {
      if (cookie) request.headers.set('Cookie', cookie);
      return request;
    },
    onResponse({ response }) {
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0] ?? '';
      return response;
    },
  };
  api.use(jar);

  const session = await api.POST('/api/v1/session', { body: { login, password } });
  if (!session.data) fail('sign in', session.response, session.error);
  const csrf: string = session.data.csrf_token;
  const signedInAs: string = session.data.user.login;

  const received = await api.POST('/api/v1/dossiers', {
    params: { header: { 'X-CSRF-Token': csrf } },
    body: {
      procedure: '1.000253',
      channel: 'direct',
      applicant: { name: 'Trần Thị Khách', id_number: '025090001234', phone: '0912345678' },
      summary: 'Hồ sơ nhận qua client sinh từ tài liệu OpenAPI',
    },
  });
  if (!received.data) fail('receive', received.response, received.error);
  const code: string = received.data.code; // FIELD

  const moved = await api.POST('/api/v1/dossiers/{code}/actions', {
    params: { path: { code }, header: { 'X-CSRF-Token': csrf } },
    body: { action: 'assign', to: specialist, comment: 'Giao chuyên viên xử lý' },
  });
  if (!moved.data) fail('assign', moved.response, moved.error);

  const readBack = await api.GET('/api/v1/dossiers/{code}', { params: { path: { code } } });
  if (!readBack.data) fail('read back', readBack.response, readBack.error);

  return { signedInAs, received: received.data, moved: moved.data, readBack: readBack.data };
}
