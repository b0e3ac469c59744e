import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, startE2eHub, type E2eHub } from './e2e-hub.js';
import { gradientPng } from './png.js';

// MED Points in a real browser: a member registers (+100, and +5 for today's sign-in), completes the profile while the Points
// page is open (each award arrives live as a toast, the level-up banner announces Contributor),
// publishes a post (+20 — post published), and the page shows the history, the level and the
// leaderboard; then in Arabic, right-to-left, at 360 px.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const member = { name: 'Salma Trabelsi', email: `salma.${stamp}@example.org` };

let hub: E2eHub;

async function api(method: string, path: string, token: string, body?: unknown, type?: string) {
  const binary = body instanceof Buffer;
  const res = await fetch(`${hub.url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': type ?? 'application/json',
    },
    body: body === undefined ? undefined : binary ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The balance the page shows, once it reads `text`, reloading while awards are still on their way. */
async function balanceReads(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const shown = await page.getByTestId('points-balance').textContent();
    if (shown?.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`balance shows "${shown}", not "${text}"`);
    await page.waitForTimeout(500);
  }
}

beforeAll(async () => {
  hub = await startE2eHub('points');
}, 240_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

describe('MED Points', () => {
  it('register +100, profile +100 and the level-up live, a post +20, history and leaderboards, in Arabic', async () => {
    const context = await hub.browser.newContext({
      baseURL: hub.url,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timezoneId: 'Africa/Tunis',
    });
    const page = await context.newPage();
    await page.goto('/register');
    await page.getByLabel('Display name').fill(member.name);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Country').selectOption('TN');
    await page.getByRole('button', { name: 'Create account' }).last().click();
    await page.waitForURL('**/profile', { timeout: 60_000 });

    // Registering paid 100, and signing in today 5 (these may land before this tab's socket is
    // up: the page shows them).
    await page.getByRole('navigation').getByRole('link', { name: 'Points', exact: true }).click();
    await page.getByRole('heading', { name: 'My MED Points' }).waitFor();
    await balanceReads(page, '105 MED Points');
    await expect
      .poll(() => page.getByTestId('points-history').textContent())
      .toContain('registered');
    expect(await page.getByTestId('points-level').textContent()).toBe('Newcomer');

    // The rest arrives live on the open page: the same member acting through the API.
    const auth = (await api('POST', '/auth/login', '', { email: member.email, password })) as {
      accessToken: string;
    };
    const token = auth.accessToken;
    await api('PATCH', '/me', token, {
      bio: 'I run a social-innovation lab in Sfax.',
      organisation: 'Sfax Social Lab',
      sector: 'civil-society',
      languages: ['ar', 'fr'],
      expertise: ['funding'],
    });
    await page
      .getByTestId('points-toast')
      .filter({ hasText: '+20 MED Points — profile updated' })
      .waitFor();
    await api('PUT', '/me/avatar', token, gradientPng(64, 64), 'image/png');
    await api('PUT', '/me/cover', token, gradientPng(320, 96, 'teal'), 'image/png');
    await page
      .getByTestId('points-toast')
      .filter({ hasText: '+100 MED Points — profile completed' })
      .waitFor({ timeout: 20_000 });
    // 105 + 20 (profile) + 20 (avatar) + 20 (cover) + 100 (complete) = 265: Contributor (250).
    await page
      .getByTestId('level-banner')
      .filter({ hasText: 'You are now Contributor!' })
      .waitFor();
    await balanceReads(page, '265 MED Points');
    expect(await page.getByTestId('points-level').textContent()).toBe('Contributor');

    await api('POST', '/posts', token, {
      body: 'Our greywater gardens are growing.',
      tags: ['news'],
    });
    await page
      .getByTestId('points-toast')
      .filter({ hasText: '+20 MED Points — post published' })
      .waitFor({ timeout: 20_000 });
    await balanceReads(page, '285 MED Points');

    // History names each rule; the filter narrows it.
    const history = page.getByTestId('points-history');
    for (const rule of ['registered', 'profile completed', 'avatar changed', 'post published'])
      await expect.poll(() => history.textContent()).toContain(rule);
    await page.getByLabel('Rule').selectOption('post-published');
    await expect.poll(() => history.locator('li').count()).toBe(1);

    // The leaderboard has the member with their rank, all time and this month.
    const board = page.getByTestId('points-leaderboard');
    await expect.poll(() => board.textContent()).toContain(member.name);
    await expect.poll(() => page.getByTestId('points-my-rank').textContent()).toContain('285');
    await page.getByRole('link', { name: 'This month' }).click();
    await expect.poll(() => page.getByTestId('points-my-rank').textContent()).toContain('285');
    await page.getByRole('link', { name: 'My country only' }).click();
    await expect.poll(() => board.textContent()).toContain(member.name);
    await page.getByTestId('level-banner').getByRole('button', { name: 'Dismiss' }).click();
    await expectAccessible(page, 'points');

    // Arabic, right-to-left, at 360 px: translated, nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto('/points');
    await page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.getByRole('heading', { name: 'نقاط MED الخاصة بي' }).waitFor();
    await expect
      .poll(() => page.getByTestId('points-history').textContent())
      .toContain('نشر منشور');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'points (Arabic, 360 px)');
    await context.close();
  }, 240_000);
});
