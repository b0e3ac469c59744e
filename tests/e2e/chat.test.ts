import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Dialog, Page } from 'playwright-core';
import { seriousA11yViolations } from './browser.js';
import { logIn, socketSwitch, startE2eHub, type E2eHub } from './e2e-hub.js';

// Chat in real browsers: two members in a direct channel see each other's messages, typing,
// reactions and read positions live; one drops off the network, misses messages, writes one while
// away, and after reconnecting has everything in the server's order, once; stored-XSS payloads
// render as text, never run; the chat page in Arabic at 360 px mirrors and does not scroll sideways.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  ana: { displayName: 'Ana Sousa', email: `ana.${stamp}@example.org`, country: 'PT' },
  karim: { displayName: 'Karim Haddad', email: `karim.${stamp}@example.org`, country: 'JO' },
} as const;
type Who = keyof typeof people;

let hub: E2eHub;
let ids: Record<Who, string>;
let tokens: Record<Who, string>;
let dmId = '';
/** Browsers a test opened: closed after it, even when it failed half-way. */
const opened: Member[] = [];
const api = <T>(method: string, path: string, body?: unknown, token?: string) =>
  hub.api<T>(method, path, body, token);

beforeAll(async () => {
  hub = await startE2eHub('chat');
  ({ ids, tokens } = await hub.register(people, {
    password,
    preferredLanguage: 'en',
    timeZone: 'Europe/Lisbon',
  }));
  const dm = await api<{ id: string }>('POST', '/dms', { memberIds: [ids.karim] }, tokens.ana);
  dmId = dm.id;
}, 240_000);

