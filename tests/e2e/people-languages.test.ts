import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAccessible, logIn, startE2eHub, type E2eHub } from './e2e-hub.js';

// The member directory and a public profile (what a member keeps private is absent), the
// visitors' first page on a fresh install, and two tabs of one member switching language: each
// tab stays whole in its own language, with the right lang and dir.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  amira: { displayName: 'Amira Admin', email: `amira.p.${stamp}@example.org`, country: 'TN' },
  leila: { displayName: 'Leïla Haddad', email: `leila.p.${stamp}@example.org`, country: 'TN' },
  nikos: { displayName: 'Nikos Papadakis', email: `nikos.p.${stamp}@example.org`, country: 'GR' },
};
const arabic = /[\u0600-\u06FF]/;

let hub: E2eHub;
let context: BrowserContext;
let tokens: Record<keyof typeof people, string>;

beforeAll(async () => {
  hub = await startE2eHub('people');
}, 180_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await hub?.stop();
}, 60_000);

async function newContext(width = 1280): Promise<BrowserContext> {
  return hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
  });
}

/** The page's text outside the language switcher (whose options name each language in itself). */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.switcher').forEach((el) => el.remove());
    return clone.textContent ?? '';
  });
}

async function langAndDir(page: Page): Promise<[string, string]> {
  return page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
}

describe('people and languages in a real browser', () => {
  it('tells a visitor of a fresh install that the first account becomes the administrator', async () => {
    context = await newContext(360);
    const page = await context.newPage();
    await page.goto('/');
    await page
      .getByRole('heading', { level: 1, name: /Mediterranean social innovators/ })
      .waitFor();
    await page.getByText('the first account registered becomes its administrator').waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Create an account' }).count()).toBe(1);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'visitor landing (fresh install, 360 px)');
    await context.close();

    ({ tokens } = await hub.register(people, { password, preferredLanguage: 'en' }));
    await hub.api(
      'PATCH',
      '/me',
      {
        bio: 'Urban gardens in Sfax',
        organisation: 'Jardins Solidaires',
        sector: 'civil-society',
        languages: ['ar', 'fr'],
        expertise: ['funding'],
      },
      tokens.leila,
    );
    context = await newContext();
    const after = await context.newPage();
    await after.goto('/');
    await after.getByRole('link', { name: 'Create an account' }).waitFor();
    expect(await after.getByText('becomes its administrator').count()).toBe(0);
  });

  it('finds a member in the directory and opens their profile, without what they keep private', async () => {
    const page = await context.newPage();
    await logIn(page, people.nikos.email, password);
    await page.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByLabel('Name').fill('lei had');
    await page.getByLabel('Area of expertise').selectOption('funding');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: '1 member found' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('lei had');
    await expectAccessible(page, 'people directory');
    await page.getByRole('link', { name: 'Leïla Haddad' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leïla Haddad' }).waitFor();
    const text = await pageText(page);
    expect(text).toContain('Urban gardens in Sfax');
    expect(text).toContain('Civil society');
    // the organisation is private unless Leila shows it: not on the page, not in the answer
    expect(text).not.toContain('Jardins Solidaires');
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const answer = await hub.api<{ organisation: string | null }>(
      'GET',
      `/people/${id}`,
      undefined,
      tokens.nikos,
    );
    expect(answer.organisation).toBeNull();
    await expectAccessible(page, 'public profile');
    await page.setViewportSize({ width: 360, height: 800 });
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('switching language in one tab leaves another tab whole in its own language', async () => {
    const tabA = await context.newPage();
    const tabB = await context.newPage();
    // Both at the same moment, as a browser restoring its tabs does: each restores the session
    // from the one single-use refresh cookie, taking turns, and both stay signed in.
    await Promise.all([tabA.goto('/'), tabB.goto('/')]);
    await tabA.getByRole('navigation').getByRole('link', { name: 'People' }).waitFor();
    await tabB.getByRole('navigation').getByRole('link', { name: 'People' }).waitFor();
    // tab B hears of the new preferred language (me.updated) and reloads the member: wait for it
    const reloaded = tabB.waitForResponse((r) => r.url().endsWith('/api/me') && r.ok());
    await tabA.locator('#language-switcher').selectOption('ar');
    await tabA.getByRole('navigation').getByRole('link', { name: 'الأعضاء' }).waitFor();
    await reloaded;
    await tabB.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    await tabB.getByRole('heading', { level: 1, name: 'People' }).waitFor();

    expect(await langAndDir(tabA)).toEqual(['ar', 'rtl']);
    expect(await tabA.locator('#language-switcher').inputValue()).toBe('ar');
    expect(await pageText(tabA)).not.toMatch(/\bPeople\b|\bProfile\b|Log out/);
    expect(await langAndDir(tabB)).toEqual(['en', 'ltr']);
    expect(await tabB.locator('#language-switcher').inputValue()).toBe('en');
    expect(await pageText(tabB)).not.toMatch(arabic);

    // a page loaded afterwards starts in the chosen language, whole
    await tabB.reload();
    await tabB.getByRole('heading', { level: 1, name: 'الأعضاء' }).waitFor();
    expect(await langAndDir(tabB)).toEqual(['ar', 'rtl']);
    await expectAccessible(tabB, 'people directory in Arabic');

    // and back: tab A to English, tab B stays Arabic throughout
    const reloadedAgain = tabB.waitForResponse((r) => r.url().endsWith('/api/me') && r.ok());
    await tabA.locator('#language-switcher').selectOption('en');
    await tabA.getByRole('navigation').getByRole('link', { name: 'People' }).waitFor();
    await reloadedAgain;
    await tabB.getByRole('navigation').getByRole('link', { name: 'الملف الشخصي' }).click();
    await tabB.waitForURL((url) => url.pathname === '/profile');
    expect(await langAndDir(tabA)).toEqual(['en', 'ltr']);
    expect(await pageText(tabA)).not.toMatch(arabic);
    expect(await langAndDir(tabB)).toEqual(['ar', 'rtl']);
    expect(await pageText(tabB)).not.toMatch(/\bPeople\b|Log out|Save/);
  });
});
