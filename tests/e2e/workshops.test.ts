import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAccessible, startE2eHub, type E2eHub } from './e2e-hub.js';

// A national workshop in real browsers: a facilitator creates it through the form with one place;
// Leila takes the place, Nikos finds it full and joins the waiting list; Leila cancels and Nikos's
// open page shows him promoted; the facilitator and Nikos co-edit the notes (the agenda is their
// skeleton, the editor is fetched only when the notes are opened); the facilitator marks Nikos and
// a person without an account present; the pages in Arabic at 360 px.

const password = 'olive groves by the sea at dusk';
const stamp = Date.now().toString(36);
const people = {
  admin: { displayName: 'Amira Admin', email: `ws-admin.${stamp}@example.org`, country: 'TN' },
  facilitator: {
    displayName: 'Fatima Benali',
    email: `ws-fatima.${stamp}@example.org`,
    country: 'TN',
  },
  leila: { displayName: 'Leila Haddad', email: `ws-leila.${stamp}@example.org`, country: 'TN' },
  nikos: { displayName: 'Nikos Papadakis', email: `ws-nikos.${stamp}@example.org`, country: 'PT' },
} as const;
type Who = keyof typeof people;
/** Nikos reads times in Lisbon, an hour behind Tunis in March. */
const zones: Record<Who, string> = {
  admin: 'Africa/Tunis',
  facilitator: 'Africa/Tunis',
  leila: 'Africa/Tunis',
  nikos: 'Europe/Lisbon',
};
const title = `Atelier Phoenix Sfax ${stamp}`;
/** A loaded machine answers late: polls wait this long before failing. */
const slow = { timeout: 20_000 };

let hub: E2eHub;
let workshopId = '';
let ids: Record<Who, string>;
let tokens: Record<Who, string>;

const api = <T>(method: string, path: string, body?: unknown, token?: string) =>
  hub.api<T>(method, path, body, token);

