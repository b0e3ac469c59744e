import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, startE2eHub, type E2eHub } from './e2e-hub.js';
import { gradientPng } from './png.js';

// The whole hub (nats-server, store, identity, gateway, built web, one-origin proxy) in a real browser:
// register → log in → complete the profile with images → 100% → Arabic, mirrored → log out,
// with axe-core on every page of the shell and a 360 px phone check.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const founder = { name: 'Leila Haddad', email: `leila.${stamp}@example.org` };
const invitee = { name: 'Nikos Papadakis', email: `nikos.${stamp}@example.org` };

let hub: E2eHub;

beforeAll(async () => {
  hub = await startE2eHub('signup');
}, 180_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  return { context, page };
}

/** The text of what a control's `aria-describedby` points at: its hint and its error. */
function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
      .join(' '),
  );
}

async function uploadImage(page: Page, kind: 'avatar' | 'cover', png: Buffer): Promise<void> {
  const block = page.locator(`.upload-${kind}`);
  await block.locator('input[type="file"]').setInputFiles({
    name: `${kind}.png`,
    mimeType: 'image/png',
    buffer: png,
  });
  await expect.poll(() => block.getByRole('img').getAttribute('src')).toMatch(/^blob:/);
  await block.getByRole('button', { name: 'Upload' }).click();
  await block.getByRole('status').filter({ hasText: 'Image saved.' }).waitFor();
  // After saving, the preview gives way to the stored image served by the gateway.
  await expect.poll(() => block.getByRole('img').getAttribute('src')).not.toMatch(/^blob:/);
}

