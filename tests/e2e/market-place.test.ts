import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, logIn, startE2eHub, type E2eHub } from './e2e-hub.js';

// A Market Place session in real browsers, from the lobby to the ideas library: the facilitator
// schedules it and adds a proposal's pitch; two experts (funding, on a phone in Arabic; technology)
// join its live board; every phase follows the facilitator within seconds, with the server's
// countdown; each expert writes only in their own area and the other sees the card live; the
// facilitator spotlights, locks and unlocks the board; the vote counts a double click once and
// survives a reload; the results; after the session the lead turns the funding card into a
// suggested change of the proposal and accepts it; the idea is in the library with its lessons.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  admin: { displayName: 'Amira Admin', email: `mp-admin.${stamp}@example.org`, country: 'TN' },
  facilitator: {
    displayName: 'Fatima Benali',
    email: `mp-fatima.${stamp}@example.org`,
    country: 'JO',
  },
  lead: { displayName: 'Leila Haddad', email: `mp-leila.${stamp}@example.org`, country: 'TN' },
  funding: { displayName: 'Ana Martins', email: `mp-ana.${stamp}@example.org`, country: 'PT' },
  technology: {
    displayName: 'Karim Nasser',
    email: `mp-karim.${stamp}@example.org`,
    country: 'PS',
  },
} as const;
type Who = keyof typeof people;

let hub: E2eHub;
let ids: Record<Who, string>;
let tokens: Record<Who, string>;

const api = <T>(method: string, path: string, body?: unknown, token?: string) =>
  hub.api<T>(method, path, body, token);

beforeAll(async () => {
  // Spaces judges board cards once a doc's edits go quiet: a short quiet keeps the test brisk.
  hub = await startE2eHub('market-place', { COLLAB_FEED_QUIET_MS: '500' });
  ({ ids, tokens } = await hub.register(people, {
    password,
    preferredLanguage: 'en',
    timeZone: 'Europe/Athens',
  }));
  await api(
    'PATCH',
    `/admin/members/${ids.facilitator}/role`,
    { role: 'facilitator' },
    tokens.admin,
  );
  // The role is in the access token: sign in again to carry it.
  const again = await api<{ accessToken: string }>('POST', '/auth/login', {
    email: people.facilitator.email,
    password,
  });
  tokens.facilitator = again.accessToken;
}, 240_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

interface Member {
  context: BrowserContext;
  page: Page;
}

async function signIn(who: Who, { width = 1280 } = {}): Promise<Member> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Athens',
  });
  const page = await context.newPage();
  // A script error in a page is the likeliest cause of a wait timing out: say it where it happened.
  page.on('pageerror', (err) => console.error(`[${who}] page error: ${err.message}`));
  await logIn(page, people[who].email, password);
  return { context, page };
}

