import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import { seriousA11yViolations } from './browser.js';
import { logIn, startE2eHub, type E2eHub } from './e2e-hub.js';

// The forum and the bell in real browsers against the whole hub: a like given in one browser
// changes the count in the other at once; the bell's count rises live when someone comments on
// my post; stored-XSS payloads posted through the API render inert (no dialog, no script ran);
// the pages pass axe and fit 360 px.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  admin: { displayName: 'Amira Admin', email: `admin.f.${stamp}@example.org`, country: 'TN' },
  alice: { displayName: 'Alice Martin', email: `alice.f.${stamp}@example.org`, country: 'FR' },
  bob: { displayName: 'Bilal Haddad', email: `bilal.f.${stamp}@example.org`, country: 'JO' },
} as const;
type Who = keyof typeof people;

/** Each tries to run script (or navigate to script) in its own way; none may. */
const payloads = [
  '<script>window.__xss=1;alert(1)</script>',
  '<img src=x onerror="window.__xss=1;alert(1)">',
  '<svg onload="window.__xss=1;alert(1)"></svg>',
  '[click me](javascript:window.__xss=1;alert(1))',
  '![x" onerror="window.__xss=1;alert(1)](/api/media/' + 'a'.repeat(64) + ')',
  '<iframe srcdoc="<script>parent.__xss=1;alert(1)</script>"></iframe>',
  '<details open ontoggle="window.__xss=1;alert(1)">x</details>',
  '<a href="javascript:alert(1)">x</a>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1;alert(1)">',
];

let hub: E2eHub;
let tokens: Record<Who, string>;

const api = <T>(method: string, path: string, body?: unknown, token?: string) =>
  hub.api<T>(method, path, body, token);

beforeAll(async () => {
  hub = await startE2eHub('forum');
  ({ tokens } = await hub.register(people, {
    password,
    preferredLanguage: 'en',
    timeZone: 'Europe/Paris',
  }));
}, 240_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

interface Member {
  context: BrowserContext;
  page: Page;
  /** Every dialog the page opened (an executed payload would open one). */
  dialogs: string[];
}

async function signIn(who: Who, width = 1280): Promise<Member> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await logIn(page, people[who].email, password);
  return { context, page, dialogs };
}

const postCard = (page: Page, title: string) =>
  page.getByTestId('forum-post').filter({ has: page.getByRole('heading', { name: title }) });

describe('the forum and the bell in real browsers', () => {
  it('shows a like from one browser in the other and rings the bell live', async () => {
    const title = `Inspiring: the Sfax cooperative ${stamp}`;
    const post = await api<{ id: string }>(
      'POST',
      '/posts',
      { title, body: 'From **one** stall to *twelve*.', tags: ['inspiring-story'] },
      tokens.alice,
    );
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    await Promise.all([alice.page.goto('/forum'), bob.page.goto('/forum')]);

    // Alice's own post: a count, no like button; Bob's view: a button.
    await expect
      .poll(() => postCard(alice.page, title).getByTestId('like-count').textContent())
      .toBe('Likes: 0');
    const like = postCard(bob.page, title).getByRole('button', { name: /Like/ });
    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => postCard(alice.page, title).getByTestId('like-count').textContent(), {
        timeout: 10_000,
      })
      .toBe('Likes: 1');
    // …and back, both ways
    await like.click();
    await expect
      .poll(() => postCard(alice.page, title).getByTestId('like-count').textContent(), {
        timeout: 10_000,
      })
      .toBe('Likes: 0');

    // The bell: nothing unread, then Bob comments twice on Alice's post
    const bell = alice.page.getByTestId('notif-unread');
    await expect.poll(() => bell.count()).toBe(0);
    await api('POST', `/posts/${post.id}/comments`, { body: 'Wonderful!' }, tokens.bob);
    await expect.poll(() => bell.textContent(), { timeout: 10_000 }).toBe('1');
    // a second reply on the same post grows the one notification: still one unread
    await api('POST', `/posts/${post.id}/comments`, { body: 'Who funded it?' }, tokens.bob);
    await alice.page.goto('/notifications');
    await expect
      .poll(() => alice.page.getByTestId('notification-list').textContent(), { timeout: 10_000 })
      .toContain('New replies to your post or comment (2)');
    expect(await seriousA11yViolations(alice.page), 'notifications page').toEqual([]);
    await alice.page.getByRole('button', { name: 'Mark all as read' }).click();
    await expect.poll(() => bell.count(), { timeout: 10_000 }).toBe(0);

    expect(alice.dialogs).toEqual([]);
    expect(bob.dialogs).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  });

  it('renders stored XSS payloads inert, passes axe and fits 360 px', async () => {
    for (const [i, body] of payloads.entries())
      await api('POST', '/posts', { title: `Payload ${i} ${stamp}`, body }, tokens.bob);
    const alice = await signIn('alice', 360);
    await alice.page.goto('/forum');
    await postCard(alice.page, `Payload ${payloads.length - 1} ${stamp}`).waitFor();
    await postCard(alice.page, `Payload 0 ${stamp}`).waitFor();
    // give any payload the chance to fire (an image error, a toggle event)
    await alice.page.waitForTimeout(1_000);
    expect(alice.dialogs).toEqual([]);
    expect(await alice.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    const bodies = alice.page.getByTestId('forum-post-body');
    for (const tag of ['script', 'iframe', 'svg', 'details', 'math', 'style'])
      expect(await bodies.locator(tag).count(), tag).toBe(0);
    expect(await bodies.locator('[onerror], [onload], [ontoggle]').count()).toBe(0);
    expect(await bodies.locator('a[href^="javascript"]').count()).toBe(0);
    // 360 px: nothing scrolls sideways
    const overflow = await alice.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(alice.page), 'forum page').toEqual([]);
    await alice.context.close();
  });
});
