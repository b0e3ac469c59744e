import { Inject, Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import type { CalendarEntry, RpcResponse, calendarRpc } from '@agora/proto';
import { viewerOf } from '../access/viewer.js';
import { hex, oid } from '../common/object-id.js';
import { SPACES_CONFIG, type SpacesConfig } from '../common/spaces-config.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import {
  WorkshopContextLoader,
  isWorkshop,
  type WorkshopDoc,
} from '../workshops/workshop-context.js';
import { CalendarFeedRepository } from './calendar-feed.repository.js';
import { buildCalendar, type IcsEvent } from './ics.js';

/** A Market Place session's fields the calendar reads (written by the sessions feature). */
interface SessionTimes {
  startsAt?: Date;
  timeZone?: string;
  place?: string | null;
  link?: string | null;
  description?: string;
  closed?: boolean;
}
type SessionDoc = SpaceDoc & { session?: SessionTimes };

/** A session has a start and no set end: calendars show it this long. */
const SESSION_MS = 2 * 3_600_000;
const FEED_LIMIT = 500;

interface Entry {
  entry: CalendarEntry;
  ics: IcsEvent;
}

/**
 * The member's calendar: the workshops they run or hold a place in (not those they wait for) and
 * the Market Place sessions they are a member of, as a list and as a private iCalendar feed.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly feeds: CalendarFeedRepository,
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly contexts: WorkshopContextLoader,
    private readonly clock: Clock,
    @Inject(SPACES_CONFIG) private readonly config: SpacesConfig,
  ) {}

  async info(actor: VerifiedActor): Promise<RpcResponse<typeof calendarRpc.calendarInfo>> {
    return this.described(await this.feeds.tokenOf(actor.memberId, this.clock.now()));
  }

  async reset(actor: VerifiedActor): Promise<RpcResponse<typeof calendarRpc.calendarReset>> {
    return this.described(await this.feeds.reset(actor.memberId, this.clock.now()));
  }

  async entries(
    actor: VerifiedActor,
    from: string | undefined,
    limit: number,
  ): Promise<RpcResponse<typeof calendarRpc.calendarEntries>> {
    const since = from ? new Date(from) : this.clock.now();
    const all = await this.entriesOf(actor.memberId, since);
    return { items: all.slice(0, limit).map((e) => e.entry) };
  }

  /** The feed of the token's member; NOT_FOUND for a token never issued or replaced by a reset. */
  async feed(token: string): Promise<RpcResponse<typeof calendarRpc.calendarFeed>> {
    const memberId = await this.feeds.memberOf(token);
    if (!memberId) throw new RpcFailure('NOT_FOUND', 'no such calendar');
    // Past events stay a while so a calendar app does not drop this month's at once.
    const since = new Date(this.clock.now().getTime() - 90 * 86_400_000);
    const all = await this.entriesOf(memberId, since);
    return {
      ics: buildCalendar(
        'Agora',
        all.slice(0, FEED_LIMIT).map((e) => e.ics),
        this.clock.now(),
      ),
      filename: 'agora.ics',
    };
  }

  /** One workshop as a calendar file, for whoever may see it ("add to calendar"). */
  async workshopIcs(
    actor: VerifiedActor,
    id: string,
  ): Promise<RpcResponse<typeof calendarRpc.calendarFeed>> {
    const ctx = await this.contexts.visible(viewerOf(actor), id);
    const insider = ctx.rosterRole === 'facilitator' || ctx.rosterRole === 'participant';
    const { ics } = this.workshopEntry(ctx.doc, ctx.rosterRole ?? 'viewer', insider);
    return {
      ics: buildCalendar(ctx.doc.title, [ics], this.clock.now()),
      filename: `workshop-${id}.ics`,
    };
  }

  private described(token: string) {
    return { token, feedUrl: `${this.config.PUBLIC_URL}/api/calendar/${token}.ics` };
  }

  private async entriesOf(memberId: string, since: Date): Promise<Entry[]> {
    const me = oid(memberId);
    const [running, holding, sessions] = await Promise.all([
      this.spaces.page(
        {
          'workshop.facilitators': me,
          'workshop.stage': 'published',
          'workshop.endsAt': { $gt: since },
        },
        { 'workshop.startsAt': 1 },
        0,
        FEED_LIMIT,
      ),
      this.spaces.page(
        { 'workshop.registered': me, 'workshop.endsAt': { $gt: since } },
        { 'workshop.startsAt': 1 },
        0,
        FEED_LIMIT,
      ),
      this.sessionsOf(memberId),
    ]);
    const out: Entry[] = [
      ...running.items.filter(isWorkshop).map((d) => this.workshopEntry(d, 'facilitator', true)),
      ...holding.items.filter(isWorkshop).map((d) => this.workshopEntry(d, 'participant', true)),
      ...sessions.flatMap((s) => {
        const e = this.sessionEntry(s.doc, s.role);
        return e && e.ics.end.getTime() > since.getTime() ? [e] : [];
      }),
    ];
    return out.sort((a, b) => a.ics.start.getTime() - b.ics.start.getTime());
  }

  private async sessionsOf(memberId: string): Promise<{ doc: SessionDoc; role: string }[]> {
    const memberships = await this.memberships.spacesOf(memberId, 'session');
    if (memberships.length === 0) return [];
    const docs = await this.spaces.findByIds(memberships.map((m) => m.spaceId));
    const roleOf = new Map(memberships.map((m) => [m.spaceId, m.role]));
    return docs.map((doc) => ({
      doc,
      role: roleOf.get(hex(doc._id)) ?? 'participant',
    }));
  }

  private workshopEntry(doc: WorkshopDoc, role: string, insider: boolean): Entry {
    const w = doc.workshop;
    const id = hex(doc._id);
    const url = `${this.config.PUBLIC_URL}/workshops/${id}`;
    const link = insider ? w.link : '';
    const location = [w.place, link].filter((s) => s.length > 0).join(' — ');
    return {
      entry: {
        kind: 'workshop',
        id,
        title: doc.title,
        startsAt: w.startsAt.toISOString(),
        endsAt: w.endsAt.toISOString(),
        timeZone: w.timeZone,
        role,
        place: w.place,
      },
      ics: {
        uid: `workshop-${id}@agora`,
        sequence: w.sequence,
        start: w.startsAt,
        end: w.endsAt,
        timeZone: w.timeZone,
        summary: doc.title,
        description: [w.description, link].filter((s) => s.length > 0).join('\n\n'),
        location,
        url,
        updatedAt: doc.updatedAt,
      },
    };
  }

  private sessionEntry(doc: SessionDoc, role: string): Entry | null {
    const s = doc.session;
    if (doc.kind !== 'session' || !s?.startsAt || !s.timeZone) return null;
    const id = hex(doc._id);
    const end = new Date(s.startsAt.getTime() + SESSION_MS);
    const place = s.place ?? '';
    const location = [place, s.link ?? ''].filter((x) => x.length > 0).join(' — ');
    return {
      entry: {
        kind: 'session',
        id,
        title: doc.title,
        startsAt: s.startsAt.toISOString(),
        endsAt: end.toISOString(),
        timeZone: s.timeZone,
        role,
        place,
      },
      ics: {
        uid: `session-${id}@agora`,
        // Sessions keep no sequence of their own: their revision only ever grows.
        sequence: doc.rev,
        start: s.startsAt,
        end,
        timeZone: s.timeZone,
        summary: doc.title,
        description: s.description ?? '',
        location,
        url: `${this.config.PUBLIC_URL}/market-place/${id}`,
        updatedAt: doc.updatedAt,
      },
    };
  }
}
