import { refreshCookieName, refreshCookiePath } from '@agora/proto';
import type { Request, Response } from 'express';

/** Reads one cookie from the Cookie header (no signing: the value is an opaque random token). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function refreshTokenOf(req: Request): string | undefined {
  const token = readCookie(req.get('cookie'), refreshCookieName);
  return token && token.length <= 512 ? token : undefined;
}

/** httpOnly, SameSite=Strict, scoped to /api/auth, living as long as the refresh token. */
export function setRefreshCookie(
  res: Response,
  token: string,
  expiresAt: Date,
  secure: boolean,
  now = Date.now(),
): void {
  res.cookie(refreshCookieName, token, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: refreshCookiePath,
    maxAge: Math.max(0, expiresAt.getTime() - now),
  });
}

export function clearRefreshCookie(res: Response, secure: boolean): void {
  res.clearCookie(refreshCookieName, {
    httpOnly: true,
    secure,
    sameSite: 'strict',
    path: refreshCookiePath,
  });
}
