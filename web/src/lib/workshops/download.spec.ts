import { describe, expect, it } from 'vitest';
import { fileNameOf } from './download.js';

describe('download file names', () => {
  it('keep letters of every script and drop what a file system may refuse', () => {
    expect(fileNameOf('Phoenix Journey: Tunis / Sfax', 'ics')).toBe(
      'Phoenix-Journey-Tunis-Sfax.ics',
    );
    expect(fileNameOf('ورشة عمّان', 'ics')).toBe('ورشة-عمّان.ics');
    expect(fileNameOf('../../etc', 'ics')).toBe('etc.ics');
    expect(fileNameOf('???', 'ics')).toBe('event.ics');
    expect(fileNameOf('x'.repeat(100), 'ics')).toBe(`${'x'.repeat(60)}.ics`);
  });
});
