import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, logIn, socketSwitch, startE2eHub, type E2eHub } from './e2e-hub.js';

// The whole hub in a real browser, from "a call is open" to "our pilot project is funded":
// a facilitator publishes a call; a lead starts a proposal and adds a co-author; both type in the
// same section at once and see each other's text and carets; the co-author edits offline and
// comes back; the budget goes over the cap in one browser and the other sees it live; submit,
// assign a reviewer, review, decide; the team sees the decision; Arabic is right-to-left; 360 px.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  admin: { displayName: 'Amira Admin', email: `admin.${stamp}@example.org`, country: 'TN' },
  facilitator: {
    displayName: 'Fatima Benali',
    email: `fatima.${stamp}@example.org`,
    country: 'JO',
  },
  lead: { displayName: 'Leila Haddad', email: `leila.${stamp}@example.org`, country: 'TN' },
  coauthor: { displayName: 'Nikos Papadakis', email: `nikos.${stamp}@example.org`, country: 'GR' },
  reviewer: { displayName: 'Rosa Ferreira', email: `rosa.${stamp}@example.org`, country: 'PT' },
} as const;
type Who = keyof typeof people;

/** Where the 360 px screenshot of the proposal page goes (looked at by a person, not compared). */
const screenshotPath =
  process.env.E2E_SCREENSHOT ?? join(tmpdir(), `agora-proposal-360-${stamp}.png`);

let hub: E2eHub;
let ids: Record<Who, string>;
let tokens: Record<Who, string>;
const api = <T>(method: string, path: string, body?: unknown, token?: string) =>
  hub.api<T>(method, path, body, token);

beforeAll(async () => {
  hub = await startE2eHub('proposal');
  // Accounts through the API (the sign-up page has its own test); the first one is the admin,
  // who makes the facilitator a facilitator.
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
}, 240_000);

afterAll(async () => {
  await hub?.stop();
}, 60_000);

interface Member {
  context: BrowserContext;
  page: Page;
  /** Cuts this browser's collab WebSocket (setOffline alone leaves open sockets up) and back. */
  setOffline(offline: boolean): Promise<void>;
  /** Closes the routed sockets cleanly first: closing a context under them resets them mid-read. */
  close(): Promise<void>;
}

/**
 * A signed-in browser. `offlineSwitch` routes its collab sockets through Playwright so that
 * `setOffline` can cut them; only the member who goes offline gets it (a routed socket is owned by
 * the test process, and one torn down by a page navigating away can reset there).
 */
async function signIn(who: Who, { width = 1280, offlineSwitch = false } = {}): Promise<Member> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Athens',
  });
  // With the switch every collab socket passes through here, so "offline" can close them and
  // refuse new ones.
  const sockets = offlineSwitch ? await socketSwitch(context, /\/collab\//) : null;
  const page = await context.newPage();
  await logIn(page, people[who].email, password);
  return {
    context,
    page,
    async setOffline(value) {
      await (sockets ? sockets.setOffline(value) : context.setOffline(value));
    },
    async close() {
      await sockets?.close();
      await context.close();
    },
  };
}

const editorOf = (page: Page) => page.getByTestId('editor-content');
/** The first paragraph of a section: right after its level-2 heading. */
const sectionParagraph = (page: Page, key: string) =>
  editorOf(page).locator(`h2[data-section="${key}"] + p`);
/** Visible text without the remote carets' name labels (they sit inside the paragraphs). */
function textWithoutCarets(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
  return copy.textContent ?? '';
}
const editorText = (page: Page) => editorOf(page).evaluate(textWithoutCarets);
const sectionText = (page: Page, key: string) =>
  sectionParagraph(page, key).evaluate(textWithoutCarets);

async function typeInSection(page: Page, key: string, text: string): Promise<void> {
  const paragraph = sectionParagraph(page, key);
  await paragraph.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 15 });
}

