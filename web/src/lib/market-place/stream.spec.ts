import { describe, expect, it } from 'vitest';
import { embedUrl } from './stream.js';

describe('the stream’s embed address', () => {
  it('turns watch pages into their players', () => {
    expect(embedUrl('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10')).toBe(
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    expect(embedUrl('https://youtu.be/dQw4w9WgXcQ')).toBe(
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    expect(embedUrl('https://www.youtube.com/live/dQw4w9WgXcQ')).toBe(
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
    );
    expect(embedUrl('https://vimeo.com/76979871')).toBe('https://player.vimeo.com/video/76979871');
    expect(embedUrl('https://tube.example.org/w/9c9de5e8-0a1e')).toBe(
      'https://tube.example.org/videos/embed/9c9de5e8-0a1e',
    );
  });

  it('keeps other addresses as they are and refuses what is not http(s)', () => {
    expect(embedUrl('https://meet.jit.si/AgoraMarketPlace')).toBe(
      'https://meet.jit.si/AgoraMarketPlace',
    );
    expect(embedUrl('javascript:alert(1)')).toBeNull();
    expect(embedUrl('not a url')).toBeNull();
    expect(embedUrl('https://www.youtube.com/watch?v=<script>')).toBe(
      'https://www.youtube.com/watch?v=%3Cscript%3E',
    );
  });
});
