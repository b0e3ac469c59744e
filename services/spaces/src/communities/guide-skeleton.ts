/** The facilitation guide's first sections, in the community's language (English otherwise). */
const keys = ['programme', 'context', 'safeguarding', 'techniques', 'lessons'] as const;
const headings: Record<string, readonly string[]> = {
  en: [
    'The Phoenix Journey, step by step',
    'Adapting it to our context',
    'Safeguarding and privacy of participants',
    'Facilitation techniques that worked',
    'Mistakes to learn from',
  ],
  es: [
    'El Viaje del Fénix, paso a paso',
    'Adaptarlo a nuestro contexto',
    'Protección y privacidad de las personas participantes',
    'Técnicas de facilitación que funcionaron',
    'Errores de los que aprender',
  ],
  pt: [
    'A Jornada da Fénix, passo a passo',
    'Adaptá-la ao nosso contexto',
    'Proteção e privacidade dos participantes',
    'Técnicas de facilitação que resultaram',
    'Erros com que aprender',
  ],
  el: [
    'Το Ταξίδι του Φοίνικα, βήμα προς βήμα',
    'Προσαρμογή στο δικό μας πλαίσιο',
    'Προστασία και ιδιωτικότητα των συμμετεχόντων',
    'Τεχνικές διευκόλυνσης που λειτούργησαν',
    'Λάθη από τα οποία μαθαίνουμε',
  ],
  fr: [
    'Le Voyage du Phénix, étape par étape',
    "L'adapter à notre contexte",
    'Protection et confidentialité des participants',
    "Techniques d'animation qui ont fonctionné",
    'Erreurs dont apprendre',
  ],
  ar: [
    'رحلة العنقاء خطوة بخطوة',
    'تكييفها مع سياقنا',
    'حماية المشاركين وخصوصيتهم',
    'تقنيات التيسير التي نجحت',
    'أخطاء نتعلم منها',
  ],
};

export function guideSections(language: string | null): { key: string; heading: string }[] {
  const titles = headings[language ?? 'en'] ?? headings.en ?? [];
  return keys.map((key, i) => ({ key, heading: titles[i] ?? key }));
}
