import type { RouteDef } from '@agora/proto';
import type { z } from 'zod';
import { ApiError, apiErrorFrom, withSchemaDetail } from './errors.js';

/** Where the client gets the access token, and how it renews it after a TOKEN_EXPIRED answer. */
export interface TokenSource {
  token(): string | null;
  /** Renews the session; resolves false when it cannot (signed out). */
  refresh(): Promise<boolean>;
}

type Schema<T> = T extends z.ZodType ? T : never;
export type ResponseOf<R extends RouteDef> = R['response'] extends z.ZodType
  ? z.output<Schema<R['response']>>
  : R['response'] extends 'binary'
    ? Blob
    : undefined;
type BodyOf<R extends RouteDef> = R['body'] extends z.ZodType
  ? { body: z.input<Schema<R['body']>> }
  : R['body'] extends 'binary'
    ? { body: Blob }
    : { body?: undefined };
type ParamsOf<R extends RouteDef> = R['params'] extends z.ZodType
  ? { params: z.input<Schema<R['params']>> }
  : { params?: undefined };
type QueryOf<R extends RouteDef> = R['query'] extends z.ZodType
  ? { query?: z.input<Schema<R['query']>> }
  : { query?: undefined };
export type RequestOf<R extends RouteDef> = BodyOf<R> & ParamsOf<R> & QueryOf<R>;

/** `/members/:id` + `{ id }` → `/api/members/<id>`, each value URL-encoded. */
export function pathOf(
  route: RouteDef,
  params?: Record<string, unknown>,
  query?: Record<string, unknown>,
): string {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`missing path parameter "${name}" for ${route.path}`);
    }
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      search.set(key, String(value));
    }
  }
  const qs = search.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

/** What `send` needs at run time; the typed `RequestOf<R>` narrows it per route for callers. */
interface RawInput {
  body?: unknown;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
}

/** A read answered 429 is sent again after the server's Retry-After, at most this many times. */
const MAX_RATE_LIMIT_RETRIES = 2;
/** A longer wait than this is the member's to see (the error), not the page's to sit through. */
const MAX_RETRY_AFTER_SECONDS = 5;

/** The wait a 429 asks for, when it is short enough to wait out; null otherwise. */
function shortRetryAfterMs(res: Response): number | null {
  const header = res.headers.get('retry-after')?.trim() ?? '';
  if (!/^\d+$/.test(header)) return null;
  const seconds = Number(header);
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds * 1000 : null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ApiClient {
  request<R extends RouteDef>(route: R, input: RequestOf<R>): Promise<ResponseOf<R>>;
}

/**
 * Calls the gateway same-origin. Responses are checked against the route's proto schema, so a
 * contract drift is an error here rather than a wrong screen. A member route answered with
 * 401 TOKEN_EXPIRED is retried once after one refresh. A GET answered 429 with a short
 * Retry-After is sent again once that has passed (members behind one address share its budget, and
 * a page loads several reads at once); anything else that is rate limited fails with RATE_LIMITED.
 */
export function createApiClient(
  fetchFn: typeof fetch,
  tokens: TokenSource,
  wait: (ms: number) => Promise<void> = sleep,
): ApiClient {
  async function send(route: RouteDef, input: RawInput): Promise<Response> {
    const headers = new Headers({ accept: 'application/json' });
    const token = tokens.token();
    if (token) headers.set('authorization', `Bearer ${token}`);
    let body: BodyInit | undefined;
    if (route.body === 'binary' && input.body instanceof Blob) {
      body = input.body;
      headers.set('content-type', input.body.type || 'application/octet-stream');
    } else if (input.body !== undefined) {
      body = JSON.stringify(input.body);
      headers.set('content-type', 'application/json');
    } else if (route.method === 'POST') {
      // Some POST routes (refresh, logout) take no fields; an empty JSON object keeps the body valid.
      body = '{}';
      headers.set('content-type', 'application/json');
    }
    try {
      return await fetchFn(pathOf(route, input.params, input.query), {
        method: route.method,
        headers,
        body,
        credentials: 'same-origin',
      });
    } catch (cause) {
      throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : 'network error');
    }
  }

  /** `send`, with a rate-limited read sent again after the wait the server asks for. */
  async function sendPatiently(route: RouteDef, input: RawInput): Promise<Response> {
    let res = await send(route, input);
    for (let retry = 0; retry < MAX_RATE_LIMIT_RETRIES; retry += 1) {
      if (res.status !== 429 || route.method !== 'GET') break;
      const ms = shortRetryAfterMs(res);
      if (ms === null) break;
      await res.body?.cancel();
      await wait(ms);
      res = await send(route, input);
    }
    return res;
  }

  async function read(route: RouteDef, res: Response): Promise<unknown> {
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => null);
      throw apiErrorFrom(res.status, body);
    }
    if (route.response === null) return undefined;
    if (route.response === 'binary') return res.blob();
    const body: unknown = await res.json().catch(() => undefined);
    const parsed = route.response.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        res.status,
        'INTERNAL',
        `response of ${route.method} ${route.path} does not match the contract`,
        parsed.error.issues,
      );
    }
    return parsed.data;
  }

  return {
    async request<R extends RouteDef>(route: R, input: RequestOf<R>): Promise<ResponseOf<R>> {
      const generic = input as RawInput;
      let res = await sendPatiently(route, generic);
      if (res.status === 401 && route.auth !== 'public') {
        const body: unknown = await res
          .clone()
          .json()
          .catch(() => null);
        if (apiErrorFrom(401, body).code === 'TOKEN_EXPIRED' && (await tokens.refresh())) {
          res = await sendPatiently(route, generic);
        }
      }
      try {
        return (await read(route, res)) as ResponseOf<R>;
      } catch (err) {
        if (
          err instanceof ApiError &&
          err.code === 'VALIDATION_FAILED' &&
          typeof route.body === 'object'
        ) {
          const local = route.body.safeParse(generic.body);
          if (!local.success) throw withSchemaDetail(err, local.error.issues);
        }
        throw err;
      }
    },
  };
}