async function status(method: string, path: string, token: string): Promise<number> {
  const res = await fetch(`${hub.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  hub = await startE2eHub('workshops');
  ({ ids, tokens } = await hub.register(people, (who) => ({
    password,
    preferredLanguage: 'en',
    timeZone: zones[who],
  })));
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
}

async function signIn(who: Who, { width = 1280 } = {}): Promise<Member> {
  const context = await hub.browser.newContext({
    baseURL: hub.url,
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: zones[who],
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto('/login');
  await page
    .getByLabel('Email')
    .fill(people[who].email)
    .catch(async (err: unknown) => {
      const text = (await page.locator('body').innerText()).slice(0, 500);
      throw new Error(`no login form: ${text} ${pageErrors.join(' | ')}`, { cause: err });
    });
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await page.waitForURL((url) => url.pathname === '/');
  return { context, page };
}

const registrationStatus = (page: Page) =>
  page.getByTestId('registration-status').getAttribute('data-status');

/** Bytes of JavaScript the page has fetched so far (compressed, as they crossed the network). */
function scriptBytes(page: Page): Promise<{ bytes: number; files: number }> {
  return page.evaluate(() => {
    const scripts = performance
      .getEntriesByType('resource')
      .filter((e): e is PerformanceResourceTiming => /\.m?js(\?|$)/.test(e.name));
    return {
      bytes: scripts.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize), 0),
      files: scripts.length,
    };
  });
}

const editorOf = (page: Page) => page.getByTestId('editor-content');
/** The paragraph under an agenda step's heading in the notes. */
const stepParagraph = (page: Page, key: string) =>
  editorOf(page).locator(`h2[data-section="${key}"] + p`);
function textWithoutCarets(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
  return copy.textContent ?? '';
}

/** Editable, sync status and any notice of the open editor, for a failure's message. */
function editorState(page: Page): Promise<string> {
  return page.evaluate(() =>
    [
      document.querySelector('[data-testid="editor"]')?.getAttribute('data-editable'),
      document.querySelector('[data-testid="editor-status"]')?.getAttribute('data-status'),
      document.querySelector('[data-testid="editor-read-only"]')?.textContent,
      document.querySelector('[data-testid="editor-closed"]')?.getAttribute('data-reason'),
    ].join(', '),
  );
}

async function openNotes(page: Page): Promise<void> {
  await page.getByTestId('notes-open').click();
  await page
    .locator('[data-testid="editor"][data-editable="true"]')
    .waitFor({ timeout: 30_000 })
    .catch(async (err: unknown) => {
      throw new Error(`notes not editable: ${await editorState(page)}`, { cause: err });
    });
  await page.locator('[data-testid="editor-status"][data-status="saved"]').waitFor();
  await stepParagraph(page, 'welcome')
    .waitFor({ timeout: 30_000 })
    .catch(async (err: unknown) => {
      const html = await editorOf(page).innerHTML();
      throw new Error(
        `no agenda skeleton in the notes: ${html.slice(0, 500)} (${await editorState(page)})`,
        { cause: err },
      );
    });
}

/** Puts the caret at the end of a step's paragraph. */
async function caretInStep(page: Page, key: string): Promise<void> {
  await stepParagraph(page, key).click();
  await page.keyboard.press('End');
}

describe('a national workshop with a waiting list, shared notes and attendance, in real browsers', () => {
  it('registers, waitlists, promotes live, co-edits the notes and marks attendance', async () => {
    const facilitator = await signIn('facilitator');
    const leila = await signIn('leila');
    const nikos = await signIn('nikos');

    // The facilitator creates a one-place mixed workshop in Sfax through the form.
    await facilitator.page.goto('/workshops/new');
    const form = facilitator.page.getByTestId('workshop-form');
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill('La première journée du parcours Phoenix à Sfax.');
    await form.getByLabel('Country').selectOption('TN');
    await form.getByLabel('Language').selectOption('fr');
    await form.getByLabel('Format').selectOption('mixed');
    await form.getByLabel('Starts').fill('2027-03-10T10:00');
    await form.getByLabel('Ends').fill('2027-03-10T13:00');
    expect(await form.getByLabel('Time zone of the place').inputValue()).toBe('Africa/Tunis');
    await form.getByLabel('Places', { exact: true }).fill('1');
    await form.getByLabel('Place', { exact: true }).fill('Maison des associations, Sfax');
    await form.getByLabel('Online link').fill('https://meet.example.org/phoenix-sfax');
    await form.getByRole('button', { name: 'Create the workshop' }).click();
    await facilitator.page.waitForURL(/\/workshops\/[a-f0-9]{24}$/);
    workshopId = new URL(facilitator.page.url()).pathname.split('/').pop() ?? '';
    await expect.poll(() => registrationStatus(facilitator.page), slow).toBe('facilitating');
    await expect(
      facilitator.page.getByTestId('workshop-time-place').textContent(),
    ).resolves.toContain('10:00');

    // Leila takes the only place.
    await leila.page.goto(`/workshops/${workshopId}`);
    await expect.poll(() => registrationStatus(leila.page), slow).toBe('register');
    await leila.page.getByRole('button', { name: 'Register', exact: true }).click();
    await expect.poll(() => registrationStatus(leila.page), slow).toBe('registered');

    // Nikos, in Lisbon, sees the Tunis hours and his own, finds it full and joins the waiting list.
    await nikos.page.goto(`/workshops/${workshopId}`);
    await expect
      .poll(() => nikos.page.getByTestId('workshop-time-member').textContent(), slow)
      .toMatch(/\b0?9:00\b/);
    await expect.poll(() => registrationStatus(nikos.page), slow).toBe('join-waitlist');
    await nikos.page.getByRole('button', { name: 'Join the waiting list' }).click();
    await expect.poll(() => registrationStatus(nikos.page), slow).toBe('waitlisted');
    await expect(nikos.page.getByTestId('registration-status').textContent()).resolves.toContain(
      'number 1 on the waiting list',
    );

    // Leila cancels; Nikos's open page, untouched, shows him promoted.
    await leila.page.getByRole('button', { name: 'Cancel my registration' }).click();
    // Her page reloads on her own action: free (before the promotion ran) or full again (after).
    await expect
      .poll(() => registrationStatus(leila.page), slow)
      .toMatch(/^(register|join-waitlist)$/);
    await nikos.page.getByTestId('workshop-promoted').waitFor({ timeout: 20_000 });
    expect(await registrationStatus(nikos.page)).toBe('registered');
    await expect(nikos.page.getByTestId('workshop-places').textContent()).resolves.toContain(
      '1 of 1',
    );
    await leila.context.close();

    // The workshop page on a fresh load: how much JavaScript it costs before the notes are opened,
    // and that the editor only arrives when they are.
    await nikos.page.goto(`/workshops/${workshopId}`);
    await nikos.page.getByTestId('notes-open').waitFor();
    await nikos.page.waitForLoadState('networkidle');
    const before = await scriptBytes(nikos.page);
    await openNotes(nikos.page);
    const after = await scriptBytes(nikos.page);
    console.log(
      `workshop page JS: ${(before.bytes / 1024).toFixed(1)} KiB in ${before.files} files before the notes; ` +
        `opening the notes fetched ${((after.bytes - before.bytes) / 1024).toFixed(1)} KiB more in ${after.files - before.files} files`,
    );
    expect(after.files, 'the editor is its own lazily fetched chunk').toBeGreaterThan(before.files);
    expect(after.bytes - before.bytes).toBeGreaterThan(50 * 1024);

    // Facilitator and Nikos write in the notes at once and see each other's text.
    await facilitator.page.reload();
    await openNotes(facilitator.page);
    // Both carets are placed first: a click aimed while the other's text grows a paragraph above
    // lands a line lower, in the next step (seen in a loaded run). The typing is at once.
    await caretInStep(facilitator.page, 'welcome');
    await caretInStep(nikos.page, 'ashes');
    await Promise.all([
      facilitator.page.keyboard.type('Tour de table : douze personnes.', { delay: 15 }),
      nikos.page.keyboard.type('Les jeunes partent faute de travail.', { delay: 15 }),
    ]);
    // When one does not see the other's text, say what each editor holds and its state.
    const notesApart = async (err: unknown): Promise<never> => {
      const [mine, theirs] = await Promise.all(
        [facilitator.page, nikos.page].map((p) => editorOf(p).evaluate(textWithoutCarets)),
      );
      const states = await Promise.all([facilitator.page, nikos.page].map(editorState));
      throw new Error(
        `notes apart: facilitator «${mine}» / Nikos «${theirs}» states ${states.join(' / ')}`,
        { cause: err },
      );
    };
    await expect
      .poll(() => stepParagraph(nikos.page, 'welcome').evaluate(textWithoutCarets), {
        timeout: 20_000,
      })
      .toContain('Tour de table : douze personnes.')
      .catch(notesApart);
    await expect
      .poll(() => stepParagraph(facilitator.page, 'ashes').evaluate(textWithoutCarets), {
        timeout: 20_000,
      })
      .toContain('Les jeunes partent faute de travail.')
      .catch(notesApart);

    // Attendance is the facilitators' alone.
    expect(await nikos.page.getByTestId('attendance').count()).toBe(0);
    expect(await status('GET', `/workshops/${workshopId}/attendance`, tokens.nikos ?? '')).toBe(
      403,
    );
    const attendance = facilitator.page.getByTestId('attendance');
    await attendance.getByRole('button', { name: 'Mark Nikos Papadakis present' }).click();
    await attendance
      .getByRole('button', { name: 'Remove Nikos Papadakis from attendance' })
      .waitFor();
    await attendance.getByLabel('Name', { exact: true }).fill('Salma Trabelsi');
    await attendance.getByLabel('Organisation (optional)').fill('Association Femmes de Sfax');
    await attendance.getByLabel('Sector').selectOption('civil-society');
    await attendance.getByRole('button', { name: 'Add as present' }).click();
    await expect
      .poll(() => attendance.getByTestId('attendance-total').textContent(), slow)
      .toContain('Present: 2 (members: 1, without an account: 1)');
    await expect(attendance.getByTestId('attendance-guest').textContent()).resolves.toContain(
      'Salma Trabelsi',
    );
    await expect(
      attendance.locator('[data-sector="civil-society"] td').textContent(),
    ).resolves.toBe('1');
    // Others see counts only, never the names of people without an account.
    const seen = await api<{ attendance: { total: number; guests: number } | null }>(
      'GET',
      `/workshops/${workshopId}`,
      undefined,
      tokens.nikos,
    );
    expect(seen.attendance).toMatchObject({ total: 2, guests: 1 });
    expect(JSON.stringify(seen)).not.toContain('Salma');
    await expectAccessible(facilitator.page, 'workshop page (facilitator)');

    // Nikos's calendar lists the workshop; the feed address is there to copy.
    await nikos.page.goto('/calendar');
    await expect(nikos.page.getByTestId('calendar-entry').first().textContent()).resolves.toContain(
      title,
    );
    expect(await nikos.page.getByTestId('calendar-feed-url').inputValue()).toMatch(
      /\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/,
    );
    await expectAccessible(nikos.page, 'calendar');
    await facilitator.context.close();
    await nikos.context.close();
  }, 600_000);

  it('in Arabic the workshop, community and calendar pages mirror and fit 360 px', async () => {
    expect(workshopId, 'the workshop of the first test').toMatch(/^[a-f0-9]{24}$/);
    const leila = await signIn('leila', { width: 360 });
    await leila.page.locator('#language-switcher').selectOption('ar');
    await expect.poll(() => leila.page.locator('html').getAttribute('dir'), slow).toBe('rtl');
    const workshop = await api<{ communityId: string }>(
      'GET',
      `/workshops/${workshopId}`,
      undefined,
      tokens.leila,
    );
    for (const path of [
      '/workshops',
      '/community',
      `/community/${workshop.communityId}`,
      '/calendar',
      `/workshops/${workshopId}`,
    ]) {
      await leila.page.goto(path);
      await leila.page.locator('main h1').first().waitFor();
      const wider = await leila.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(wider, `${path} at 360 px`).toBeLessThanOrEqual(0);
      if (path.startsWith('/community/')) await expectAccessible(leila.page, `${path} (Arabic)`);
    }
    // The registration box speaks Arabic and the workshop's own French title keeps its direction.
    await expect
      .poll(() => leila.page.getByTestId('registration').textContent(), slow)
      .toContain('المقاعد المحجوزة');
    expect(
      await leila.page.locator('main h1').evaluate((el) => getComputedStyle(el).direction),
    ).toBe('ltr');
    await expectAccessible(leila.page, 'workshop page (Arabic, 360 px)');
    await leila.context.close();
  }, 180_000);
});
