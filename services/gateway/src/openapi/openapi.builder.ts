import {
  checkMailResponseSchema,
  errorResponseSchema,
  refreshCookieName,
  refreshCookiePath,
  type RouteDef,
} from '@agora/proto';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-route.decorator.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, unknown>;
    responses: Record<string, unknown>;
  };
}

/** zod 4 → JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the `$schema` line. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** `/members/:id` → `/api/members/{id}`. */
export function openApiPath(path: string): string {
  return API_PREFIX + path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationId(def: RouteDef): string {
  const words = `${def.method.toLowerCase()} ${def.path.replace(/[/:]+/g, ' ')}`
    .trim()
    .split(/\s+/);
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** One parameter per property of a params/query object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: prop,
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
  }));
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Which failures a route can answer, beyond the ones every route can. */
function errorResponses(def: RouteDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '400': errorRef('ValidationFailed'),
    '429': errorRef('RateLimited'),
    '500': errorRef('Internal'),
    '503': errorRef('Unavailable'),
  };
  if (def.auth !== 'public' || def.path === '/auth/refresh' || def.path === '/auth/login')
    out['401'] = errorRef('Unauthenticated');
  if (def.auth === 'admin') out['403'] = errorRef('Forbidden');
  if (def.params || def.auth !== 'public') out['404'] = errorRef('NotFound');
  // register: 409 only for an invitation link whose address has an account (its holder proved
  // the address); following a sign-up or email-change link: the address was taken meanwhile
  if (def.method === 'POST' && (def.path === '/auth/register' || def.path === '/auth/verify-email'))
    out['409'] = errorRef('Conflict');
  if (def.body !== undefined) {
    out['413'] = errorRef('PayloadTooLarge');
    out['415'] = errorRef('UnsupportedMediaType');
  }
  return out;
}

function successResponse(def: RouteDef): Record<string, unknown> {
  const status = String(def.status);
  if (def.response === null) return { [status]: { description: 'Done (no content)' } };
  if (def.response === 'binary' && def.contentTypes) {
    const types = Object.fromEntries(
      def.contentTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]),
    );
    return {
      [status]: {
        description:
          'The bytes, with their own content type: private, revalidated (ETag = content hash), nosniff, a sandboxing CSP, PDFs as a download (Content-Disposition: attachment)',
        headers: {
          ETag: { schema: { type: 'string' } },
          'Content-Disposition': { schema: { type: 'string' } },
          'Cache-Control': { schema: { type: 'string', const: 'private, no-cache' } },
        },
        content: types,
      },
      '304': { description: 'Not modified (If-None-Match matched; access checked first)' },
    };
  }
  if (def.response === 'binary') {
    return {
      [status]: {
        description: 'The bytes, with their own content type; cacheable forever (ETag = id)',
        headers: {
          ETag: { schema: { type: 'string' } },
          'Cache-Control': {
            schema: { type: 'string', const: 'public, max-age=31536000, immutable' },
          },
        },
        content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } },
      },
      '304': { description: 'Not modified (If-None-Match matched)' },
    };
  }
  const answers: Record<string, unknown> = {
    [status]: {
      description: def.summary,
      content: { 'application/json': { schema: jsonSchema(def.response, 'output') } },
    },
  };
  // registration answers 202 when it mailed a link instead of signing in (see its summary)
  if (def.method === 'POST' && def.path === '/auth/register')
    answers['202'] = {
      description: 'Check your mailbox: the same answer for a new address and a known one',
      content: { 'application/json': { schema: jsonSchema(checkMailResponseSchema, 'output') } },
    };
  return answers;
}

function requestBody(def: RouteDef): unknown {
  if (def.body === undefined) return undefined;
  if (def.body === 'binary' && def.contentTypes) {
    return {
      required: true,
      content: Object.fromEntries(
        [...def.contentTypes, 'application/octet-stream'].map((t) => [
          t,
          { schema: { type: 'string', contentMediaType: t } },
        ]),
      ),
    };
  }
  if (def.body === 'binary') {
    return {
      required: true,
      content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } },
    };
  }
  return {
    required: true,
    content: { 'application/json': { schema: jsonSchema(def.body, 'input') } },
  };
}

function security(def: RouteDef): unknown[] | undefined {
  if (def.auth !== 'public') return [{ bearerAuth: [] }];
  if (def.path === '/auth/refresh' || def.path === '/auth/logout') return [{ refreshCookie: [] }];
  return undefined;
}

function errorResponse(description: string): unknown {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the proto route table. */
export function buildOpenApi(routes: readonly RouteDef[], version = '0.1.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const def of routes) {
    const path = openApiPath(def.path);
    const params = [...parameters(def.params, 'path'), ...parameters(def.query, 'query')];
    const body = requestBody(def);
    const sec = security(def);
    paths[path] ??= {};
    paths[path][def.method.toLowerCase()] = {
      operationId: operationId(def),
      summary: def.summary,
      tags: [def.tag],
      'x-agora-auth': def.auth,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body === undefined ? {} : { requestBody: body }),
      ...(sec === undefined ? { security: [] } : { security: sec }),
      responses: { ...successResponse(def), ...errorResponses(def) },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Agora API',
      version,
      description:
        'REST API of Agora. Every failure answers `{ error: { code, message, details } }`. ' +
        'Sign in with /api/auth/login; send the access token as `Authorization: Bearer <token>`; ' +
        `the refresh token travels only in the httpOnly cookie \`${refreshCookieName}\` (Path ${refreshCookiePath}).`,
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ErrorResponse: jsonSchema(errorResponseSchema, 'output') },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Access token (≤ 15 min)',
        },
        refreshCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: refreshCookieName,
          description: 'Rotating refresh token',
        },
      },
      responses: {
        ValidationFailed: errorResponse(
          'VALIDATION_FAILED: the input does not match the contract (details list the issues)',
        ),
        Unauthenticated: errorResponse('UNAUTHENTICATED or TOKEN_EXPIRED (refresh, then retry)'),
        Forbidden: errorResponse('FORBIDDEN: the role does not allow this'),
        NotFound: errorResponse('NOT_FOUND'),
        Conflict: errorResponse('CONFLICT'),
        PayloadTooLarge: errorResponse('PAYLOAD_TOO_LARGE: JSON bodies ≤ 100 KB, images ≤ 5 MiB'),
        UnsupportedMediaType: errorResponse('UNSUPPORTED_MEDIA_TYPE'),
        RateLimited: {
          ...(errorResponse('RATE_LIMITED: wait Retry-After seconds') as object),
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
        },
        Internal: errorResponse('INTERNAL'),
        Unavailable: errorResponse('UNAVAILABLE: a service did not answer'),
      },
    },
  };
}
