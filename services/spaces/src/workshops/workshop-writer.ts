import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type PendingEvent } from '@agora/platform';
import { SpaceRepository } from '../spaces/space.repository.js';
import { isWorkshop, type WorkshopDoc } from './workshop-context.js';

export interface WorkshopWrite<R> {
  /** `$set` paths; empty with no events: nothing to write, `result` is answered as it is. */
  set: Record<string, unknown>;
  events: PendingEvent[];
  result: R;
}

const ATTEMPTS = 80;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Read, decide, write back only if the workshop is still the one read (`rev`): every change of a
 * workshop — a registration for the last place among twenty, a cancellation promoting the first in
 * line, a capacity raised at the same moment — sees the whole roster and lands whole or not at all.
 */
@Injectable()
export class WorkshopWriter {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly clock: Clock,
  ) {}

  async change<R>(
    id: string,
    decide: (doc: WorkshopDoc, now: Date) => WorkshopWrite<R>,
  ): Promise<{ doc: WorkshopDoc; result: R }> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const doc = await this.spaces.findById(id);
      if (!isWorkshop(doc)) throw new RpcFailure('NOT_FOUND', 'no such workshop');
      const now = this.clock.now();
      const plan = decide(doc, now);
      if (Object.keys(plan.set).length === 0 && plan.events.length === 0)
        return { doc, result: plan.result };
      const updated = await this.spaces.update(
        id,
        { rev: doc.rev },
        { $set: plan.set },
        plan.events,
        now,
      );
      if (isWorkshop(updated)) return { doc: updated, result: plan.result };
      // Someone changed it first: back off a little (more with each clash) and decide again.
      await sleep(Math.random() * Math.min(40, 2 + attempt * 2));
    }
    throw new RpcFailure('CONFLICT', 'this workshop is changing too fast: retry');
  }
}
