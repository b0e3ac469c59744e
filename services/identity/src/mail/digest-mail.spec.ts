import { describe, expect, it } from 'vitest';
import { uiLanguages } from '@agora/proto';
import { digestMail } from './digest-mail.js';

describe('digestMail', () => {
  it.each(uiLanguages)('tells each type with its count in %s', (language) => {
    const mail = digestMail({
      displayName: 'Salma',
      counts: { mention: 2, 'proposal-decided': 1 },
      link: 'https://agora.example/notifications',
      language,
    });
    expect(mail.subject).toContain('3');
    expect(mail.text).toContain('2 ×');
    expect(mail.text).toContain('1 ×');
    expect(mail.html).toContain(`lang="${language}"`);
    expect(mail.html).toContain(`dir="${language === 'ar' ? 'rtl' : 'ltr'}"`);
    expect(mail.html.match(/<li>/g)).toHaveLength(2);
  });

  it('escapes the member’s name', () => {
    const mail = digestMail({
      displayName: '<img src=x onerror=alert(1)>',
      counts: { mention: 1 },
      link: 'https://agora.example/notifications',
      language: 'en',
    });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img');
  });
});
