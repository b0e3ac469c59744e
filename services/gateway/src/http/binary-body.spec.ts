import type { IncomingMessage } from 'node:http';
import { allRoutes, attachmentRoutes, buckets, identityRoutes } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import {
  BINARY_BODY_LIMIT,
  IMAGE_BODY,
  binaryRouteOf,
  expectsContinue,
  typedBody,
} from './binary-body.js';

function req(method: string, url: string, extra: Record<string, unknown> = {}): IncomingMessage {
  return { method, url, headers: {}, ...extra } as unknown as IncomingMessage;
}

describe('binary routes', () => {
  it('are found from the route table (body: binary), query strings and the /api prefix aside', () => {
    expect(allRoutes.filter((r) => r.body === 'binary')).toEqual([
      identityRoutes.meImage,
      attachmentRoutes.attachmentUpload,
      attachmentRoutes.forumImageUpload,
    ]);
    expect(
      binaryRouteOf(req('POST', `/api/channels/${'a'.repeat(24)}/attachments?name=x.pdf`)),
    ).toBe(attachmentRoutes.attachmentUpload);
    expect(binaryRouteOf(req('PUT', '/api/me/avatar'))).toBe(identityRoutes.meImage);
    expect(binaryRouteOf(req('PUT', '/api/me/cover/?x=1'))).toBe(identityRoutes.meImage);
    // Under app.use('/api'), Express strips the prefix from url and keeps it in originalUrl.
    expect(binaryRouteOf(req('PUT', '/me/avatar', { originalUrl: '/api/me/avatar' }))).toBe(
      identityRoutes.meImage,
    );
  });

  it('are not other methods or paths', () => {
    expect(binaryRouteOf(req('GET', '/api/me/avatar'))).toBeUndefined();
    expect(binaryRouteOf(req('PUT', '/api/me'))).toBeUndefined();
    expect(binaryRouteOf(req('PUT', '/api/me/avatar/x'))).toBeUndefined();
    expect(binaryRouteOf(req('PUT', '/me/avatar'))).toBeUndefined();
  });

  it('check the declared type early: images for avatars, the listed types for attachments', () => {
    expect(IMAGE_BODY.accepts('image/png')).toBe(true);
    expect(IMAGE_BODY.accepts('application/pdf')).toBe(false);
    const attachment = typedBody(attachmentRoutes.attachmentUpload, 1024, 'attachments');
    for (const ok of ['application/pdf', 'image/gif', 'image/PNG', 'application/octet-stream'])
      expect(attachment.accepts(ok), ok).toBe(true);
    for (const no of ['text/html', 'image/svg+xml', 'application/json', ''])
      expect(attachment.accepts(no), no).toBe(false);
    expect(attachment.maxBytes).toBe(1024);
  });

  it('take at most what one upload object may hold', () => {
    expect(BINARY_BODY_LIMIT).toBe(buckets.uploads.maxObjectBytes);
  });

  it('recognise Expect: 100-continue', () => {
    expect(expectsContinue(req('PUT', '/', { headers: { expect: '100-Continue' } }))).toBe(true);
    expect(expectsContinue(req('PUT', '/', { headers: {} }))).toBe(false);
    expect(expectsContinue(req('PUT', '/', { headers: { expect: '200-ok' } }))).toBe(false);
  });
});
