import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { startHub } from '@agora/launcher';
import { launchChromium, seriousA11yViolations } from './browser.js';

/** What every e2e suite starts with: the whole hub on a free port, and chromium. */
export interface E2eHub {
  url: string;
  browser: Browser;
  /** A JSON call to `/api<path>`; throws with the status and body on anything but 2xx. */
  api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  /**
   * Registers people through the API in the order given (the first becomes the admin), each with
   * `extra` fields (the password, a language, a time zone), the same for all or per person.
   */
  register<W extends string>(
    people: Readonly<Record<W, Readonly<Record<string, string>>>>,
    extra: Readonly<Record<string, string>> | ((who: W) => Readonly<Record<string, string>>),
  ): Promise<{ ids: Record<W, string>; tokens: Record<W, string> }>;
  stop(): Promise<void>;
}

/** Starts a hub in a fresh data directory named after the suite, and a browser beside it. */
export async function startE2eHub(
  suite: string,
  env: Record<string, string> = {},
): Promise<E2eHub> {
  // Chromium first: it is the quicker to fail (not installed), and then no hub was started for
  // nothing. A hub whose start fails stops what it started; one started before a later failure is
  // stopped here, so a failed setup leaves no nats-server or service running.
  const browser = await launchChromium();
  const dataDir = await mkdtemp(join(tmpdir(), `agora-e2e-${suite}-`));
  const hub = await startHub({
    port: 0,
    dataDir,
    env,
    quiet: process.env.E2E_LOGS !== '1',
  }).catch(async (err: unknown) => {
    await browser.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  const api = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${hub.url}/api${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url: hub.url,
    browser,
    api,
    async register(people, extra) {
      const ids = {} as Record<keyof typeof people, string>;
      const tokens = {} as Record<keyof typeof people, string>;
      for (const who of Object.keys(people) as Array<keyof typeof people>) {
        const auth = await api<{ accessToken: string; user: { id: string } }>(
          'POST',
          '/auth/register',
          { ...people[who], ...(typeof extra === 'function' ? extra(who) : extra) },
        );
        ids[who] = auth.user.id;
        tokens[who] = auth.accessToken;
      }
      return { ids, tokens };
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await hub.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a page in through the login form and waits for the home page. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** No serious or critical axe violation on the page; the message lists any found. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Cuts a context's WebSockets matching a path and keeps new ones out, or lets them back. */
export interface SocketSwitch {
  setOffline(offline: boolean): Promise<void>;
  /** Closes the routed sockets cleanly: closing a context under them resets them mid-read. */
  close(): Promise<void>;
}

/**
 * Routes the context's WebSockets matching `pattern` through the test, so going offline really
 * closes them (Playwright's setOffline alone leaves open sockets up). A routed socket is owned by
 * the test process: route only the sockets a test needs to cut.
 */
export async function socketSwitch(
  context: BrowserContext,
  pattern: RegExp,
): Promise<SocketSwitch> {
  let offline = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await context.routeWebSocket(pattern, (ws) => {
    if (offline) {
      void ws.close({ code: 1001, reason: 'offline' }).catch(() => undefined);
      return;
    }
    const pair = { page: ws, server: ws.connectToServer() };
    open.add(pair);
    // With a handler here the page's close is no longer forwarded: forward it ourselves.
    ws.onClose((code, reason) => {
      open.delete(pair);
      void pair.server.close({ code, reason }).catch(() => undefined);
    });
  });
  const cut = async (reason: string) => {
    const pairs = [...open];
    open.clear();
    await Promise.all(
      pairs.flatMap(({ page, server }) => [
        page.close({ code: 1001, reason }).catch(() => undefined),
        server.close({ code: 1001, reason }).catch(() => undefined),
      ]),
    );
  };
  return {
    async setOffline(value) {
      offline = value;
      await context.setOffline(value);
      if (value) await cut('offline');
    },
    async close() {
      offline = true;
      await cut('leaving');
    },
  };
}