afterEach(async () => {
  for (const member of opened.splice(0)) await member.close().catch(() => undefined);
}, 60_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

interface Member {
  context: BrowserContext;
  page: Page;
  /** Every dialog a page opened (an executed XSS payload would open one). */
  dialogs: string[];
  /** Cuts this browser's socket.io connection and keeps it (and every request) down, or back. */
  setOffline(offline: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * A signed-in browser whose socket.io WebSocket passes through the test, so that going offline
 * really closes it (Playwright's setOffline alone leaves an open socket up).
 */
async function signIn(who: Who, { width = 1280 } = {}): Promise<Member> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Lisbon',
  });
  const sockets = await socketSwitch(context, /\/socket\.io\//);
  const dialogs: string[] = [];
  const page = await context.newPage();
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await logIn(page, people[who].email, password);
  const member: Member = {
    context,
    page,
    dialogs,
    setOffline: (value) => sockets.setOffline(value),
    async close() {
      await sockets.close();
      await context.close();
    },
  };
  opened.push(member);
  return member;
}

/** A 48×32 blue PNG. */
const bluePng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAASUlEQVRYhe2WAQkAQAwCF8KwRrxYH2PPOFgAET03KV/drCuIgtChmqHYMtbxE8GIDtUMxZaxDqH4oKFDNUOxZcghBGOdjhwe1weVWfhqhkyfFAAAAABJRU5ErkJggg==',
  'base64',
);

/** A one-page PDF (header, objects, cross-reference table, trailer). */
const minutesPdf = Buffer.from(
  'JVBERi0xLjQKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyAvUGFnZXMgMiAwIFIgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL1R5cGUgL1BhZ2VzIC9LaWRzIFszIDAgUl0gL0NvdW50IDEgPj4KZW5kb2JqCjMgMCBvYmoKPDwgL1R5cGUgL1BhZ2UgL1BhcmVudCAyIDAgUiAvTWVkaWFCb3ggWzAgMCAyMDAgMjAwXSA+PgplbmRvYmoKeHJlZgowIDQKMDAwMDAwMDAwMCA2NTUzNSBmIAowMDAwMDAwMDA5IDAwMDAwIG4gCjAwMDAwMDAwNTggMDAwMDAgbiAKMDAwMDAwMDExNSAwMDAwMCBuIAp0cmFpbGVyCjw8IC9TaXplIDQgL1Jvb3QgMSAwIFIgPj4Kc3RhcnR4cmVmCjE4NgolJUVPRgo=',
  'base64',
);

const panelOf = (page: Page) => page.getByTestId('chat-panel');
const bodies = (page: Page) => panelOf(page).getByTestId('chat-message-body').allTextContents();
const messageWith = (page: Page, text: string) =>
  panelOf(page).getByTestId('chat-message').filter({ hasText: text });

async function openDm(member: Member): Promise<void> {
  await member.page.getByRole('navigation').getByRole('link', { name: /Chat/ }).click();
  await member.page.waitForURL('**/chat');
  await member.page.locator(`[data-testid="chat-channel-link"][data-channel="${dmId}"]`).click();
  await member.page.waitForURL(`**/chat?channel=${dmId}`);
  await panelOf(member.page).getByTestId('chat-live').filter({ hasText: 'Live' }).waitFor();
}

async function send(page: Page, text: string): Promise<void> {
  const composer = panelOf(page).getByTestId('chat-composer');
  await composer.fill(text);
  await composer.press('Enter');
}

describe('chat between two browsers', () => {
  it('messages, typing, reactions and read positions arrive live; a member back from offline has all, in order', async () => {
    const ana = await signIn('ana');
    const karim = await signIn('karim');
    await openDm(ana);
    await openDm(karim);
    await expect.poll(async () => seriousA11yViolations(ana.page), { timeout: 20_000 }).toEqual([]);

    // Typing shows on the other side while Ana writes, and goes when the message lands.
    const composer = panelOf(ana.page).getByTestId('chat-composer');
    await composer.click();
    await ana.page.keyboard.type('Hello **Karim**, ready for the workshop?', { delay: 20 });
    await panelOf(karim.page)
      .getByTestId('chat-typing')
      .filter({ hasText: 'Ana Sousa is typing' })
      .waitFor({ timeout: 10_000 });
    await composer.press('Enter');
    const first = messageWith(karim.page, 'ready for the workshop?');
    await first.waitFor();
    // Markdown rendered by chat's sanitiser: bold is bold.
    expect(await first.getByTestId('chat-message-body').locator('strong').textContent()).toBe(
      'Karim',
    );
    await expect.poll(() => panelOf(karim.page).getByTestId('chat-typing').textContent()).toBe('');

    // Karim reacts: Ana sees the count live; Ana adds hers, Karim sees 2.
    await first.getByTestId('chat-message-menu').click();
    await first.locator('[data-testid="chat-react"][data-emoji="👍"]').click();
    const anaFirst = messageWith(ana.page, 'ready for the workshop?');
    const anaThumb = anaFirst.locator('[data-testid="chat-reaction"][data-emoji="👍"]');
    await expect.poll(() => anaThumb.getByTestId('chat-reaction-count').textContent()).toBe('1');
    await anaThumb.click();
    const karimThumb = first.locator('[data-testid="chat-reaction"][data-emoji="👍"]');
    await expect.poll(() => karimThumb.getByTestId('chat-reaction-count').textContent()).toBe('2');

    // Karim has the message on screen: Ana sees that he read it.
    await anaFirst
      .getByTestId('chat-seen-by')
      .filter({ hasText: 'Seen by Karim Haddad' })
      .waitFor({ timeout: 10_000 });

    // Karim answers in a thread: Ana sees the reply count on her message live, and the reply in it.
    await first.getByTestId('chat-thread-open').click();
    const thread = panelOf(karim.page).getByTestId('chat-thread');
    await thread.getByTestId('chat-composer').fill('Yes, I will bring the guide.');
    await thread.getByTestId('chat-composer').press('Enter');
    await thread.getByTestId('chat-message-body').filter({ hasText: 'bring the guide' }).waitFor();
    await anaFirst.getByTestId('chat-thread-open').filter({ hasText: 'Replies: 1' }).waitFor();
    await anaFirst.getByTestId('chat-thread-open').click();
    await panelOf(ana.page)
      .getByTestId('chat-thread')
      .getByTestId('chat-message-body')
      .filter({ hasText: 'bring the guide' })
      .waitFor();
    await panelOf(ana.page)
      .getByRole('button', { name: /Back to the conversation/ })
      .click();
    await thread.getByRole('button', { name: /Back to the conversation/ }).click();

    // Karim drops off the network. Ana writes three messages; Karim writes one meanwhile.
    await karim.setOffline(true);
    await panelOf(karim.page)
      .getByTestId('chat-live')
      .filter({ hasText: 'Reconnecting' })
      .waitFor();
    for (const text of ['missed one', 'missed two', 'missed three']) await send(ana.page, text);
    await messageWith(ana.page, 'missed three').waitFor();
    await send(karim.page, 'written while away');
    await panelOf(karim.page)
      .locator('[data-testid="chat-pending"][data-state="waiting"]')
      .waitFor({ timeout: 15_000 });

    await karim.setOffline(false);
    await messageWith(karim.page, 'missed three').waitFor({ timeout: 30_000 });
    await messageWith(karim.page, 'written while away').waitFor({ timeout: 30_000 });
    await expect.poll(() => panelOf(karim.page).getByTestId('chat-pending').count()).toBe(0);
    await messageWith(ana.page, 'written while away').waitFor();

    // Both browsers show the server's history, in its order, each message once.
    const history = await api<{
      messages: { seq: number; body: string; threadOf: string | null }[];
    }>('GET', `/channels/${dmId}/messages?after=0&limit=100`, undefined, tokens.ana);
    const all = history.messages.map((m) => m.seq);
    expect(all).toEqual(all.map((_, i) => i + 1));
    // The conversation shows the top level; the thread reply lives in its thread.
    const seqs = history.messages.filter((m) => m.threadOf === null).map((m) => m.seq);
    expect(seqs).toHaveLength(all.length - 1);
    expect(history.messages.filter((m) => m.body === 'written while away')).toHaveLength(1);
    const shownSeqs = async (page: Page) =>
      panelOf(page)
        .getByTestId('chat-message')
        .evaluateAll((els): number[] => els.map((el) => Number(el.getAttribute('data-seq'))));
    await expect.poll(() => shownSeqs(karim.page)).toEqual(seqs);
    await expect.poll(() => shownSeqs(ana.page)).toEqual(seqs);
    // What Karim missed, then what he wrote while away (sent once he was back), in that order.
    const karimTexts = (await bodies(karim.page)).map((t) => t.trim());
    expect(karimTexts.slice(-4)).toEqual([
      'missed one',
      'missed two',
      'missed three',
      'written while away',
    ]);

    // Ana attaches an image (HTML named .png is refused by its content, in its own chip); Karim
    // sees the image inline, its size given before it loads, its name as its alt text.
    const files = panelOf(ana.page).getByTestId('chat-attach-input');
    await files.setInputFiles({
      name: 'evil.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<html><script>alert(1)</script></html>'),
    });
    await panelOf(ana.page)
      .getByTestId('chat-attach-error')
      .filter({ hasText: 'evil.png is not an image' })
      .waitFor();
    await panelOf(ana.page).getByRole('button', { name: 'Remove evil.png' }).click();
    await files.setInputFiles({ name: 'map.png', mimeType: 'image/png', buffer: bluePng });
    await panelOf(ana.page).getByRole('status').filter({ hasText: 'map.png is ready' }).waitFor();
    await send(ana.page, 'the meeting point');
    const image = messageWith(karim.page, 'the meeting point').getByRole('img', {
      name: 'map.png',
    });
    await expect.poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(48);
    expect(await image.getAttribute('height')).toBe('32');

    // A PDF shows as a file chip; its download is an attachment, never a page of this origin.
    const upload = await fetch(`${hub.url}/api/channels/${dmId}/attachments?name=minutes.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.ana}`, 'content-type': 'application/pdf' },
      body: minutesPdf,
    });
    expect(upload.status).toBe(201);
    const pdf = (await upload.json()) as { id: string };
    await api(
      'POST',
      `/channels/${dmId}/messages`,
      { body: '', clientMessageId: `pdf-${stamp}`, attachmentIds: [pdf.id] },
      tokens.ana,
    );
    await panelOf(karim.page)
      .getByTestId('chat-attachment-file')
      .filter({ hasText: 'minutes.pdf' })
      .waitFor();
    const got = await fetch(`${hub.url}/api/attachments/${pdf.id}`, {
      headers: { authorization: `Bearer ${tokens.karim}` },
    });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="minutes\.pdf"/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(Buffer.from(await got.arrayBuffer()).equals(minutesPdf)).toBe(true);

    // The same store holds forum images: public by content hash, as avatars are.
    const posted = await fetch(`${hub.url}/api/forum/images?name=map.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.karim}`, 'content-type': 'image/png' },
      body: bluePng,
    });
    const forumImage = (await posted.json()) as { url: string; width: number };
    expect(forumImage.width).toBe(48);
    const shown = await fetch(`${hub.url}${forumImage.url}`);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ana.dialogs).toEqual([]);
    expect(karim.dialogs).toEqual([]);
  }, 240_000);

  it('stored-XSS payloads render as harmless text in both browsers', async () => {
    const payloads = [
      '<img src=x onerror="alert(1)">',
      '<script>alert(2)</script>',
      '[click me](javascript:alert(3))',
      '<svg onload=alert(4)><a xlink:href="javascript:alert(5)">x</a></svg>',
      '"><iframe src="javascript:alert(6)"></iframe>',
      '<a href="jav&#x09;ascript:alert(7)">tab</a>',
      '![x](x" onerror="alert(8))',
      '<details open ontoggle=alert(9)>',
      '`<b onmouseover=alert(10)>code</b>`',
      '[ok](https://example.org "t" onclick="alert(11)")',
    ];
    for (const body of payloads) {
      await api(
        'POST',
        `/channels/${dmId}/messages`,
        { body, clientMessageId: `xss-${payloads.indexOf(body)}-${stamp}` },
        tokens.ana,
      );
    }
    const karim = await signIn('karim');
    await karim.page.goto(`/chat?channel=${dmId}`);
    await panelOf(karim.page).getByTestId('chat-live').filter({ hasText: 'Live' }).waitFor();
    await messageWith(karim.page, 'ok').last().waitFor();
    const list = panelOf(karim.page).getByTestId('chat-list');
    // Hover and click over every message body: an event handler that survived would fire.
    for (const body of await list.getByTestId('chat-message-body').all()) {
      await body.hover().catch(() => undefined);
    }
    // Inside the rendered bodies: no active element, no handler, no script link.
    const dangerous = await list.evaluate((el) => {
      const inBodies = (selector: string) =>
        [...el.querySelectorAll('[data-testid="chat-message-body"]')].flatMap((body) => [
          ...body.querySelectorAll(selector),
        ]);
      return {
        scripts: inBodies('script, iframe, object, embed, svg, img, details, form').length,
        handlers: inBodies('*').filter((n) =>
          [...n.attributes].some((a) => a.name.toLowerCase().startsWith('on')),
        ).length,
        jsLinks: inBodies('a').filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? ''))
          .length,
      };
    });
    expect(dangerous).toEqual({ scripts: 0, handlers: 0, jsLinks: 0 });
    // The payloads are there, as text.
    expect((await bodies(karim.page)).join('\n')).toContain('alert(2)');
    await karim.page.waitForTimeout(500);
    expect(karim.dialogs).toEqual([]);
  }, 120_000);

  it('in Arabic at 360 px the chat mirrors, each message keeps its own direction, nothing scrolls sideways', async () => {
    await api(
      'POST',
      `/channels/${dmId}/messages`,
      { body: 'See you in Amman.', clientMessageId: `latin-${stamp}` },
      tokens.karim,
    );
    await api(
      'POST',
      `/channels/${dmId}/messages`,
      { body: 'مرحبا، هل أنت مستعد للورشة؟', clientMessageId: `ar-${stamp}` },
      tokens.ana,
    );
    const karim = await signIn('karim', { width: 360 });
    await karim.page.goto('/profile');
    await karim.page.getByRole('button', { name: 'Menu' }).waitFor();
    await karim.page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => karim.page.locator('html').getAttribute('dir')).toBe('rtl');
    await karim.page.goto('/chat');
    const link = karim.page.locator(`[data-testid="chat-channel-link"][data-channel="${dmId}"]`);
    // Ana's messages since Karim last read: counted on the conversation and in the nav.
    await link.getByTestId('chat-unread-badge').waitFor();
    await karim.page.getByRole('button', { name: 'القائمة' }).click();
    await karim.page.getByTestId('chat-nav-unread').waitFor();
    const wideList = await karim.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(wideList, '/chat at 360 px').toBeLessThanOrEqual(0);
    await karim.page.locator(`[data-testid="chat-channel-link"][data-channel="${dmId}"]`).click();
    const arabic = messageWith(karim.page, 'مرحبا').getByTestId('chat-message-body');
    await arabic.waitFor();
    expect(await arabic.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    const latin = messageWith(karim.page, 'See you in Amman').getByTestId('chat-message-body');
    expect(await latin.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    const wide = await karim.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(wide, 'a conversation at 360 px').toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(karim.page)).toEqual([]);
  }, 120_000);
});
