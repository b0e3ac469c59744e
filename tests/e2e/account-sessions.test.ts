import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAccessible, logIn, startE2eHub, type E2eHub } from './e2e-hub.js';

/**
 * Issue 15, in chromium: a member signs one of their devices out from the sessions page and that
 * browser's open tab is signed out at once; an admin suspends a member from the members page and
 * the member's open tab is signed out at once, and signing in again says the account is suspended.
 */

const password = 'olive trees by the harbour';
const people = {
  admin: { email: 'admin@sessions.test', displayName: 'Amal Haddad', country: 'JO' },
  nour: { email: 'nour@sessions.test', displayName: 'Nour Ben Ali', country: 'TN' },
  yannis: { email: 'yannis@sessions.test', displayName: 'Yannis Pappas', country: 'GR' },
};
const phone =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

let hub: E2eHub;
const contexts: BrowserContext[] = [];

async function browserPage(userAgent?: string): Promise<Page> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    locale: 'en-US',
    timezoneId: 'Africa/Tunis',
    ...(userAgent ? { userAgent } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('pageerror', err.stack));
  return page;
}

/** The tab is on the login page: the (app) layout sends a signed-out tab there by itself. */
async function waitForSignedOut(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 });
  await expect.poll(() => page.getByLabel('Password').isVisible(), { timeout: 10_000 }).toBe(true);
}

beforeAll(async () => {
  hub = await startE2eHub('sessions');
  await hub.register(people, { password, preferredLanguage: 'en' });
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await hub?.stop();
}, 60_000);

describe('sessions and suspension in the browser', () => {
  it('signs another device out from the sessions page: its open tab is signed out at once', async () => {
    const laptop = await browserPage();
    const mobile = await browserPage(phone);
    await logIn(laptop, people.nour.email, password);
    await logIn(mobile, people.nour.email, password);
    // A page only a signed-in member sees (the home page shows visitors the landing page instead).
    await mobile.goto('/profile');
    await expect
      .poll(() => mobile.locator('.live').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('connected');

    await laptop.goto('/profile');
    await laptop.getByRole('link', { name: 'Signed-in devices' }).click();
    await laptop.waitForURL((url) => url.pathname === '/profile/sessions');
    // The registration's sign-in, the laptop's and the phone's.
    const rows = laptop.getByTestId('session');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => laptop.getByTestId('this-device').count()).toBe(1);
    await expect.poll(() => laptop.getByText('Chrome 126 · Android 14').isVisible()).toBe(true);
    await expectAccessible(laptop, 'sessions page');

    await laptop.getByRole('button', { name: 'Sign out Chrome 126 · Android 14' }).click();
    await expect.poll(() => laptop.getByText('That device is signed out.').isVisible()).toBe(true);
    await expect.poll(() => rows.count()).toBe(2);
    // The phone's open home page is signed out without anyone touching it.
    await waitForSignedOut(mobile);
    // The laptop stays signed in.
    await laptop.reload();
    await expect.poll(() => laptop.getByTestId('session').count()).toBe(2);
  });

  it('suspends a member from the admin members page: their open tab is signed out and sign-in says why', async () => {
    const admin = await browserPage();
    const member = await browserPage();
    await logIn(admin, people.admin.email, password);
    await logIn(member, people.yannis.email, password);
    await member.goto('/profile');
    await expect
      .poll(() => member.locator('.live').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('connected');

    await admin.getByRole('link', { name: 'Members' }).click();
    await admin.waitForURL((url) => url.pathname === '/admin/members');
    await admin.getByTestId('member-search').fill('pappas');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.waitForURL((url) => url.searchParams.get('q') === 'pappas');
    const card = admin.getByTestId('admin-member');
    await expect.poll(() => card.count()).toBe(1);
    await expectAccessible(admin, 'admin members page');

    await card.getByRole('button', { name: 'Suspend' }).click();
    await card.getByTestId('suspension-reason').fill('Repeated spam in the forum');
    await card.getByTestId('suspension-submit').click();
    await expect
      .poll(() =>
        admin.getByText('Yannis Pappas is suspended and signed out everywhere.').isVisible(),
      )
      .toBe(true);
    await expect.poll(() => card.getAttribute('data-status')).toBe('suspended');
    await expect
      .poll(() => card.getByTestId('suspension').textContent())
      .toContain('Repeated spam in the forum');

    // Yannis's open tab goes to the login page by itself, saying why.
    await waitForSignedOut(member);
    await expect
      .poll(() => member.getByTestId('signed-out-notice').textContent())
      .toContain('Your account was suspended: Repeated spam in the forum');
    await member.getByLabel('Email').fill(people.yannis.email);
    await member.getByLabel('Password').fill(password);
    const refused = member.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await member.getByRole('button', { name: 'Log in' }).last().click();
    expect((await refused).status()).toBe(403);
    // The page says the account is suspended (the form's error, the notice, or both).
    await expect
      .poll(() =>
        member
          .getByRole('alert')
          .filter({ hasText: /suspended/i })
          .count(),
      )
      .toBeGreaterThan(0);
    expect(new URL(member.url()).pathname).toBe('/login');

    // Reinstated: signs in again.
    await card.getByRole('button', { name: 'Reinstate' }).click();
    await card.getByTestId('suspension-reason').fill('Appeal accepted');
    await card.getByTestId('suspension-submit').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('active');
    await logIn(member, people.yannis.email, password);
  });
});
