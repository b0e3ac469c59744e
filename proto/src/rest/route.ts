import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `public`: anyone; `member`: a valid access token; `admin`: the member's role must be admin. */
export type RouteAuth = 'public' | 'member' | 'admin';

/** One REST route: the gateway validates against it, the OpenAPI document is generated from it, the web types from it. */
export interface RouteDef {
  readonly method: HttpMethod;
  /** Express-style path under `/api`, e.g. `/members/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly auth: RouteAuth;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** JSON body; `binary` for a raw upload body. */
  readonly body?: z.ZodType | 'binary';
  /** null = 204 No Content; `binary` = bytes with their own content type. */
  readonly response: z.ZodType | null | 'binary';
  /**
   * Media types of a `binary` body or response (the OpenAPI document and the gateway's early check
   * of a body's Content-Type); unset: `image/*`, cacheable forever by content hash.
   */
  readonly contentTypes?: readonly string[];
  readonly status: number;
}

export function route<const R extends RouteDef>(def: R): R {
  return def;
}
