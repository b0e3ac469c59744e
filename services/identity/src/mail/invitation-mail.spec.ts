import { uiLanguages } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { invitationMail } from './invitation-mail.js';

const link = 'http://agora.test/register?invite=tok_en-123';

describe('invitationMail', () => {
  it.each(uiLanguages)('has the link, the name and the message in %s', (language) => {
    const mail = invitationMail({ inviterName: 'Sofia', message: 'Hello!', link, language });
    expect(mail.subject).toContain('Sofia');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('"Hello!"');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain(`lang="${language}"`);
  });

  it('translates, and sets right-to-left for Arabic', () => {
    expect(invitationMail({ inviterName: 'S', message: '', link, language: 'pt' }).subject).toBe(
      'S convida-te para a Agora',
    );
    const ar = invitationMail({ inviterName: 'S', message: '', link, language: 'ar' });
    expect(ar.html).toContain('dir="rtl"');
    expect(invitationMail({ inviterName: 'S', message: '', link, language: 'en' }).html).toContain(
      'dir="ltr"',
    );
  });

  it('escapes what the inviter wrote in the HTML part and leaves out an empty message', () => {
    const mail = invitationMail({
      inviterName: 'Eve <script>',
      message: '<img src=x onerror=alert(1)>\nline two',
      link,
      language: 'en',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;<br>line two');
    const plain = invitationMail({ inviterName: 'S', message: '   ', link, language: 'en' });
    expect(plain.html).not.toContain('blockquote');
  });
});
