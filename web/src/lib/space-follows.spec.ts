import { describe, expect, it } from 'vitest';
import { SpaceFollows } from './space-follows.js';

describe('SpaceFollows', () => {
  it('says when to join (first listener) and leave (last listener), and tells only its space', () => {
    const follows = new SpaceFollows();
    const heard: string[] = [];
    const a = (e: string) => heard.push(`a:${e}`);
    const b = (e: string) => heard.push(`b:${e}`);
    expect(follows.add('s1', a)).toBe(true);
    expect(follows.add('s1', b)).toBe(false);
    expect(follows.add('s2', a)).toBe(true);
    follows.notify('s1', 'proposal.status');
    follows.notify('s3', 'proposal.status');
    expect(heard).toEqual(['a:proposal.status', 'b:proposal.status']);
    expect(follows.remove('s1', a)).toBe(false);
    expect(follows.remove('s1', a)).toBe(false); // twice is harmless
    expect(follows.remove('s1', b)).toBe(true);
    expect(follows.spaces()).toEqual(['s2']);
    expect(follows.remove('nowhere', a)).toBe(false);
  });
});
