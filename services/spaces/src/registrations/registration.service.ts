import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import type { MyRegistration, RegistrationStatus, RpcResponse, workshopRpc } from '@agora/proto';
import { viewerOf } from '../access/viewer.js';
import { hex, oid } from '../common/object-id.js';
import { WorkshopContextLoader, rosterOf } from '../workshops/workshop-context.js';
import { rosterEvents, rosterSet } from '../workshops/workshop-events.js';
import { canManageWorkshop } from '../workshops/workshop-rights.js';
import { closesAt } from '../workshops/workshop.view.js';
import { WorkshopWriter } from '../workshops/workshop-writer.js';
import { cancel, register } from './roster.js';

/**
 * Members register themselves: a place while one is free, else the waiting list. A cancellation
 * hands the place to the first in line in the same write (and tells them: `registration.promoted`).
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly contexts: WorkshopContextLoader,
    private readonly writer: WorkshopWriter,
    private readonly clock: Clock,
  ) {}

  async register(actor: VerifiedActor, id: string): Promise<RegistrationStatus> {
    await this.contexts.visible(viewerOf(actor), id);
    const me = actor.memberId;
    const { result } = await this.writer.change(id, (doc, now) => {
      const w = doc.workshop;
      if (w.stage !== 'published')
        throw new RpcFailure('INVALID_STATE', 'this workshop is not open for registration yet');
      if (now.getTime() >= closesAt(w).getTime())
        throw new RpcFailure('INVALID_STATE', 'registration for this workshop is closed');
      const outcome = register(rosterOf(w), me);
      if (outcome.kind === 'already')
        throw new RpcFailure(
          'CONFLICT',
          outcome.role === 'facilitator'
            ? 'you facilitate this workshop'
            : outcome.role === 'participant'
              ? 'you are already registered'
              : 'you are already on the waiting list',
        );
      const status: RegistrationStatus =
        outcome.kind === 'registered'
          ? { status: 'registered' }
          : { status: 'waitlisted', position: outcome.position };
      return {
        set: rosterSet(outcome.roster, oid),
        events: rosterEvents(me, hex(doc._id), [me], outcome.roster),
        result: status,
      };
    });
    return result;
  }

  async cancel(actor: VerifiedActor, id: string): Promise<{ ok: true }> {
    await this.contexts.visible(viewerOf(actor), id);
    const me = actor.memberId;
    await this.writer.change(id, (doc, now) => {
      const w = doc.workshop;
      const refill = w.stage === 'published' && now.getTime() < w.startsAt.getTime();
      const change = cancel(rosterOf(w), me, refill);
      if (!change) throw new RpcFailure('NOT_FOUND', 'you are not registered for this workshop');
      return {
        set: rosterSet(change.roster, oid),
        events: rosterEvents(
          me,
          hex(doc._id),
          [me, ...change.promoted],
          change.roster,
          change.promoted,
        ),
        result: null,
      };
    });
    return { ok: true };
  }

  async mine(actor: VerifiedActor, id: string): Promise<MyRegistration> {
    const ctx = await this.contexts.visible(viewerOf(actor), id);
    if (ctx.rosterRole === 'participant') return { status: 'registered' };
    const position = ctx.roster.waitlist.indexOf(actor.memberId) + 1;
    return position > 0 ? { status: 'waitlisted', position } : { status: 'none' };
  }

  async roster(
    actor: VerifiedActor,
    id: string,
  ): Promise<RpcResponse<typeof workshopRpc.rosterGet>> {
    const viewer = viewerOf(actor);
    const ctx = await this.contexts.visible(viewer, id);
    if (!canManageWorkshop(viewer, ctx.rosterRole))
      throw new RpcFailure('FORBIDDEN', 'only its facilitators see who registered');
    return {
      facilitators: [...ctx.roster.facilitators],
      registered: [...ctx.roster.registered],
      waitlist: [...ctx.roster.waitlist],
    };
  }
}
