import type { Response } from 'express';

/**
 * Sends an iCalendar document. `private, no-store`: a feed or an event file names who attends
 * what, so no shared cache keeps it; `inline` lets a calendar app or browser open it directly.
 */
export function sendIcs(res: Response, ics: string, filename: string): void {
  res.status(200).type('text/calendar; charset=utf-8');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Disposition', `inline; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  res.end(ics);
}
