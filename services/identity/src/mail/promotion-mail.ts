import type { UiLanguage } from '../members/member.types.js';
import { escapeHtml } from './escape-html.js';

/** The mail that tells a member a waiting list gave them a place (plain, accessible, no images). */
export interface PromotionMailInput {
  displayName: string;
  /** The workshop's page. */
  link: string;
  language: UiLanguage;
}

interface Strings {
  subject: string;
  greeting: (name: string) => string;
  body: string;
  button: string;
  why: string;
}

const strings: Record<UiLanguage, Strings> = {
  en: {
    subject: 'Agora: a place opened up, you are registered for the workshop',
    greeting: (name) => `Hello ${name},`,
    body: 'A place opened up in a workshop whose waiting list you were on: you are now registered. If you can no longer come, cancel on the workshop page so the next person gets your place.',
    button: 'Open the workshop',
    why: 'You get this mail because you joined the waiting list of this workshop.',
  },
  es: {
    subject: 'Agora: se liberó una plaza, ya estás inscrito en el taller',
    greeting: (name) => `Hola, ${name}:`,
    body: 'Se liberó una plaza en un taller en cuya lista de espera estabas: ya estás inscrito. Si ya no puedes venir, cancela en la página del taller para que la siguiente persona obtenga tu plaza.',
    button: 'Abrir el taller',
    why: 'Recibes este correo porque te apuntaste a la lista de espera de este taller.',
  },
  pt: {
    subject: 'Agora: abriu uma vaga, estás inscrito na oficina',
    greeting: (name) => `Olá, ${name}:`,
    body: 'Abriu uma vaga numa oficina em cuja lista de espera estavas: agora estás inscrito. Se já não puderes vir, cancela na página da oficina para que a pessoa seguinte fique com a tua vaga.',
    button: 'Abrir a oficina',
    why: 'Recebes este email porque entraste na lista de espera desta oficina.',
  },
  el: {
    subject: 'Agora: άνοιξε μια θέση, είστε εγγεγραμμένοι στο εργαστήριο',
    greeting: (name) => `Γεια σας, ${name},`,
    body: 'Άνοιξε μια θέση σε ένα εργαστήριο στη λίστα αναμονής του οποίου ήσασταν: τώρα είστε εγγεγραμμένοι. Αν δεν μπορείτε πια να έρθετε, ακυρώστε στη σελίδα του εργαστηρίου ώστε να πάρει τη θέση σας ο επόμενος.',
    button: 'Άνοιγμα του εργαστηρίου',
    why: 'Λαμβάνετε αυτό το μήνυμα επειδή μπήκατε στη λίστα αναμονής αυτού του εργαστηρίου.',
  },
  fr: {
    subject: 'Agora : une place s’est libérée, vous êtes inscrit à l’atelier',
    greeting: (name) => `Bonjour ${name},`,
    body: 'Une place s’est libérée dans un atelier dont vous étiez sur la liste d’attente : vous êtes maintenant inscrit. Si vous ne pouvez plus venir, annulez sur la page de l’atelier pour que la personne suivante ait votre place.',
    button: 'Ouvrir l’atelier',
    why: 'Vous recevez ce message parce que vous vous êtes inscrit sur la liste d’attente de cet atelier.',
  },
  ar: {
    subject: 'أغورا: توفّر مكان، وأنت الآن مسجّل في ورشة العمل',
    greeting: (name) => `مرحبًا ${name}،`,
    body: 'توفّر مكان في ورشة عمل كنت على قائمة انتظارها: أنت الآن مسجّل. إن لم تعد تستطيع الحضور، ألغِ تسجيلك من صفحة الورشة ليحصل الشخص التالي على مكانك.',
    button: 'فتح صفحة الورشة',
    why: 'تصلك هذه الرسالة لأنك انضممت إلى قائمة انتظار هذه الورشة.',
  },
};

export function promotionMail({ displayName, link, language }: PromotionMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const t = strings[language];
  const text = [t.greeting(displayName), '', t.body, '', link, '', t.why].join('\n');
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const html = [
    `<!doctype html><html lang="${language}" dir="${dir}"><body style="font-family:sans-serif;line-height:1.5">`,
    `<p>${escapeHtml(t.greeting(displayName))}</p>`,
    `<p>${escapeHtml(t.body)}</p>`,
    `<p><a href="${escapeHtml(link)}">${escapeHtml(t.button)}</a></p>`,
    `<p>${escapeHtml(t.why)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: t.subject, text, html };
}
