/**
 * @atrium/client: Atrium's HTTP API, typed from its OpenAPI document (api.generated.ts, written by `npm run types`
 * for the modules the platform ships) and called through openapi-fetch. Paths, parameters, request bodies and
 * answers are checked by tsc: `client.GET('/api/admin/roles')` gives `{data: AdminRole[]}`. See docs/api.md, "Typed client".
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './api.generated.ts';

export type { components, paths };
/** The documented shapes: records of each model (`Schemas['crm.lead']`), `AdminRole`, `Session`, `Me`… */
export type Schemas = components['schemas'];
export type AtriumClient = Client<paths>;
/** The JSON body a path takes with a method (`RequestBody<'/api/admin/roles', 'post'>`). */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> =
  NonNullable<paths[P][M]> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export interface ClientOptions {
  /** The server's origin ("https://acme.example.com"; "" in a page it serves): the paths start with /api. */
  baseUrl: string;
  /** The bearer token of `POST /api/auth/login`, or where to read the current one. */
  token?: string | (() => string | null);
  fetch?: typeof globalThis.fetch;
}

export function createAtriumClient(options: ClientOptions): AtriumClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use({
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}
