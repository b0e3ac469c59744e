import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type PendingEvent } from '@agora/platform';
import { SpaceRepository } from '../spaces/space.repository.js';
import { isWorkshop, type WorkshopDoc } from './workshop-context.js';

export interface WorkshopWrite<R> {
  /** `$set` paths (`title` or `workshop.<field>`); empty with no events: nothing to write. */
  set: Record<string, unknown>;
  events: PendingEvent[];
  result: R;
}

type Decide<R> = (doc: WorkshopDoc, now: Date) => WorkshopWrite<R>;

interface Waiting {
  decide: Decide<unknown>;
  resolve: (v: { doc: WorkshopDoc; result: unknown }) => void;
  reject: (err: unknown) => void;
}

const ATTEMPTS = 80;
/** Changes decided together in one write, at most. */
const BATCH = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The workshop as a decision left it, for the next decision of the same batch. */
function applied(doc: WorkshopDoc, set: Record<string, unknown>): WorkshopDoc {
  const next = { ...doc, workshop: { ...doc.workshop } } as WorkshopDoc;
  for (const [path, value] of Object.entries(set)) {
    if (path.startsWith('workshop.'))
      (next.workshop as unknown as Record<string, unknown>)[path.slice('workshop.'.length)] = value;
    else (next as unknown as Record<string, unknown>)[path] = value;
  }
  return next;
}

/**
 * Read, decide, write back only if the workshop is still the one read (`rev`): every change of a
 * workshop — a registration for the last place among twenty, a cancellation promoting the first in
 * line, a capacity raised at the same moment — sees the whole roster and lands whole or not at all.
 * Within one process the changes of a workshop wait in line, and those that arrived together are
 * decided one after the other over the same read and written in one conditional write: a hundred
 * members registering at once cost a few writes, not thousands of clashing retries (replicas still
 * clash with each other, and `rev` keeps that correct).
 */
@Injectable()
export class WorkshopWriter {
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly spaces: SpaceRepository,
    private readonly clock: Clock,
  ) {}

  change<R>(id: string, decide: Decide<R>): Promise<{ doc: WorkshopDoc; result: R }> {
    return new Promise((resolve, reject) => {
      const line = this.waiting.get(id);
      const entry: Waiting = {
        decide,
        resolve: resolve as Waiting['resolve'],
        reject,
      };
      if (line) {
        line.push(entry);
        return;
      }
      this.waiting.set(id, [entry]);
      void this.drain(id);
    });
  }

  /** Writes the line of one workshop batch by batch until it is empty. */
  private async drain(id: string): Promise<void> {
    for (;;) {
      const line = this.waiting.get(id) ?? [];
      if (line.length === 0) {
        this.waiting.delete(id);
        return;
      }
      const batch = line.splice(0, BATCH);
      try {
        await this.write(id, batch);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }

  private async write(id: string, batch: Waiting[]): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const doc = await this.spaces.findById(id);
      if (!isWorkshop(doc)) throw new RpcFailure('NOT_FOUND', 'no such workshop');
      const now = this.clock.now();
      let current = doc;
      const set: Record<string, unknown> = {};
      const events: PendingEvent[] = [];
      const outcomes: ({ ok: true; result: unknown } | { ok: false; err: unknown })[] = [];
      for (const w of batch) {
        try {
          const plan = w.decide(current, now);
          current = applied(current, plan.set);
          Object.assign(set, plan.set);
          events.push(...plan.events);
          outcomes.push({ ok: true, result: plan.result });
        } catch (err) {
          // A refusal is its caller's alone; the others' changes still go in.
          outcomes.push({ ok: false, err });
        }
      }
      const written =
        Object.keys(set).length === 0 && events.length === 0
          ? doc
          : await this.spaces.update(id, { rev: doc.rev }, { $set: set }, events, now);
      if (isWorkshop(written)) {
        batch.forEach((w, i) => {
          const o = outcomes[i];
          if (o?.ok) w.resolve({ doc: written, result: o.result });
          else w.reject(o?.err);
        });
        return;
      }
      // Another replica changed it first: back off a little (more with each clash), decide again.
      await sleep(Math.random() * Math.min(40, 2 + attempt * 2));
    }
    throw new RpcFailure('CONFLICT', 'this workshop is changing too fast: retry');
  }
}