async function waitEditable(page: Page): Promise<void> {
  await page.locator('[data-testid="editor"][data-editable="true"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="editor-status"][data-status="saved"]').waitFor();
  // The skeleton spaces seeded through collab: a heading per section, a paragraph after each.
  await sectionParagraph(page, 'summary')
    .waitFor({ timeout: 30_000 })
    .catch(async (err: unknown) => {
      const html = await editorOf(page).innerHTML();
      throw new Error(`no seeded summary section in the editor: ${html.slice(0, 500)}`, {
        cause: err,
      });
    });
}

async function setBudgetCell(row: Locator, testId: string, value: string): Promise<void> {
  const cell = row.getByTestId(testId);
  await cell.fill(value);
  await cell.blur();
}

describe('a call, a co-written proposal, its review and decision, in real browsers', () => {
  it('walks the whole lifecycle with two editors at once', async () => {
    // The facilitator writes and publishes a call.
    const fac = await signIn('facilitator');
    await fac.page.getByRole('navigation').getByRole('link', { name: 'Calls' }).click();
    await fac.page.getByRole('link', { name: 'New call' }).click();
    await fac.page.waitForURL('**/calls/new');
    await expectAccessible(fac.page, 'new call');
    const callTitle = `Water reuse pilots ${stamp}`;
    await fac.page.getByLabel('Title', { exact: true }).fill(callTitle);
    await fac.page
      .getByLabel('Description')
      .fill('Subgrants for co-produced pilot projects that reuse water in Mediterranean towns.');
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await fac.page.getByLabel('Deadline', { exact: true }).fill(`${deadline}T17:00`);
    await fac.page.getByLabel('Time zone of the deadline').selectOption('Africa/Tunis');
    // A typed amount that is not one is said next to its field, and nothing is sent.
    await fac.page.getByLabel('Total budget').fill('lots');
    await fac.page.getByLabel('Maximum per project').fill('20000');
    await fac.page.getByLabel('Eligible countries').selectOption(['TN', 'JO', 'GR']);
    await fac.page.getByLabel('Criterion 1').fill('Co-production with the 4 helices');
    await fac.page.getByLabel('Weight').fill('2');
    await fac.page.getByRole('button', { name: 'Save the draft' }).click();
    await fac.page.getByText('Enter an amount, with up to 2 decimals.').waitFor();
    expect(fac.page.url()).toContain('/calls/new');
    await fac.page.getByLabel('Total budget').fill('290000');
    await fac.page.getByRole('button', { name: 'Add a criterion' }).click();
    await fac.page.getByLabel('Criterion 2').fill('Expected impact');
    await fac.page.getByRole('button', { name: 'Save the draft' }).click();
    await fac.page.waitForURL(/\/calls\/[a-f0-9]{24}$/);
    const callUrl = fac.page.url();
    await fac.page.getByTestId('call-status').filter({ hasText: 'Draft' }).waitFor();
    await fac.page.getByRole('button', { name: 'Publish the call' }).click();
    await fac.page.getByTestId('call-status').filter({ hasText: 'Open' }).waitFor();
    // The deadline is shown in the member's zone (Athens) and in the call's (Tunis, an hour behind).
    expect(await fac.page.getByTestId('deadline-member').textContent()).toMatch(/6:00\s*PM/);
    expect(await fac.page.getByTestId('deadline-call').textContent()).toMatch(/5:00\s*PM/);
    expect(await fac.page.getByTestId('call-max').textContent()).toContain('20,000');
    await expectAccessible(fac.page, 'call (open)');

    // The lead finds the open call and starts a proposal: the proposal page with its skeleton.
    const lead = await signIn('lead');
    await lead.page.goto('/calls');
    await lead.page.getByRole('link', { name: callTitle }).click();
    await lead.page.waitForURL(callUrl);
    await lead.page.getByLabel('Proposal title').fill('Grey water gardens in Sfax');
    // The call names eligible countries: the lead's own (Tunisia) is chosen for them.
    expect(await lead.page.getByLabel('Country of the pilot project').inputValue()).toBe('TN');
    await lead.page.getByRole('button', { name: 'Start the proposal' }).click();
    await lead.page.waitForURL(/\/proposals\/[a-f0-9]{24}$/);
    const proposalUrl = lead.page.url();
    const proposalId = proposalUrl.split('/').at(-1) ?? '';
    await waitEditable(lead.page);
    for (const key of ['summary', 'problem', 'approach', 'budget', 'sustainability']) {
      expect(await sectionParagraph(lead.page, key).count(), `section ${key}`).toBe(1);
    }

    // The lead adds the co-author by member id.
    const team = lead.page.getByRole('region', { name: 'Team' });
    await team.getByLabel('Member id or email').fill(ids.coauthor ?? '');
    await team.getByLabel('Role', { exact: true }).selectOption('co-author');
    await team.getByRole('button', { name: 'Add to the team' }).click();
    await team.getByText('Added to the team.').waitFor();
    await team.getByText(people.coauthor.displayName, { exact: true }).waitFor();
    await expectAccessible(lead.page, 'proposal (lead)');

    // Both type in the summary at once, and each sees the other's text and caret.
    const co = await signIn('coauthor', { offlineSwitch: true });
    await co.page.goto(proposalUrl);
    await waitEditable(co.page);
    await typeInSection(lead.page, 'summary', 'Gardens watered with treated grey water.');
    await expect.poll(() => sectionText(co.page, 'summary')).toContain('grey water.');
    // At once: the lead goes on at the end of the paragraph while the co-author writes at its start.
    await sectionParagraph(co.page, 'summary').click();
    await co.page.keyboard.press('Home');
    await Promise.all([
      lead.page.keyboard.type(' Four gardens in Sfax.', { delay: 20 }),
      co.page.keyboard.type('Co-designed with neighbours: ', { delay: 20 }),
    ]);
    const together =
      'Co-designed with neighbours: Gardens watered with treated grey water. Four gardens in Sfax.';
    for (const page of [lead.page, co.page]) {
      await expect.poll(() => sectionText(page, 'summary'), { timeout: 15_000 }).toBe(together);
    }
    await lead.page
      .locator('.collaboration-carets__label', { hasText: people.coauthor.displayName })
      .waitFor();
    await co.page
      .locator('.collaboration-carets__label', { hasText: people.lead.displayName })
      .waitFor();

    // The co-author goes offline and keeps writing; the lead writes meanwhile; both end identical.
    await co.setOffline(true);
    await co.page.locator('[data-testid="editor-status"][data-status="offline"]').waitFor();
    await typeInSection(co.page, 'problem', 'Summer droughts leave town gardens dry for months.');
    await expect
      .poll(() => co.page.getByTestId('editor-status').getAttribute('data-pending'))
      .not.toBe('0');
    await typeInSection(
      lead.page,
      'approach',
      'Residents, the water utility and the university co-design every garden.',
    );
    await co.setOffline(false);
    await co.page
      .locator('[data-testid="editor-status"][data-status="saved"]')
      .waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await editorText(lead.page)) === (await editorText(co.page)), {
        timeout: 20_000,
      })
      .toBe(true);
    expect(await editorText(lead.page)).toContain('Summer droughts leave town gardens dry');
    expect(await editorText(co.page)).toContain('the water utility and the university');

    // The remaining sections, so that only the budget can stop the submission.
    await typeInSection(
      lead.page,
      'partners',
      'Sfax municipality, a water start-up, the university and a neighbourhood association.',
    );
    await typeInSection(
      lead.page,
      'activities',
      'Six months of design workshops, then building four gardens.',
    );
    await typeInSection(
      lead.page,
      'budget',
      'Materials, workshops and monitoring, detailed in the table below.',
    );
    await typeInSection(
      lead.page,
      'impact',
      'Litres of water reused per garden, families taking part.',
    );
    await typeInSection(
      co.page,
      'sustainability',
      'The association runs the gardens after the pilot ends.',
    );

    // The budget goes over the cap in the lead's browser; the co-author sees the error live.
    await lead.page.getByTestId('budget-add').click();
    const line = lead.page.getByTestId('budget-row').first();
    await setBudgetCell(line, 'budget-category', 'Equipment');
    await setBudgetCell(line, 'budget-description', 'Drip irrigation and filters');
    await setBudgetCell(line, 'budget-quantity', '4');
    await setBudgetCell(line, 'budget-unit-cost', '6000');
    await lead.page.getByTestId('budget-error').waitFor();
    await co.page.getByTestId('budget-error').waitFor({ timeout: 15_000 });
    expect(await co.page.getByTestId('budget-total').getAttribute('data-total')).toBe('2400000');

    // Submitting over the cap is refused by the server with its checks listed.
    await lead.page.getByRole('button', { name: 'Submit the proposal' }).click();
    const checks = lead.page.getByTestId('submission-checks');
    await checks.waitFor();
    expect(await checks.textContent()).toContain('above the maximum');
    await lead.page.getByTestId('proposal-status').filter({ hasText: 'Draft' }).waitFor();

    // Back within the cap (the co-author fixes it), then the submission goes through.
    await setBudgetCell(co.page.getByTestId('budget-row').first(), 'budget-unit-cost', '4500');
    await lead.page.getByTestId('budget-remaining').waitFor({ timeout: 15_000 });
    await lead.page.getByRole('button', { name: 'Submit the proposal' }).click();
    await lead.page.getByTestId('proposal-status').filter({ hasText: 'Submitted' }).waitFor();
    // The co-author hears it through the proposal's room, without reloading.
    await co.page
      .getByTestId('proposal-status')
      .filter({ hasText: 'Submitted' })
      .waitFor({ timeout: 15_000 });

    // The facilitator assigns a reviewer: the proposal is in review.
    await fac.page.goto(proposalUrl);
    await fac.page.getByLabel('Reviewer’s member id').fill(ids.reviewer ?? '');
    await fac.page.getByRole('button', { name: 'Assign', exact: true }).click();
    await fac.page.getByTestId('proposal-status').filter({ hasText: 'In review' }).waitFor();

    // The reviewer finds it in the queue, scores each criterion with a comment.
    const rev = await signIn('reviewer');
    await rev.page.getByRole('navigation').getByRole('link', { name: 'Reviews' }).click();
    await rev.page.waitForURL('**/reviews');
    await rev.page.getByRole('link', { name: 'Grey water gardens in Sfax' }).first().waitFor();
    await expectAccessible(rev.page, 'reviewer queue');
    await rev.page.getByRole('link', { name: 'Open and review' }).click();
    await rev.page.waitForURL(proposalUrl);
    // A reviewer reads the document but cannot edit it.
    await rev.page.getByTestId('editor-read-only').waitFor({ timeout: 30_000 });
    const form = rev.page.getByRole('region', { name: 'Your review' });
    const criteria = form.locator('fieldset');
    await criteria.nth(0).getByLabel('Score (0 to 10)').selectOption('9');
    await criteria.nth(0).getByLabel('Comment').fill('All four helices are at the table.');
    await criteria.nth(1).getByLabel('Score (0 to 10)').selectOption('7');
    await criteria.nth(1).getByLabel('Comment').fill('Indicators are clear; add a baseline.');
    await form.getByRole('button', { name: 'Send the review' }).click();
    await form.getByText('Review saved.').waitFor();

    // The facilitator decides; the team sees the decision and the feedback live.
    await fac.page.reload();
    await fac.page.getByLabel('Note to the team').fill('Funded in full. Well done!');
    await fac.page.getByRole('button', { name: 'Record the decision' }).click();
    await fac.page.getByTestId('proposal-status').filter({ hasText: 'Funded' }).waitFor();
    const decision = lead.page.getByTestId('decision');
    await decision.waitFor({ timeout: 15_000 });
    expect(await decision.textContent()).toContain('Funded in full. Well done!');
    await lead.page
      .getByTestId('reviews')
      .getByText('All four helices are at the table.')
      .waitFor();
    await lead.page.getByTestId('proposal-status').filter({ hasText: 'Funded' }).waitFor();
    // Decided proposals are final: no more lifecycle buttons for the lead.
    expect(await lead.page.getByRole('button', { name: 'Submit the proposal' }).count()).toBe(0);
    await expectAccessible(lead.page, 'proposal (funded)');
    expect(proposalId).toMatch(/^[a-f0-9]{24}$/);

    // The lists: the lead finds the proposal among theirs, by status and by a word of its title.
    await lead.page.getByRole('navigation').getByRole('link', { name: 'Proposals' }).click();
    await lead.page.waitForURL('**/proposals');
    const listed = lead.page.getByRole('link', { name: 'Grey water gardens in Sfax' });
    await listed.waitFor();
    await lead.page.getByLabel('Status').selectOption('funded');
    await lead.page.waitForURL('**/proposals?status=funded');
    await listed.waitFor();
    await lead.page.getByLabel('Search by title').fill('desalination');
    await lead.page.getByRole('button', { name: 'Search', exact: true }).click();
    await lead.page.getByText('No proposals match.').waitFor();
    await lead.page.getByLabel('Search by title').fill('grey');
    await lead.page.getByRole('button', { name: 'Search', exact: true }).click();
    await listed.waitFor();
    await expectAccessible(lead.page, 'proposals list');
    // The facilitator's own calls.
    await fac.page.goto('/calls?filter=mine');
    await fac.page.getByRole('link', { name: callTitle }).waitFor();
    await expectAccessible(fac.page, 'calls (mine)');

    for (const member of [fac, lead, co, rev]) await member.close();
  }, 600_000);

  it('in Arabic the page mirrors and the editor text runs right to left, usable at 360 px', async () => {
    // A fresh draft in the same open call, so the document is writable.
    const lead = await signIn('lead', { width: 360 });
    const calls = await api<{ items: { id: string; title: string }[] }>(
      'GET',
      '/calls?status=open',
      undefined,
      tokens.lead,
    );
    const call = calls.items.find((c) => c.title.endsWith(stamp));
    expect(call, 'the call of the first test').toBeTruthy();
    const created = await api<{ id: string }>(
      'POST',
      `/calls/${call?.id}/proposals`,
      { title: 'حدائق المياه الرمادية', country: 'TN' },
      tokens.lead,
    );
    await lead.page.goto('/profile');
    await lead.page.getByRole('button', { name: 'Menu' }).waitFor();
    await lead.page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => lead.page.locator('html').getAttribute('dir')).toBe('rtl');
    // The spaces pages at 360 px in Arabic: none scrolls sideways (the proposal page comes last:
    // leaving a page with a live document is left to the context's close).
    for (const path of ['/calls', `/calls/${call?.id}`, '/proposals', '/reviews']) {
      await lead.page.goto(path);
      await lead.page.locator('main h1').first().waitFor();
      const wider = await lead.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(wider, `${path} at 360 px`).toBeLessThanOrEqual(0);
    }
    await lead.page.goto(`/proposals/${created.id}`);
    await waitEditable(lead.page);
    await typeInSection(lead.page, 'summary', 'حدائق تسقى بالمياه الرمادية المعالجة في صفاقس.');
    const paragraph = sectionParagraph(lead.page, 'summary');
    await expect.poll(() => paragraph.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    // A Latin paragraph in the same document keeps its own direction.
    await typeInSection(lead.page, 'problem', 'Droughts every summer.');
    expect(
      await sectionParagraph(lead.page, 'problem').evaluate((el) => getComputedStyle(el).direction),
    ).toBe('ltr');

    // 360 px: nothing scrolls sideways; the screenshot is kept for a person to look at.
    const overflow = await lead.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await lead.page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`360 px screenshot of the proposal page (Arabic): ${screenshotPath}`);
    await expectAccessible(lead.page, 'proposal (Arabic, 360 px)');
    await lead.close();
  }, 180_000);
});
