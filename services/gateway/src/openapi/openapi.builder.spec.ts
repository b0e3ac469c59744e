import { allRoutes, identityRoutes } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { buildOpenApi, openApiPath } from './openapi.builder.js';

const doc = buildOpenApi(allRoutes);
type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
};
const op = (path: string, method: string): Operation =>
  doc.paths[openApiPath(path)]?.[method.toLowerCase()] as Operation;

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('buildOpenApi', () => {
  it('is an OpenAPI 3.1 document with every route of the table under its method and path', () => {
    expect(doc.openapi).toBe('3.1.0');
    let count = 0;
    for (const route of allRoutes) {
      const operation = op(route.path, route.method);
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.responses[String(route.status)]).toBeDefined();
      count += 1;
    }
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p));
    expect(operations).toHaveLength(count);
    const ids = Object.values(doc.paths).flatMap((p) =>
      Object.values(p).map((o) => (o as Operation).operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every path template parameter, required, in the path', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item) as Operation[]) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort()).toEqual([...names].sort());
        expect(declared.every((p) => p.required)).toBe(true);
      }
    }
  });

  it('resolves every $ref and carries no $schema lines', () => {
    for (const ref of refs(doc)) {
      const [, section, name] = /^#\/components\/(\w+)\/(\w+)$/.exec(ref) ?? [];
      expect(
        (doc.components as Record<string, Record<string, unknown>>)[section ?? '']?.[name ?? ''],
        ref,
      ).toBeDefined();
    }
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it('describes auth: bearer for member/admin routes, cookie for refresh, 403 for admin routes', () => {
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(doc.components.securitySchemes).toHaveProperty('refreshCookie');
    expect(op('/me', 'GET').security).toEqual([{ bearerAuth: [] }]);
    expect(op('/auth/login', 'POST').security).toEqual([]);
    expect(op('/auth/refresh', 'POST').security).toEqual([{ refreshCookie: [] }]);
    expect(op('/admin/members', 'GET').responses['403']).toBeDefined();
    expect(op('/me', 'GET').responses['401']).toBeDefined();
  });

  it('documents bodies: strict JSON schemas, and raw images for the upload', () => {
    const body = op('/auth/register', 'POST').requestBody?.content['application/json'] as {
      schema: { additionalProperties: boolean; required: string[] };
    };
    expect(body.schema.additionalProperties).toBe(false);
    expect(body.schema.required).toContain('email');
    expect(op(identityRoutes.meImage.path, 'PUT').requestBody?.content).toHaveProperty(['image/*']);
    expect(op('/admin/members', 'GET').parameters?.map((p) => p.name)).toEqual([
      'offset',
      'limit',
      'q',
      'status',
      'invitedBy',
    ]);
    expect(op('/auth/logout', 'POST').responses['204']).toBeDefined();
  });
});
