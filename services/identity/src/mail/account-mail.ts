import type { UiLanguage } from '../members/member.types.js';
import type { AccountMailKind } from '../recovery/account-mail.schema.js';
import { escapeHtml } from './escape-html.js';

/**
 * The account mails (sign-up, verification, password reset, email change and their notices) in
 * the member's language: plain, accessible, no remote images, the link both as a button and as
 * text. Notices have no link.
 */
export interface AccountMailInput {
  kind: AccountMailKind;
  language: UiLanguage;
  /** The page the mail's link opens (with its token); null for notices. */
  link: string | null;
  /** For `email-changed` and `email-change-taken`: the address involved. */
  address?: string;
}

interface Text {
  subject: string;
  body: (address: string) => string[];
  button?: string;
}

interface Strings {
  kinds: Record<AccountMailKind, Text>;
  linkIntro: string;
  notMe: string;
}

const strings: Record<UiLanguage, Strings> = {
  en: {
    kinds: {
      signup: {
        subject: 'Agora: confirm your address to finish signing up',
        body: () => [
          'Thank you for signing up to Agora. Follow this link to confirm your address: your account is created and you are signed in.',
          'The link works once, for 24 hours.',
        ],
        button: 'Confirm and sign in',
      },
      'signup-known': {
        subject: 'Agora: someone tried to sign up with your address',
        body: () => [
          'Someone (perhaps you) tried to create an Agora account with this address, which already has one. No new account was created.',
          'If it was you, sign in as usual. If you forgot your password, set a new one with this link (it works once, for 30 minutes).',
        ],
        button: 'Set a new password',
      },
      verify: {
        subject: 'Agora: confirm your email address',
        body: () => [
          'Follow this link to confirm that this address is yours.',
          'The link works once, for 24 hours.',
        ],
        button: 'Confirm my address',
      },
      reset: {
        subject: 'Agora: set a new password',
        body: () => [
          'Someone (perhaps you) asked to reset the password of your Agora account. Follow this link to choose a new one; every device signed in to your account will be signed out.',
          'The link works once, for 30 minutes.',
        ],
        button: 'Set a new password',
      },
      'email-change': {
        subject: 'Agora: confirm your new address',
        body: () => [
          'You asked to use this address for your Agora account. Follow this link to confirm it; until then your old address stays.',
          'The link works once, for 24 hours.',
        ],
        button: 'Confirm the new address',
      },
      'email-change-taken': {
        subject: 'Agora: a request to use your address',
        body: () => [
          'A member of Agora asked to move their account to this address, but this address already has an Agora account. Nothing was changed, and your account is untouched.',
        ],
      },
      'email-changed': {
        subject: 'Agora: your address was changed',
        body: (address) => [
          `The address of your Agora account is now ${address}. Mail about your account goes there from now on.`,
          'If you did not make this change, reply to your Agora administrator at once.',
        ],
      },
    },
    linkIntro: 'Or copy this link into your browser:',
    notMe: 'If you did not ask for this, you can ignore this mail.',
  },
  fr: {
    kinds: {
      signup: {
        subject: 'Agora : confirmez votre adresse pour terminer l’inscription',
        body: () => [
          'Merci de vous être inscrit sur Agora. Suivez ce lien pour confirmer votre adresse : votre compte est créé et vous êtes connecté.',
          'Le lien fonctionne une seule fois, pendant 24 heures.',
        ],
        button: 'Confirmer et se connecter',
      },
      'signup-known': {
        subject: 'Agora : quelqu’un a tenté de s’inscrire avec votre adresse',
        body: () => [
          'Quelqu’un (peut-être vous) a tenté de créer un compte Agora avec cette adresse, qui en a déjà un. Aucun nouveau compte n’a été créé.',
          'Si c’était vous, connectez-vous comme d’habitude. Si vous avez oublié votre mot de passe, choisissez-en un nouveau avec ce lien (une seule fois, pendant 30 minutes).',
        ],
        button: 'Choisir un nouveau mot de passe',
      },
      verify: {
        subject: 'Agora : confirmez votre adresse e-mail',
        body: () => [
          'Suivez ce lien pour confirmer que cette adresse est bien la vôtre.',
          'Le lien fonctionne une seule fois, pendant 24 heures.',
        ],
        button: 'Confirmer mon adresse',
      },
      reset: {
        subject: 'Agora : choisissez un nouveau mot de passe',
        body: () => [
          'Quelqu’un (peut-être vous) a demandé à réinitialiser le mot de passe de votre compte Agora. Suivez ce lien pour en choisir un nouveau ; tous les appareils connectés à votre compte seront déconnectés.',
          'Le lien fonctionne une seule fois, pendant 30 minutes.',
        ],
        button: 'Choisir un nouveau mot de passe',
      },
      'email-change': {
        subject: 'Agora : confirmez votre nouvelle adresse',
        body: () => [
          'Vous avez demandé à utiliser cette adresse pour votre compte Agora. Suivez ce lien pour la confirmer ; d’ici là, votre ancienne adresse reste en place.',
          'Le lien fonctionne une seule fois, pendant 24 heures.',
        ],
        button: 'Confirmer la nouvelle adresse',
      },
      'email-change-taken': {
        subject: 'Agora : une demande d’utiliser votre adresse',
        body: () => [
          'Un membre d’Agora a demandé à déplacer son compte vers cette adresse, mais elle a déjà un compte Agora. Rien n’a été modifié et votre compte reste intact.',
        ],
      },
      'email-changed': {
        subject: 'Agora : votre adresse a été modifiée',
        body: (address) => [
          `L’adresse de votre compte Agora est maintenant ${address}. Les messages concernant votre compte y seront envoyés désormais.`,
          'Si vous n’êtes pas à l’origine de ce changement, prévenez immédiatement l’administrateur de votre Agora.',
        ],
      },
    },
    linkIntro: 'Ou copiez ce lien dans votre navigateur :',
    notMe: 'Si vous n’avez rien demandé, vous pouvez ignorer ce message.',
  },
  es: {
    kinds: {
      signup: {
        subject: 'Agora: confirma tu dirección para terminar el registro',
        body: () => [
          'Gracias por registrarte en Agora. Sigue este enlace para confirmar tu dirección: tu cuenta se crea y se inicia tu sesión.',
          'El enlace funciona una sola vez, durante 24 horas.',
        ],
        button: 'Confirmar e iniciar sesión',
      },
      'signup-known': {
        subject: 'Agora: alguien intentó registrarse con tu dirección',
        body: () => [
          'Alguien (quizá tú) intentó crear una cuenta de Agora con esta dirección, que ya tiene una. No se creó ninguna cuenta nueva.',
          'Si fuiste tú, inicia sesión como siempre. Si olvidaste tu contraseña, elige una nueva con este enlace (una sola vez, durante 30 minutos).',
        ],
        button: 'Elegir una nueva contraseña',
      },
      verify: {
        subject: 'Agora: confirma tu dirección de correo',
        body: () => [
          'Sigue este enlace para confirmar que esta dirección es tuya.',
          'El enlace funciona una sola vez, durante 24 horas.',
        ],
        button: 'Confirmar mi dirección',
      },
      reset: {
        subject: 'Agora: elige una nueva contraseña',
        body: () => [
          'Alguien (quizá tú) pidió restablecer la contraseña de tu cuenta de Agora. Sigue este enlace para elegir una nueva; se cerrará la sesión en todos los dispositivos conectados a tu cuenta.',
          'El enlace funciona una sola vez, durante 30 minutos.',
        ],
        button: 'Elegir una nueva contraseña',
      },
      'email-change': {
        subject: 'Agora: confirma tu nueva dirección',
        body: () => [
          'Pediste usar esta dirección para tu cuenta de Agora. Sigue este enlace para confirmarla; hasta entonces se mantiene tu dirección anterior.',
          'El enlace funciona una sola vez, durante 24 horas.',
        ],
        button: 'Confirmar la nueva dirección',
      },
      'email-change-taken': {
        subject: 'Agora: una solicitud para usar tu dirección',
        body: () => [
          'Un miembro de Agora pidió trasladar su cuenta a esta dirección, pero esta dirección ya tiene una cuenta de Agora. No se cambió nada y tu cuenta sigue intacta.',
        ],
      },
      'email-changed': {
        subject: 'Agora: tu dirección ha cambiado',
        body: (address) => [
          `La dirección de tu cuenta de Agora es ahora ${address}. Los correos sobre tu cuenta irán allí a partir de ahora.`,
          'Si no hiciste este cambio, avisa de inmediato al administrador de tu Agora.',
        ],
      },
    },
    linkIntro: 'O copia este enlace en tu navegador:',
    notMe: 'Si no pediste nada, puedes ignorar este correo.',
  },
  pt: {
    kinds: {
      signup: {
        subject: 'Agora: confirma o teu endereço para terminar o registo',
        body: () => [
          'Obrigado por te registares na Agora. Segue esta ligação para confirmar o teu endereço: a tua conta é criada e ficas com sessão iniciada.',
          'A ligação funciona uma única vez, durante 24 horas.',
        ],
        button: 'Confirmar e iniciar sessão',
      },
      'signup-known': {
        subject: 'Agora: alguém tentou registar-se com o teu endereço',
        body: () => [
          'Alguém (talvez tu) tentou criar uma conta na Agora com este endereço, que já tem uma. Não foi criada nenhuma conta nova.',
          'Se foste tu, inicia sessão como habitualmente. Se esqueceste a palavra-passe, escolhe uma nova com esta ligação (uma única vez, durante 30 minutos).',
        ],
        button: 'Escolher uma nova palavra-passe',
      },
      verify: {
        subject: 'Agora: confirma o teu endereço de email',
        body: () => [
          'Segue esta ligação para confirmar que este endereço é teu.',
          'A ligação funciona uma única vez, durante 24 horas.',
        ],
        button: 'Confirmar o meu endereço',
      },
      reset: {
        subject: 'Agora: escolhe uma nova palavra-passe',
        body: () => [
          'Alguém (talvez tu) pediu para redefinir a palavra-passe da tua conta na Agora. Segue esta ligação para escolher uma nova; todos os dispositivos com sessão iniciada na tua conta terminam a sessão.',
          'A ligação funciona uma única vez, durante 30 minutos.',
        ],
        button: 'Escolher uma nova palavra-passe',
      },
      'email-change': {
        subject: 'Agora: confirma o teu novo endereço',
        body: () => [
          'Pediste para usar este endereço na tua conta da Agora. Segue esta ligação para o confirmar; até lá, mantém-se o endereço antigo.',
          'A ligação funciona uma única vez, durante 24 horas.',
        ],
        button: 'Confirmar o novo endereço',
      },
      'email-change-taken': {
        subject: 'Agora: um pedido para usar o teu endereço',
        body: () => [
          'Um membro da Agora pediu para mudar a sua conta para este endereço, mas este endereço já tem uma conta na Agora. Nada foi alterado e a tua conta está intacta.',
        ],
      },
      'email-changed': {
        subject: 'Agora: o teu endereço foi alterado',
        body: (address) => [
          `O endereço da tua conta na Agora é agora ${address}. As mensagens sobre a tua conta passam a ir para lá.`,
          'Se não fizeste esta alteração, avisa de imediato o administrador da tua Agora.',
        ],
      },
    },
    linkIntro: 'Ou copia esta ligação para o teu navegador:',
    notMe: 'Se não pediste nada, podes ignorar este email.',
  },
  el: {
    kinds: {
      signup: {
        subject: 'Agora: επιβεβαιώστε τη διεύθυνσή σας για να ολοκληρωθεί η εγγραφή',
        body: () => [
          'Ευχαριστούμε για την εγγραφή σας στην Agora. Ακολουθήστε αυτόν τον σύνδεσμο για να επιβεβαιώσετε τη διεύθυνσή σας: ο λογαριασμός σας δημιουργείται και συνδέεστε.',
          'Ο σύνδεσμος λειτουργεί μία φορά, για 24 ώρες.',
        ],
        button: 'Επιβεβαίωση και σύνδεση',
      },
      'signup-known': {
        subject: 'Agora: κάποιος προσπάθησε να εγγραφεί με τη διεύθυνσή σας',
        body: () => [
          'Κάποιος (ίσως εσείς) προσπάθησε να δημιουργήσει λογαριασμό Agora με αυτή τη διεύθυνση, η οποία έχει ήδη λογαριασμό. Δεν δημιουργήθηκε νέος λογαριασμός.',
          'Αν ήσασταν εσείς, συνδεθείτε όπως συνήθως. Αν ξεχάσατε τον κωδικό σας, ορίστε νέο με αυτόν τον σύνδεσμο (μία φορά, για 30 λεπτά).',
        ],
        button: 'Ορισμός νέου κωδικού',
      },
      verify: {
        subject: 'Agora: επιβεβαιώστε τη διεύθυνση email σας',
        body: () => [
          'Ακολουθήστε αυτόν τον σύνδεσμο για να επιβεβαιώσετε ότι αυτή η διεύθυνση είναι δική σας.',
          'Ο σύνδεσμος λειτουργεί μία φορά, για 24 ώρες.',
        ],
        button: 'Επιβεβαίωση της διεύθυνσής μου',
      },
      reset: {
        subject: 'Agora: ορίστε νέο κωδικό πρόσβασης',
        body: () => [
          'Κάποιος (ίσως εσείς) ζήτησε επαναφορά του κωδικού του λογαριασμού σας στην Agora. Ακολουθήστε αυτόν τον σύνδεσμο για να ορίσετε νέο· όλες οι συσκευές που είναι συνδεδεμένες στον λογαριασμό σας θα αποσυνδεθούν.',
          'Ο σύνδεσμος λειτουργεί μία φορά, για 30 λεπτά.',
        ],
        button: 'Ορισμός νέου κωδικού',
      },
      'email-change': {
        subject: 'Agora: επιβεβαιώστε τη νέα σας διεύθυνση',
        body: () => [
          'Ζητήσατε να χρησιμοποιείτε αυτή τη διεύθυνση για τον λογαριασμό σας στην Agora. Ακολουθήστε αυτόν τον σύνδεσμο για να την επιβεβαιώσετε· μέχρι τότε ισχύει η παλιά σας διεύθυνση.',
          'Ο σύνδεσμος λειτουργεί μία φορά, για 24 ώρες.',
        ],
        button: 'Επιβεβαίωση της νέας διεύθυνσης',
      },
      'email-change-taken': {
        subject: 'Agora: αίτημα χρήσης της διεύθυνσής σας',
        body: () => [
          'Ένα μέλος της Agora ζήτησε να μεταφέρει τον λογαριασμό του σε αυτή τη διεύθυνση, αλλά η διεύθυνση έχει ήδη λογαριασμό Agora. Τίποτα δεν άλλαξε και ο λογαριασμός σας παραμένει ανέπαφος.',
        ],
      },
      'email-changed': {
        subject: 'Agora: η διεύθυνσή σας άλλαξε',
        body: (address) => [
          `Η διεύθυνση του λογαριασμού σας στην Agora είναι πλέον ${address}. Τα μηνύματα για τον λογαριασμό σας θα πηγαίνουν εκεί από τώρα.`,
          'Αν δεν κάνατε εσείς αυτή την αλλαγή, ενημερώστε αμέσως τον διαχειριστή της Agora σας.',
        ],
      },
    },
    linkIntro: 'Ή αντιγράψτε αυτόν τον σύνδεσμο στον φυλλομετρητή σας:',
    notMe: 'Αν δεν ζητήσατε κάτι τέτοιο, μπορείτε να αγνοήσετε αυτό το μήνυμα.',
  },
  ar: {
    kinds: {
      signup: {
        subject: 'أغورا: أكّد عنوانك لإتمام التسجيل',
        body: () => [
          'شكرًا لتسجيلك في أغورا. اتبع هذا الرابط لتأكيد عنوانك: يُنشأ حسابك وتُسجَّل دخولك.',
          'يعمل الرابط مرة واحدة، لمدة 24 ساعة.',
        ],
        button: 'التأكيد وتسجيل الدخول',
      },
      'signup-known': {
        subject: 'أغورا: حاول أحدهم التسجيل بعنوانك',
        body: () => [
          'حاول أحدهم (ربما أنت) إنشاء حساب في أغورا بهذا العنوان، وله حساب بالفعل. لم يُنشأ أي حساب جديد.',
          'إن كنت أنت، فسجّل دخولك كالمعتاد. وإن نسيت كلمة المرور، فاختر كلمة جديدة عبر هذا الرابط (مرة واحدة، لمدة 30 دقيقة).',
        ],
        button: 'اختيار كلمة مرور جديدة',
      },
      verify: {
        subject: 'أغورا: أكّد عنوان بريدك الإلكتروني',
        body: () => [
          'اتبع هذا الرابط لتأكيد أن هذا العنوان لك.',
          'يعمل الرابط مرة واحدة، لمدة 24 ساعة.',
        ],
        button: 'تأكيد عنواني',
      },
      reset: {
        subject: 'أغورا: اختر كلمة مرور جديدة',
        body: () => [
          'طلب أحدهم (ربما أنت) إعادة تعيين كلمة مرور حسابك في أغورا. اتبع هذا الرابط لاختيار كلمة جديدة؛ وسيُسجَّل خروج كل الأجهزة المتصلة بحسابك.',
          'يعمل الرابط مرة واحدة، لمدة 30 دقيقة.',
        ],
        button: 'اختيار كلمة مرور جديدة',
      },
      'email-change': {
        subject: 'أغورا: أكّد عنوانك الجديد',
        body: () => [
          'طلبت استخدام هذا العنوان لحسابك في أغورا. اتبع هذا الرابط لتأكيده؛ ويبقى عنوانك القديم حتى ذلك الحين.',
          'يعمل الرابط مرة واحدة، لمدة 24 ساعة.',
        ],
        button: 'تأكيد العنوان الجديد',
      },
      'email-change-taken': {
        subject: 'أغورا: طلب لاستخدام عنوانك',
        body: () => [
          'طلب أحد أعضاء أغورا نقل حسابه إلى هذا العنوان، لكن لهذا العنوان حساب في أغورا بالفعل. لم يتغيّر شيء، وحسابك كما هو.',
        ],
      },
      'email-changed': {
        subject: 'أغورا: تغيّر عنوانك',
        body: (address) => [
          `عنوان حسابك في أغورا الآن هو ${address}. ستصل الرسائل المتعلقة بحسابك إليه من الآن فصاعدًا.`,
          'إن لم تُجرِ هذا التغيير بنفسك، فأبلغ مسؤول أغورا لديك فورًا.',
        ],
      },
    },
    linkIntro: 'أو انسخ هذا الرابط في متصفحك:',
    notMe: 'إن لم تطلب ذلك، يمكنك تجاهل هذه الرسالة.',
  },
};

export function accountMail({ kind, language, link, address = '' }: AccountMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const t = strings[language];
  const k = t.kinds[kind];
  const paragraphs = k.body(address);
  const withLink = link !== null && k.button !== undefined;
  const text = [
    ...paragraphs.flatMap((p) => [p, '']),
    ...(withLink ? [link, ''] : []),
    ...(withLink ? [t.notMe] : []),
  ]
    .join('\n')
    .trimEnd();
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const html = [
    `<!doctype html><html lang="${language}" dir="${dir}"><body style="font-family:sans-serif;line-height:1.5">`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(withLink && k.button
      ? [
          `<p><a href="${escapeHtml(link)}">${escapeHtml(k.button)}</a></p>`,
          `<p>${escapeHtml(t.linkIntro)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
          `<p>${escapeHtml(t.notMe)}</p>`,
        ]
      : []),
    '</body></html>',
  ].join('');
  return { subject: k.subject, text, html };
}
