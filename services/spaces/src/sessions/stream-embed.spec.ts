import { describe, expect, it } from 'vitest';
import { isEmbeddable, parseStreamHosts } from './stream-embed.js';

const hosts = parseStreamHosts(' www.youtube.com, player.vimeo.com ,.peertube.example,,');

describe('stream embedding', () => {
  it('embeds https URLs of listed hosts, and subdomains of a dotted entry', () => {
    expect(hosts).toEqual(['www.youtube.com', 'player.vimeo.com', '.peertube.example']);
    expect(isEmbeddable('https://www.youtube.com/embed/abc', hosts)).toBe(true);
    expect(isEmbeddable('https://WWW.YOUTUBE.COM/embed/abc', hosts)).toBe(true);
    expect(isEmbeddable('https://tube.peertube.example/w/1', hosts)).toBe(true);
    expect(isEmbeddable('https://peertube.example/w/1', hosts)).toBe(true);
  });
  it('links anything else: other hosts, look-alikes, plain http, garbage, none', () => {
    expect(isEmbeddable('https://youtube.com.evil.example/x', hosts)).toBe(false);
    expect(isEmbeddable('https://evilpeertube.example/x', hosts)).toBe(false);
    expect(isEmbeddable('http://www.youtube.com/embed/abc', hosts)).toBe(false);
    expect(isEmbeddable('not a url', hosts)).toBe(false);
    expect(isEmbeddable(null, hosts)).toBe(false);
  });
});
