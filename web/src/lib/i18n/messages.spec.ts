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
  ]),
};

describe('message files', () => {
  const en = load('en');

  for (const locale of uiLanguages) {
    it(`${locale} has every key, with the same placeholders`, () => {
      const messages = load(locale);
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        expect(placeholders(messages[key] ?? ''), `${locale}.${key}`).toEqual(placeholders(text));
        expect(messages[key]?.trim(), `${locale}.${key} is empty`).toBeTruthy();
      }
    });
  }

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
