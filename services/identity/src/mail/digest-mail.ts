import type { DigestCounts, NotificationType } from '@agora/proto';
import type { UiLanguage } from '../members/member.types.js';
import { escapeHtml } from './escape-html.js';

/** The daily digest's text and HTML (plain, accessible, no remote images), in the member's language. */
export interface DigestMailInput {
  displayName: string;
  counts: DigestCounts;
  link: string;
  language: UiLanguage;
}

interface Strings {
  subject: (total: number) => string;
  greeting: (name: string) => string;
  intro: string;
  /** One line per type, with its count. */
  line: Record<NotificationType, (n: number) => string>;
  button: string;
  optOut: string;
}

const strings: Record<UiLanguage, Strings> = {
  en: {
    subject: (n) => `Agora: ${n} new ${n === 1 ? 'notification' : 'notifications'} today`,
    greeting: (name) => `Hello ${name},`,
    intro: 'Here is what waits for you in Agora since your last digest:',
    line: {
      mention: (n) => `${n} × you were mentioned in a conversation`,
      'thread-reply': (n) => `${n} × replies in your threads`,
      'forum-reply': (n) => `${n} × replies to your posts and comments`,
      'proposal-decided': (n) => `${n} × a decision on your proposal`,
      'space-added': (n) => `${n} × you were added to a space`,
      'waitlist-promoted': (n) => `${n} × you got a place in a workshop`,
      'starting-soon': (n) => `${n} × a session or workshop starts soon`,
    },
    button: 'Open my notifications',
    optOut:
      'You get this mail because you turned on the daily digest; turn it off in Notifications → Preferences.',
  },
  es: {
    subject: (n) => `Agora: ${n} ${n === 1 ? 'notificación nueva' : 'notificaciones nuevas'} hoy`,
    greeting: (name) => `Hola, ${name}:`,
    intro: 'Esto te espera en Agora desde tu último resumen:',
    line: {
      mention: (n) => `${n} × te mencionaron en una conversación`,
      'thread-reply': (n) => `${n} × respuestas en tus hilos`,
      'forum-reply': (n) => `${n} × respuestas a tus publicaciones y comentarios`,
      'proposal-decided': (n) => `${n} × una decisión sobre tu propuesta`,
      'space-added': (n) => `${n} × te añadieron a un espacio`,
      'waitlist-promoted': (n) => `${n} × conseguiste plaza en un taller`,
      'starting-soon': (n) => `${n} × una sesión o un taller empieza pronto`,
    },
    button: 'Abrir mis notificaciones',
    optOut:
      'Recibes este correo porque activaste el resumen diario; desactívalo en Notificaciones → Preferencias.',
  },
  pt: {
    subject: (n) => `Agora: ${n} ${n === 1 ? 'notificação nova' : 'notificações novas'} hoje`,
    greeting: (name) => `Olá, ${name}:`,
    intro: 'Eis o que te espera na Agora desde o teu último resumo:',
    line: {
      mention: (n) => `${n} × foste mencionado numa conversa`,
      'thread-reply': (n) => `${n} × respostas nos teus fios`,
      'forum-reply': (n) => `${n} × respostas às tuas publicações e comentários`,
      'proposal-decided': (n) => `${n} × uma decisão sobre a tua proposta`,
      'space-added': (n) => `${n} × foste adicionado a um espaço`,
      'waitlist-promoted': (n) => `${n} × conseguiste lugar numa oficina`,
      'starting-soon': (n) => `${n} × uma sessão ou oficina começa em breve`,
    },
    button: 'Abrir as minhas notificações',
    optOut:
      'Recebes este email porque ativaste o resumo diário; desativa-o em Notificações → Preferências.',
  },
  el: {
    subject: (n) => `Agora: ${n} ${n === 1 ? 'νέα ειδοποίηση' : 'νέες ειδοποιήσεις'} σήμερα`,
    greeting: (name) => `Γεια σας, ${name},`,
    intro: 'Αυτά σας περιμένουν στην Agora από την τελευταία σας σύνοψη:',
    line: {
      mention: (n) => `${n} × σας ανέφεραν σε μια συζήτηση`,
      'thread-reply': (n) => `${n} × απαντήσεις στα νήματά σας`,
      'forum-reply': (n) => `${n} × απαντήσεις στις αναρτήσεις και τα σχόλιά σας`,
      'proposal-decided': (n) => `${n} × απόφαση για την πρότασή σας`,
      'space-added': (n) => `${n} × σας πρόσθεσαν σε έναν χώρο`,
      'waitlist-promoted': (n) => `${n} × πήρατε θέση σε ένα εργαστήριο`,
      'starting-soon': (n) => `${n} × μια συνεδρία ή ένα εργαστήριο ξεκινά σύντομα`,
    },
    button: 'Άνοιγμα των ειδοποιήσεών μου',
    optOut:
      'Λαμβάνετε αυτό το μήνυμα επειδή ενεργοποιήσατε την ημερήσια σύνοψη· απενεργοποιήστε την στις Ειδοποιήσεις → Προτιμήσεις.',
  },
  fr: {
    subject: (n) =>
      `Agora : ${n} ${n === 1 ? 'nouvelle notification' : 'nouvelles notifications'} aujourd'hui`,
    greeting: (name) => `Bonjour ${name},`,
    intro: 'Voici ce qui vous attend sur Agora depuis votre dernier résumé :',
    line: {
      mention: (n) => `${n} × on vous a mentionné dans une conversation`,
      'thread-reply': (n) => `${n} × réponses dans vos fils`,
      'forum-reply': (n) => `${n} × réponses à vos publications et commentaires`,
      'proposal-decided': (n) => `${n} × une décision sur votre proposition`,
      'space-added': (n) => `${n} × on vous a ajouté à un espace`,
      'waitlist-promoted': (n) => `${n} × vous avez obtenu une place dans un atelier`,
      'starting-soon': (n) => `${n} × une session ou un atelier commence bientôt`,
    },
    button: 'Ouvrir mes notifications',
    optOut:
      'Vous recevez ce message parce que vous avez activé le résumé quotidien ; désactivez-le dans Notifications → Préférences.',
  },
  ar: {
    subject: (n) => `Agora: ${n} ${n === 1 ? 'إشعار جديد' : 'إشعارات جديدة'} اليوم`,
    greeting: (name) => `مرحبًا ${name}،`,
    intro: 'إليك ما ينتظرك في Agora منذ ملخصك الأخير:',
    line: {
      mention: (n) => `${n} × أشار إليك أحدهم في محادثة`,
      'thread-reply': (n) => `${n} × ردود في سلاسل رسائلك`,
      'forum-reply': (n) => `${n} × ردود على منشوراتك وتعليقاتك`,
      'proposal-decided': (n) => `${n} × قرار بشأن مقترحك`,
      'space-added': (n) => `${n} × تمت إضافتك إلى مساحة`,
      'waitlist-promoted': (n) => `${n} × حصلت على مكان في ورشة عمل`,
      'starting-soon': (n) => `${n} × جلسة أو ورشة عمل تبدأ قريبًا`,
    },
    button: 'افتح إشعاراتي',
    optOut: 'تصلك هذه الرسالة لأنك فعّلت الملخص اليومي؛ يمكنك إيقافه من الإشعارات ← التفضيلات.',
  },
};

export function digestMail({ displayName, counts, link, language }: DigestMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const t = strings[language];
  const entries = Object.entries(counts) as [NotificationType, number][];
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const lines = entries.map(([type, n]) => t.line[type](n));
  const text = [
    t.greeting(displayName),
    '',
    t.intro,
    ...lines.map((l) => `- ${l}`),
    '',
    link,
    '',
    t.optOut,
  ].join('\n');
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const html = [
    `<!doctype html><html lang="${language}" dir="${dir}"><body style="font-family:sans-serif;line-height:1.5">`,
    `<p>${escapeHtml(t.greeting(displayName))}</p>`,
    `<p>${escapeHtml(t.intro)}</p>`,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t.button)}</a></p>`,
    `<p>${escapeHtml(t.optOut)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: t.subject(total), text, html };
}