async function sideways(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

const phaseOf = (page: Page) => page.getByTestId('phase-now').getAttribute('data-phase');
/** Seconds the page's countdown shows (m:ss). */
async function countdownSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('countdown').textContent()) ?? '';
  const match = /^(\d+):(\d\d)$/.exec(text.trim());
  if (!match) throw new Error(`countdown reads "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
const column = (page: Page, area: string) =>
  page.locator(`[data-testid="board-column"][data-area="${area}"]`);
const cardWith = (scope: Page | Locator, text: string) =>
  scope.getByTestId('board-card').filter({ hasText: text });

/** The proposal editor's first paragraph of a section, its text without the remote carets. */
const sectionParagraph = (page: Page, key: string) =>
  page.getByTestId('editor-content').locator(`h2[data-section="${key}"] + p`);
function textWithoutCarets(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
  return copy.textContent ?? '';
}

describe('a Market Place session in real browsers', () => {
  it('runs through every phase with a facilitator and two experts, then feeds the proposal and the library', async () => {
    // A published call and the lead's proposal in it (through the API: their pages have their own
    // suite), open to members so the facilitator may pitch it.
    const call = await api<{ id: string }>(
      'POST',
      '/calls',
      {
        title: `Circular towns ${stamp}`,
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        totalBudget: 29_000_000,
        maxPerProject: 2_000_000,
      },
      tokens.facilitator,
    );
    await api('POST', `/calls/${call.id}/publish`, {}, tokens.facilitator);
    const proposalTitle = `Repair cafés of Sfax ${stamp}`;
    const proposal = await api<{ id: string }>(
      'POST',
      `/calls/${call.id}/proposals`,
      { title: proposalTitle, country: 'TN' },
      tokens.lead,
    );
    await api('PATCH', `/proposals/${proposal.id}`, { openToMembers: true }, tokens.lead);

    // The facilitator schedules the session in the browser.
    const fac = await signIn('facilitator');
    await fac.page.goto('/market-place');
    await fac.page.getByTestId('session-new').click();
    await fac.page.waitForURL('**/market-place/new');
    const sessionTitle = `Innovation Live Sfax ${stamp}`;
    await fac.page.getByLabel('Title', { exact: true }).fill(sessionTitle);
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await fac.page.getByLabel('Starts at').fill(`${day}T18:00`);
    await fac.page.getByLabel('Time zone').selectOption('Africa/Tunis');
    await fac.page.getByLabel('Meeting link').fill('https://meet.jit.si/agora-innovation-live');
    await fac.page.getByLabel('Stream address').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    await expectAccessible(fac.page, 'new session');
    await fac.page.getByTestId('session-save').click();
    await fac.page.waitForURL(/\/market-place\/[a-f0-9]{24}$/);
    const sessionUrl = fac.page.url();
    const sessionId = sessionUrl.split('/').at(-1) ?? '';
    // Generous: the first load of a session page on a loaded machine (its chat, names, members).
    await fac.page.getByTestId('phase-now').waitFor({ timeout: 60_000 });
    expect(await phaseOf(fac.page)).toBe('lobby');

    // The proposal is pitched (by its address); the experts are added with their areas.
    await fac.page.getByTestId('pitch-proposal').fill(`${hub.url}/proposals/${proposal.id}`);
    await fac.page.getByTestId('pitch-add').click();
    await fac.page.getByTestId('pitch').filter({ hasText: proposalTitle }).waitFor();
    for (const [who, area] of [
      ['funding', 'funding'],
      ['technology', 'technology'],
    ] as const) {
      await api(
        'POST',
        `/spaces/${sessionId}/members`,
        { memberId: ids[who], role: 'expert', area },
        tokens.facilitator,
      );
    }
    await fac.page.reload();
    await fac.page
      .locator('[data-testid="experts-area"][data-area="funding"]')
      .filter({ hasText: people.funding.displayName })
      .waitFor();
    await fac.page
      .locator('[data-testid="experts-area"][data-area="technology"]')
      .filter({ hasText: people.technology.displayName })
      .waitFor();
    await expectAccessible(fac.page, 'session (lobby)');

    // The facilitator opens the board and starts the first pitch with its countdown.
    await fac.page.getByTestId('open-board').click();
    await fac.page.waitForURL(`${sessionUrl}/board`);
    await fac.page.getByTestId('board').waitFor();
    await fac.page.getByTestId('phase-next').click();
    await expect.poll(() => phaseOf(fac.page)).toBe('pitch');

    // Late joiners land in the current phase: the funding expert on a phone, in Arabic; the
    // technology expert on a laptop. Both count down from the server's deadline (5 minutes).
    const ana = await signIn('funding', { width: 360 });
    await ana.page.goto('/profile');
    await ana.page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => ana.page.locator('html').getAttribute('dir')).toBe('rtl');
    await ana.page.goto(`${sessionUrl}/board`);
    const karim = await signIn('technology');
    await karim.page.goto(`${sessionUrl}/board`);
    for (const page of [ana.page, karim.page]) {
      await expect.poll(() => phaseOf(page)).toBe('pitch');
      const left = await countdownSeconds(page);
      expect(left).toBeGreaterThan(200);
      expect(left).toBeLessThanOrEqual(300);
    }

    // Each expert's composer offers only their own area; a card appears live in the other's view.
    await ana.page.getByTestId('card-composer').waitFor();
    expect(await ana.page.getByTestId('card-area').count()).toBe(0);
    await ana.page.getByTestId('card-area-fixed').waitFor();
    expect(await karim.page.getByTestId('card-area').count()).toBe(0);
    const fundingText = 'Apply to the regional circular-economy fund before spring.';
    await ana.page.getByTestId('card-section').selectOption('summary');
    await ana.page.getByTestId('card-text').fill(fundingText);
    await ana.page.getByTestId('card-add').click();
    await cardWith(column(karim.page, 'funding'), fundingText).waitFor({ timeout: 15_000 });
    await cardWith(column(fac.page, 'funding'), fundingText).waitFor({ timeout: 15_000 });
    const techText = 'Book repairs online with a shared open-source calendar.';
    await karim.page.getByTestId('card-text').fill(techText);
    await karim.page.getByTestId('card-add').click();
    await cardWith(column(ana.page, 'technology'), techText).waitFor({ timeout: 15_000 });
    // Spaces accepts both (each expert in their own area): shown as accepted everywhere.
    for (const page of [fac.page, ana.page, karim.page]) {
      for (const text of [fundingText, techText]) {
        await expect
          .poll(() => cardWith(page, text).getAttribute('data-verdict'), { timeout: 30_000 })
          .toBe('accepted');
      }
    }
    expect(await sideways(ana.page), 'the board at 360 px in Arabic').toBeLessThanOrEqual(0);
    await expectAccessible(ana.page, 'board (expert, Arabic, 360 px)');

    // A participant-less comment thread: the technology expert comments on the funding card.
    const fundingCard = cardWith(karim.page, fundingText);
    await fundingCard.getByTestId('card-comment-text').fill('The fund also covers tools.');
    await fundingCard.getByTestId('card-comment-add').click();
    await cardWith(ana.page, fundingText).getByText('The fund also covers tools.').waitFor();

    // The facilitator spotlights the funding card for everyone, then locks and unlocks the board.
    await cardWith(fac.page, fundingText).getByTestId('card-spotlight').click();
    for (const page of [ana.page, karim.page]) {
      await page.getByTestId('spotlight-text').filter({ hasText: fundingText }).waitFor();
    }
    await fac.page.getByTestId('board-lock').check();
    for (const page of [ana.page, karim.page]) {
      await page.getByTestId('board-locked').waitFor();
      await expect.poll(() => page.getByTestId('card-composer').count()).toBe(0);
    }
    await fac.page.getByTestId('board-lock').uncheck();
    await karim.page.getByTestId('card-composer').waitFor();
    await expectAccessible(fac.page, 'board (facilitator)');

    // Feedback, then the support vote.
    await fac.page.getByTestId('phase-next').click();
    await expect.poll(() => phaseOf(karim.page)).toBe('feedback');
    await fac.page.getByTestId('phase-next').click();
    for (const page of [fac.page, ana.page, karim.page]) {
      await expect.poll(() => phaseOf(page)).toBe('vote');
    }
    // A double click is one dot; a reload keeps the server's count (5 − 1).
    const anaDot = ana.page.locator('[data-testid="pitch-dot"][data-pitch="0"]');
    await anaDot.dblclick();
    await expect.poll(() => ana.page.getByTestId('dots-left').getAttribute('data-left')).toBe('4');
    await ana.page.reload();
    await expect.poll(() => ana.page.getByTestId('dots-left').getAttribute('data-left')).toBe('4');
    // Two separate dots from the other expert count twice.
    const karimDot = karim.page.locator('[data-testid="pitch-dot"][data-pitch="0"]');
    await karimDot.click();
    await expect
      .poll(() => karim.page.getByTestId('dots-left').getAttribute('data-left'))
      .toBe('4');
    await karimDot.click();
    await expect
      .poll(() => karim.page.getByTestId('dots-left').getAttribute('data-left'))
      .toBe('3');
    // The facilitator's turnout is live: two voters, three dots.
    await fac.page
      .getByTestId('turnout')
      .filter({ hasText: '3 dots' })
      .waitFor({ timeout: 15_000 });
    expect(await fac.page.getByTestId('turnout').textContent()).toContain('2 of');
    // Nobody sees totals during the vote.
    expect(await karim.page.getByTestId('results').count()).toBe(0);

    // Wrap-up: the results are out for everyone.
    await fac.page.getByTestId('phase-next').click();
    for (const page of [fac.page, ana.page, karim.page]) {
      await expect.poll(() => phaseOf(page)).toBe('wrap-up');
      await page.locator('[data-testid="result"][data-pitch="0"][data-dots="3"]').waitFor();
    }
    // Closed: the board is kept as it is.
    await fac.page.getByTestId('phase-next').click();
    for (const page of [fac.page, ana.page, karim.page]) {
      await expect.poll(() => phaseOf(page)).toBe('closed');
    }
    await ana.context.close();
    await karim.context.close();

    // After the session: the lead sees the cards beside the proposal and turns the funding card
    // (about the summary) into a suggested change, then accepts it in the editor.
    const lead = await signIn('lead');
    await lead.page.goto(`/proposals/${proposal.id}`);
    await lead.page
      .locator('[data-testid="editor"][data-editable="true"]')
      .waitFor({ timeout: 30_000 });
    await sectionParagraph(lead.page, 'summary').waitFor({ timeout: 30_000 });
    await sectionParagraph(lead.page, 'summary').click();
    await lead.page.keyboard.press('End');
    await lead.page.keyboard.type('Neighbours repair instead of throwing away.', { delay: 10 });
    const item = lead.page.getByTestId('feedback-item').filter({ hasText: fundingText });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getByTestId('feedback-origin').textContent()).toContain(
      people.funding.displayName,
    );
    expect(await item.getByTestId('feedback-origin').textContent()).toContain('Funding');
    expect(await item.getByTestId('feedback-origin').textContent()).toContain(sessionTitle);
    // The card without a section can be dismissed but not made a change of a section.
    const techItem = lead.page.getByTestId('feedback-item').filter({ hasText: techText });
    expect(await techItem.getByTestId('feedback-suggest').count()).toBe(0);
    await expectAccessible(lead.page, 'proposal with Market Place feedback');
    await item.getByTestId('feedback-suggest').click();
    const draft = item.getByTestId('feedback-suggest-text');
    await expect.poll(() => draft.inputValue()).toBe('Neighbours repair instead of throwing away.');
    await draft.fill(
      'Neighbours repair instead of throwing away, funded by the regional circular-economy fund.',
    );
    await item.getByTestId('feedback-suggest-save').click();
    await lead.page
      .locator('[data-testid="feedback-item"][data-state="accepted"]')
      .filter({ hasText: fundingText })
      .waitFor();
    const suggestion = lead.page
      .getByTestId('suggestion')
      .filter({ hasText: 'funded by the regional circular-economy fund' });
    await suggestion.waitFor();
    await suggestion.getByTestId('suggestion-accept').click();
    await expect
      .poll(() => sectionParagraph(lead.page, 'summary').evaluate(textWithoutCarets))
      .toBe(
        'Neighbours repair instead of throwing away, funded by the regional circular-economy fund.',
      );
    // The decision stays with the card after a reload, with its origin.
    await lead.page.reload();
    await lead.page
      .locator('[data-testid="feedback-item"][data-state="accepted"]')
      .filter({ hasText: fundingText })
      .waitFor({ timeout: 15_000 });

    // The idea is in the library; its team writes the lessons and, honestly, its status.
    await lead.page.goto('/ideas');
    const idea = lead.page.getByTestId('idea-item').filter({ hasText: proposalTitle });
    await idea.waitFor();
    await expectAccessible(lead.page, 'ideas library');
    await idea.getByRole('link', { name: proposalTitle }).click();
    await lead.page.waitForURL(/\/ideas\/[a-f0-9]{24}$/);
    await lead.page.getByTestId('idea-feedback').getByText(fundingText).waitFor();
    await lead.page.getByTestId('lessons-edit').click();
    await lead.page
      .getByTestId('lessons-worked')
      .fill('Neighbours brought broken things every week.');
    await lead.page
      .getByTestId('lessons-failed')
      .fill('The first workshop space was too far away.');
    await lead.page.getByTestId('lessons-why').fill('People repair where they already meet.');
    await lead.page.getByTestId('lessons-save').click();
    await lead.page
      .getByTestId('lessons-worked-text')
      .filter({ hasText: 'Neighbours brought broken things every week.' })
      .waitFor();
    await lead.page.getByTestId('idea-status-select').selectOption('not-funded');
    await lead.page.getByTestId('idea-status').filter({ hasText: 'Not funded' }).waitFor();
    await expectAccessible(lead.page, 'idea');
    // Failures are first-class: the not-funded filter finds it, with its lessons.
    await lead.page.goto('/ideas?status=not-funded');
    await lead.page
      .getByTestId('idea-item')
      .filter({ hasText: proposalTitle })
      .filter({ hasText: 'Lessons written' })
      .waitFor();
    // Support once, shown at once.
    const support = lead.page
      .getByTestId('idea-item')
      .filter({ hasText: proposalTitle })
      .getByTestId('idea-support');
    await support.click();
    await expect.poll(() => support.getAttribute('aria-pressed')).toBe('true');
    await lead.context.close();
    await fac.context.close();
  }, 360_000);
});
