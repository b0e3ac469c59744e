import type { CallStatus, CallView, SpaceRole } from '@agora/proto';
import { hex } from '../common/object-id.js';
import type { SpaceDoc } from '../spaces/space.schema.js';

/** A call's status, from its stage and deadline against the server's clock (never a client's). */
export function callStatus(doc: Pick<SpaceDoc, 'stage' | 'deadline'>, now: Date): CallStatus {
  if (doc.stage !== 'published') return 'draft';
  return (doc.deadline?.getTime() ?? 0) > now.getTime() ? 'open' : 'closed';
}

export function toCallView(
  doc: SpaceDoc,
  now: Date,
  myRole: SpaceRole | null,
  canManage: boolean,
): CallView {
  return {
    id: hex(doc._id),
    kind: 'call',
    title: doc.title,
    description: doc.description ?? '',
    status: callStatus(doc, now),
    deadline: (doc.deadline ?? new Date(0)).toISOString(),
    timeZone: doc.timeZone ?? 'UTC',
    totalBudget: doc.totalBudget ?? 0,
    maxPerProject: doc.maxPerProject ?? 0,
    currency: doc.currency ?? 'EUR',
    eligibleCountries: doc.eligibleCountries ?? [],
    criteria: (doc.criteria ?? []).map((c) => ({ key: c.key, title: c.title, weight: c.weight })),
    sections: (doc.sections ?? []).map((s) => ({ key: s.key, heading: s.heading })),
    visibility: doc.visibility,
    createdBy: hex(doc.createdBy),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    publishedAt: doc.publishedAt ? doc.publishedAt.toISOString() : null,
    myRole,
    canManage,
  };
}
