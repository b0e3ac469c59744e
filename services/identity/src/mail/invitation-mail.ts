/** The invitation mail's text and HTML (plain, accessible, no remote images). */
export interface InvitationMailInput {
  inviterName: string;
  message: string;
  link: string;
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function invitationMail({ inviterName, message, link }: InvitationMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const subject = `${inviterName} invites you to Agora`;
  const quoted = message.trim();
  const text = [
    `${inviterName} invites you to join Agora, the co-production hub of the Mediterranean social-innovation community.`,
    ...(quoted ? ['', `"${quoted}"`, `— ${inviterName}`] : []),
    '',
    'Create your account with this link (valid for 14 days):',
    link,
    '',
    'If you do not know this person you can ignore this mail.',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(inviterName)} invites you to join Agora, the co-production hub of the Mediterranean social-innovation community.</p>`,
    ...(quoted
      ? [
          `<blockquote>${escapeHtml(quoted).replace(/\n/g, '<br>')}</blockquote><p>— ${escapeHtml(inviterName)}</p>`,
        ]
      : []),
    `<p><a href="${escapeHtml(link)}">Create your account</a> (the link is valid for 14 days).</p>`,
    '<p>If you do not know this person you can ignore this mail.</p>',
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