describe('sign-up, profile and right-to-left in a real browser', () => {
  it('registers, logs in, completes the profile, switches to Arabic and logs out', async () => {
    const { context, page } = await newPage();

    // Register (the first account of a fresh install: admin).
    await page.goto('/register');
    await page.getByLabel('Display name').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(page, 'register');

    // Bad input first: the server's validation errors land next to the fields.
    await page.getByLabel('Display name').fill(founder.name);
    await page.getByLabel('Email').fill(founder.email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Country').selectOption('TN');
    await page.getByRole('button', { name: 'Create account' }).last().click();
    const passwordField = page.getByLabel('Password', { exact: true });
    await expect.poll(() => descriptionOf(passwordField)).toContain('at least 12');
    expect(await passwordField.getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toContain('/register');

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.waitForURL('**/profile');

    // Log out, then log in again.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email').waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel('Email').fill(founder.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: `Welcome, ${founder.name}` }).waitFor();

    // The live connection indicator reaches "connected" over socket.io.
    await page.locator('.live[data-state="connected"]').waitFor();

    // Complete the profile.
    await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL('**/profile');
    const percent = page.getByTestId('completeness-percent');
    expect(await percent.textContent()).not.toContain('100%');
    await expectAccessible(page, 'profile');

    await uploadImage(page, 'avatar', gradientPng(96, 96, 'blue'));
    await uploadImage(page, 'cover', gradientPng(300, 100, 'teal'));
    await page
      .getByLabel('About you')
      .fill('I coordinate social-innovation pilots between Tunis and Marseille.');
    await page.getByLabel('Organisation').fill('Tunis Social Lab');
    await page.getByLabel('Sector').selectOption('civil-society');
    await page.getByRole('checkbox', { name: 'Funding' }).check();
    await page.getByRole('checkbox', { name: 'Technology' }).check();
    await page.getByRole('checkbox', { name: 'Arabic' }).check();
    await page.getByRole('checkbox', { name: 'French' }).check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    await expect.poll(() => percent.textContent()).toBe('100% complete');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expectAccessible(page, 'profile (complete)');

    // Download my data: a JSON file with the account as the server holds it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      account: { email: string; organisation: string; completeness: { percent: number } };
    };
    expect(exported.account.email).toBe(founder.email);
    expect(exported.account.organisation).toBe('Tunis Social Lab');
    expect(exported.account.completeness.percent).toBe(100);

    // Invitations: send one with a message, see it listed.
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.waitForURL('**/invitations');
    await page.getByLabel('Email').fill(invitee.email);
    await page
      .getByLabel('Personal message (optional)')
      .fill('Join our Market Place session on water reuse!');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('cell', { name: invitee.email }).waitFor();
    await expectAccessible(page, 'invitations');

    // The dev mailbox (admin) holds the invitation mail.
    await page.getByRole('link', { name: 'Dev mailbox' }).click();
    await page.waitForURL('**/admin/mailbox');
    await page.locator('.mail').first().waitFor();
    await expectAccessible(page, 'mailbox');
    expect(await page.locator('.mail').first().textContent()).toContain(invitee.email);

    // Switch to Arabic: <html lang dir> change and the layout mirrors.
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL('**/profile');
    const navBefore = await page.getByRole('navigation').boundingBox();
    expect(navBefore && navBefore.x < 640).toBe(true);
    await page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('heading', { name: 'ملفك الشخصي' }).waitFor();
    const nav = await page.getByRole('navigation').boundingBox();
    const main = await page.locator('main').boundingBox();
    expect(nav && main).toBeTruthy();
    expect(nav!.x).toBeGreaterThan(640); // the nav now sits on the right…
    expect(main!.x + main!.width).toBeLessThanOrEqual(nav!.x); // …with the page to its left
    await expectAccessible(page, 'profile (Arabic)');

    // The choice is remembered across a reload, and the member's preferred language was saved.
    await page.reload();
    await page.getByRole('heading', { name: 'ملفك الشخصي' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect
      .poll(() => page.locator('select[name="preferredLanguage"]').inputValue())
      .toBe('ar');

    // A 360 px phone: the nav folds behind a menu button and nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 780 });
    const menu = page.getByRole('button', { name: 'القائمة' });
    await menu.waitFor();
    await menu.click();
    await page.getByRole('navigation').getByRole('link', { name: 'الملف الشخصي' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Log out: back to the login page, and signed-in pages now send there.
    await page.getByRole('button', { name: 'تسجيل الخروج' }).click();
    await page.waitForURL('**/login');
    await page.goto('/profile');
    await page.waitForURL('**/login?next=%2Fprofile');
    await context.close();
  }, 240_000);

  it('an invitee registers through the link, is refused the dev mailbox, and deletes the account', async () => {
    // The admin's mailbox holds the link; read it as the admin.
    const admin = await newPage();
    await admin.page.goto('/login');
    await admin.page.getByLabel('Email').fill(founder.email);
    await admin.page.getByLabel('Password').fill(password);
    await admin.page.getByRole('button', { name: 'Log in' }).last().click();
    await admin.page.waitForURL((url) => url.pathname === '/');
    await admin.page.goto('/admin/mailbox');
    const mail = admin.page.locator('.mail').filter({ hasText: invitee.email }).first();
    await mail.waitFor();
    const body = (await mail.locator('pre').textContent()) ?? '';
    const token = /[?&]invite=([A-Za-z0-9_-]+)/.exec(body)?.[1];
    expect(token, 'invitation link in the mail').toBeTruthy();
    await admin.context.close();

    const { context, page } = await newPage(360);
    // A link the server does not know is said plainly; the form still works.
    await page.goto(`/register?invite=${'x'.repeat(32)}`);
    await page.getByText('This invitation link is not valid any more.').waitFor();
    await page.goto(`/register?invite=${token}`);
    await page.getByText(`${founder.name} invited you to Agora`).waitFor();
    await page.getByText('Join our Market Place session on water reuse!').waitFor();
    await expect.poll(() => page.getByLabel('Email').inputValue()).toBe(invitee.email);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await page.getByLabel('Display name').fill(invitee.name);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Country').selectOption('GR');
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.waitForURL('**/profile');

    // A path the app does not have: the error page.
    await page.goto('/no-such-page');
    await page.getByRole('heading', { name: 'This page does not exist.' }).waitFor();
    await expectAccessible(page, 'not found');

    // A page whose data cannot be loaded (the gateway answers 503 for the list): the error page
    // inside the shell, saying the error code in the reader's words rather than the server's.
    await page.route('**/api/invitations', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'identity is down' } }),
      }),
    );
    await page.goto('/invitations');
    await page.getByRole('heading', { name: 'Something went wrong' }).waitFor();
    await page.getByText('The service is unavailable right now.').waitFor();
    expect(await page.getByText('identity is down').count()).toBe(0);
    await page.getByRole('button', { name: 'Menu' }).waitFor();
    await expectAccessible(page, 'error page (load failed)');
    await page.unroute('**/api/invitations');

    // A member (not admin) sees the forbidden notice, not the mail.
    await page.goto('/admin/mailbox');
    await page.getByTestId('mailbox-forbidden').waitFor();
    expect(await page.locator('.mail').count()).toBe(0);
    await expectAccessible(page, 'mailbox (forbidden)');

    // Delete my account: needs the password and the confirmation; afterwards the login is gone.
    await page.goto('/profile');
    const deleteButton = page.getByRole('button', { name: 'Delete my account' });
    await page.getByLabel('Confirm with your password').fill('not my password at all');
    expect(await deleteButton.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'I understand that this cannot be undone' }).check();
    await deleteButton.click();
    await page.getByRole('alert').filter({ hasText: 'The password is not correct.' }).waitFor();
    await page.getByLabel('Confirm with your password').fill(password);
    await deleteButton.click();
    await page.waitForURL('**/login?deleted=1');
    await page.getByText('Your account has been deleted.').waitFor();
    await page.getByLabel('Email').fill(invitee.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.getByRole('alert').filter({ hasText: 'not correct' }).waitFor();
    await context.close();
  }, 120_000);
});
