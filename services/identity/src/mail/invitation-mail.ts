import type { UiLanguage } from '../members/member.types.js';
import { escapeHtml } from './escape-html.js';

/** The invitation mail's text and HTML (plain, accessible, no remote images), in the inviter's language. */
export interface InvitationMailInput {
  inviterName: string;
  message: string;
  link: string;
  language: UiLanguage;
}

interface Strings {
  subject: (name: string) => string;
  intro: (name: string) => string;
  linkIntro: string;
  button: string;
  validity: string;
  ignore: string;
}

const strings: Record<UiLanguage, Strings> = {
  en: {
    subject: (n) => `${n} invites you to Agora`,
    intro: (n) =>
      `${n} invites you to join Agora, the co-production hub of the Mediterranean social-innovation community.`,
    linkIntro: 'Create your account with this link (valid for 14 days):',
    button: 'Create your account',
    validity: 'The link is valid for 14 days.',
    ignore: 'If you do not know this person you can ignore this mail.',
  },
  es: {
    subject: (n) => `${n} te invita a Agora`,
    intro: (n) =>
      `${n} te invita a unirte a Agora, el espacio de coproducción de la comunidad mediterránea de innovación social.`,
    linkIntro: 'Crea tu cuenta con este enlace (válido durante 14 días):',
    button: 'Crea tu cuenta',
    validity: 'El enlace es válido durante 14 días.',
    ignore: 'Si no conoces a esta persona, puedes ignorar este correo.',
  },
  pt: {
    subject: (n) => `${n} convida-te para a Agora`,
    intro: (n) =>
      `${n} convida-te a juntares-te à Agora, o espaço de coprodução da comunidade mediterrânica de inovação social.`,
    linkIntro: 'Cria a tua conta com esta ligação (válida durante 14 dias):',
    button: 'Criar a tua conta',
    validity: 'A ligação é válida durante 14 dias.',
    ignore: 'Se não conheces esta pessoa, podes ignorar este email.',
  },
  el: {
    subject: (n) => `${n} σας προσκαλεί στην Agora`,
    intro: (n) =>
      `${n} σας προσκαλεί να γίνετε μέλος της Agora, του κόμβου συμπαραγωγής της μεσογειακής κοινότητας κοινωνικής καινοτομίας.`,
    linkIntro: 'Δημιουργήστε τον λογαριασμό σας με αυτόν τον σύνδεσμο (ισχύει για 14 ημέρες):',
    button: 'Δημιουργία λογαριασμού',
    validity: 'Ο σύνδεσμος ισχύει για 14 ημέρες.',
    ignore: 'Αν δεν γνωρίζετε αυτό το άτομο, μπορείτε να αγνοήσετε αυτό το μήνυμα.',
  },
  fr: {
    subject: (n) => `${n} vous invite sur Agora`,
    intro: (n) =>
      `${n} vous invite à rejoindre Agora, l'espace de coproduction de la communauté méditerranéenne de l'innovation sociale.`,
    linkIntro: 'Créez votre compte avec ce lien (valable 14 jours) :',
    button: 'Créer votre compte',
    validity: 'Le lien est valable 14 jours.',
    ignore: 'Si vous ne connaissez pas cette personne, vous pouvez ignorer ce message.',
  },
  ar: {
    subject: (n) => `${n} يدعوك إلى Agora`,
    intro: (n) =>
      `يدعوك ${n} للانضمام إلى Agora، مساحة الإنتاج المشترك لمجتمع الابتكار الاجتماعي في المتوسط.`,
    linkIntro: 'أنشئ حسابك عبر هذا الرابط (صالح لمدة 14 يومًا):',
    button: 'أنشئ حسابك',
    validity: 'الرابط صالح لمدة 14 يومًا.',
    ignore: 'إذا كنت لا تعرف هذا الشخص، يمكنك تجاهل هذه الرسالة.',
  },
};

export function invitationMail({ inviterName, message, link, language }: InvitationMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const t = strings[language];
  const quoted = message.trim();
  const text = [
    t.intro(inviterName),
    ...(quoted ? ['', `"${quoted}"`, `— ${inviterName}`] : []),
    '',
    t.linkIntro,
    link,
    '',
    t.ignore,
  ].join('\n');
  const name = escapeHtml(inviterName);
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const html = [
    `<!doctype html><html lang="${language}" dir="${dir}"><body style="font-family:sans-serif;line-height:1.5">`,
    `<p>${escapeHtml(t.intro(inviterName))}</p>`,
    ...(quoted
      ? [`<blockquote>${escapeHtml(quoted).replace(/\n/g, '<br>')}</blockquote><p>— ${name}</p>`]
      : []),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t.button)}</a></p>`,
    `<p>${escapeHtml(t.validity)}</p>`,
    `<p>${escapeHtml(t.ignore)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: t.subject(inviterName), text, html };
}
