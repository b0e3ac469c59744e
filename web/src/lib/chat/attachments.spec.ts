import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import { acceptedType, formatBytes, imageMarkdown, problemOf } from './attachments.js';

describe('attachments in the web', () => {
  it('say why a file was refused from the server code', () => {
    expect(problemOf(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'x'))).toBe('too-big');
    expect(problemOf(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'x'))).toBe('wrong-type');
    expect(problemOf(new ApiError(400, 'VALIDATION_FAILED', 'x'))).toBe('empty');
    expect(problemOf(new ApiError(403, 'FORBIDDEN', 'x'))).toBe('forbidden');
    expect(problemOf(new ApiError(0, 'NETWORK', 'x'))).toBe('failed');
    expect(problemOf(new Error('boom'))).toBe('failed');
  });

  it('offer images and PDFs, leaving a type the browser does not know to the server', () => {
    expect(acceptedType({ type: 'application/pdf' })).toBe(true);
    expect(acceptedType({ type: 'image/gif' })).toBe(true);
    expect(acceptedType({ type: '' })).toBe(true);
    expect(acceptedType({ type: 'text/html' })).toBe(false);
    expect(acceptedType({ type: 'image/svg+xml' })).toBe(false);
  });

  it('show sizes in the reader’s language', () => {
    expect(formatBytes(512, 'en')).toBe('512 byte');
    expect(formatBytes(1_250_000, 'en')).toBe('1.3 MB');
    expect(formatBytes(1_250_000, 'fr')).toMatch(/^1,3\s?Mo$/);
  });

  it('write a forum image as markdown whose alt text cannot break out of the brackets', () => {
    const url = `/api/forum-images/${'a'.repeat(64)}`;
    const image = {
      url,
      name: 'map [v2].png',
      contentType: 'image/png' as const,
      bytes: 9,
      width: 1,
      height: 1,
    };
    expect(imageMarkdown(image)).toBe(`![map v2.png](${url})`);
  });
});
