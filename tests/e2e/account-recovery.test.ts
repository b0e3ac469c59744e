import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAccessible, logIn, startE2eHub, type E2eHub } from './e2e-hub.js';

/**
 * Issue 15, in chromium: a member who forgot their password resets it through the link the dev
 * mailbox holds and signs in with the new one; then changes their address, confirmed from the
 * link mailed to the new one (the old one is told). The new pages in Arabic are right-to-left.
 */

const password = 'olive trees by the harbour';
const people = {
  admin: { email: 'admin@recovery.test', displayName: 'Amal Haddad', country: 'JO' },
  nour: { email: 'nour@recovery.test', displayName: 'Nour Ben Ali', country: 'TN' },
};

let hub: E2eHub;
let adminToken: string;
const contexts: BrowserContext[] = [];

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The newest dev-mailbox mail to `to` whose text holds a link to `page`, and that link. */
async function linkIn(to: string, page: string): Promise<{ mail: Mail; link: string }> {
  let found: { mail: Mail; link: string } | undefined;
  await expect
    .poll(
      async () => {
        const box = await hub.api<{ items: Mail[] }>(
          'GET',
          '/admin/mailbox',
          undefined,
          adminToken,
        );
        for (const mail of box.items) {
          const link = new RegExp(`https?://\\S+${page}\\?token=[\\w%-]+`).exec(mail.text)?.[0];
          if (mail.to === to && link) {
            found = { mail, link };
            return true;
          }
        }
        return false;
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  if (!found) throw new Error(`no ${page} link to ${to}`);
  return found;
}

async function browserPage(): Promise<Page> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    locale: 'en-US',
    timezoneId: 'Africa/Tunis',
  });
  contexts.push(context);
  return context.newPage();
}

beforeAll(async () => {
  hub = await startE2eHub('recovery');
  const { tokens } = await hub.register(people, { password, preferredLanguage: 'en' });
  adminToken = tokens.admin;
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await hub?.stop();
}, 60_000);

describe('account recovery in the browser', () => {
  it('resets a forgotten password through the dev mailbox and signs in with the new one', async () => {
    const page = await browserPage();
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL((url) => url.pathname === '/forgot-password');
    await expectAccessible(page, 'forgot password');
    await page.getByLabel('Email').fill(people.nour.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('a link to choose a new password is on its way');

    const { mail, link } = await linkIn(people.nour.email, '/reset-password');
    expect(mail.subject).toBe('Agora: set a new password');
    await page.goto(link);
    await expectAccessible(page, 'reset password');
    await page.getByLabel('New password').fill('figs and almonds at dawn');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Your new password is set');

    // the link works once
    await page.goto(link);
    await page.getByLabel('New password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('This link is invalid, already used or expired.');

    await logIn(page, people.nour.email, 'figs and almonds at dawn');
    const old = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: people.nour.email, password }),
    });
    expect(old.status).toBe(401);
  }, 120_000);

  it('changes the address once the link mailed to the new one is followed', async () => {
    const page = await browserPage();
    await logIn(page, people.nour.email, 'figs and almonds at dawn');
    await page.goto('/profile/security');
    await expectAccessible(page, 'security page');
    await expect
      .poll(() => page.getByTestId('current-email').textContent())
      .toBe(people.nour.email);
    await page.getByLabel('New address').fill('nour.work@recovery.test');
    await page.getByLabel('Your password').fill('figs and almonds at dawn');
    await page.getByRole('button', { name: 'Change the address' }).click();
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(
        expect.stringContaining('We sent a confirmation link to nour.work@recovery.test'),
      );
    // nothing changed yet
    expect(await page.getByTestId('current-email').textContent()).toBe(people.nour.email);

    const { link } = await linkIn('nour.work@recovery.test', '/verify-email');
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Your account’s address is now nour.work@recovery.test.');

    await page.goto('/profile/security');
    await expect
      .poll(() => page.getByTestId('current-email').textContent())
      .toBe('nour.work@recovery.test');
    const box = await hub.api<{ items: Mail[] }>('GET', '/admin/mailbox', undefined, adminToken);
    expect(
      box.items.find(
        (m) => m.to === people.nour.email && m.subject === 'Agora: your address was changed',
      ),
    ).toBeTruthy();
    const signIn = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'nour.work@recovery.test',
        password: 'figs and almonds at dawn',
      }),
    });
    expect(signIn.status).toBe(200);
  }, 120_000);

  it('shows the unverified banner until the address is confirmed from a resent link', async () => {
    const page = await browserPage();
    await logIn(page, people.admin.email, password);
    const banner = page.getByTestId('unverified-banner');
    await expect
      .poll(() => banner.textContent())
      .toContain('Your address admin@recovery.test is not confirmed yet.');
    await expectAccessible(page, 'unverified banner');
    await banner.getByRole('button', { name: 'Send the link again' }).click();
    await expect.poll(() => banner.getByRole('status').textContent()).toContain('Sent');
    const { mail, link } = await linkIn(people.admin.email, '/verify-email');
    expect(mail.subject).toBe('Agora: confirm your email address');
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Your address admin@recovery.test is confirmed.');
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await page.getByTestId('unverified-banner').count()).toBe(0);
  }, 120_000);

  it('shows the forgot-password page right-to-left in Arabic', async () => {
    const page = await browserPage();
    await page.goto('/forgot-password');
    await page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('إعادة تعيين كلمة المرور');
    await expectAccessible(page, 'forgot password (ar)');
  }, 60_000);
});
