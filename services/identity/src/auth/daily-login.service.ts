import { Injectable } from '@nestjs/common';
import { identityEvents } from '@agora/proto';
import { Clock, pendingEvent } from '@agora/platform';
import type { MemberRecord } from '../members/member.types.js';
import { calendarDay, usableTimeZone } from './calendar-day.js';
import { DailyLoginRepository } from './daily-login.repository.js';

/** The first sign-in or refresh of a calendar day, in the member's time zone, is recorded once. */
@Injectable()
export class DailyLogins {
  constructor(
    private readonly days: DailyLoginRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * `requestTimeZone` (what the browser reports now) wins over the profile's zone, so a member
   * travelling gets their local day. Returns the day and whether it was new.
   */
  async record(
    member: MemberRecord,
    requestTimeZone?: string,
  ): Promise<{ day: string; recorded: boolean }> {
    const now = this.clock.now();
    const timeZone = usableTimeZone(requestTimeZone ?? member.timeZone);
    const day = calendarDay(now, timeZone);
    const event = pendingEvent(identityEvents.dailyLoginRecorded, member.id, member.id, {
      memberId: member.id,
      day,
      timeZone,
    });
    const recorded = await this.days.record(member.id, day, timeZone, now, event);
    return { day, recorded };
  }
}
