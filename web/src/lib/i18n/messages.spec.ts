import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uiLanguages } from '@agora/proto';

const dir = new URL('../../../messages/', import.meta.url);
const load = (locale: string) =>
  JSON.parse(readFileSync(new URL(`${locale}.json`, dir), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Brand and names that stay the same in every language.
const sameEverywhere = new Set([
  '$schema',
  'app_name',
  'nav_market_place',
  'nav_points',
  'nav_menu',
  'nav_invitations',
  'nav_chat',
  'field_email',
  'invitations_col_email',
  'nav_workshops',
  'field_organisation',
  'field_sector',
  'mailbox_total',
  'mailbox_date',
]);

// Words a language spells exactly as English does (checked by a reader of that language).
const sameAsEnglishIn: Partial<Record<string, ReadonlySet<string>>> = {
  pt: new Set(['sessions_device_tablet']),
  el: new Set(['sessions_device_tablet', 'admin_members_email']),
  fr: new Set([
    'points_col_points',
    'points_col_source',
    'points_rule_adjustment',
    'points_admin_points',
    'points_admin_version',
    'forum_nav',
    'forum_tag_question',
    'notif_bell_label',
    'notif_title',
    'notif_pref_mention',
    'workshop_minutes_count_zero',
    'workshop_minutes_count_one',
    'workshop_minutes_count_two',
    'workshop_minutes_count_few',
    'workshop_minutes_count_many',
    'workshop_minutes_count_other',
  ]),
};

describe('message files', () => {
  const en = load('en');

  for (const locale of uiLanguages) {
    it(`${locale} has every key, with the same placeholders`, () => {
      const messages = load(locale);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        // A language may say a small count in words ("حرفان", two characters): its zero, one
        // and two forms may leave the number out, but never add a placeholder English lacks.
        const said = placeholders(messages[key] ?? '');
        const small = /^(.+)_(zero|one|two)$/.exec(key);
        const other = small ? en[`${small[1]}_other`] : undefined;
        if (other !== undefined)
          expect(
            said.every((p) => placeholders(other).includes(p)),
            `${locale}.${key}`,
          ).toBe(true);
        else expect(said, `${locale}.${key}`).toEqual(placeholders(text));
        expect(messages[key]?.trim(), `${locale}.${key} is empty`).toBeTruthy();
      }
    });
  }

  it('writes every plural message in all six CLDR categories', () => {
    const bases = Object.keys(en)
      .filter((k) => k.endsWith('_other'))
      .map((k) => k.slice(0, -'_other'.length))
      .filter((b) => `${b}_zero` in en);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases)
      for (const category of ['zero', 'one', 'two', 'few', 'many'])
        expect(en, `${base}_${category}`).toHaveProperty(`${base}_${category}`);
  });

  for (const locale of uiLanguages.filter((l) => l !== 'en')) {
    it(`${locale} is translated, not copied from English`, () => {
      const messages = load(locale);
      const allowed = sameAsEnglishIn[locale];
      const copied = Object.keys(en).filter(
        (k) => !sameEverywhere.has(k) && !allowed?.has(k) && messages[k] === en[k],
      );
      expect(copied).toEqual([]);
    });
  }
});
