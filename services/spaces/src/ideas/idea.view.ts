import type { IdeaView } from '@agora/proto';
import { hex } from '../common/object-id.js';
import type { IdeaDoc } from './idea.schema.js';

/** An idea as the contract shows it to one member. */
export function toIdeaView(d: IdeaDoc, supportedByMe: boolean, canEdit: boolean): IdeaView {
  return {
    id: hex(d._id),
    title: d.title,
    summary: d.summary,
    status: d.status,
    country: d.country,
    sector: (d.sector as IdeaView['sector']) ?? null,
    sessionId: hex(d.sessionId),
    pitchIndex: d.pitchIndex,
    proposalId: d.proposalId ? hex(d.proposalId) : null,
    leaderId: hex(d.leaderId),
    areas: [...d.areas].sort(),
    lessons: d.lessons
      ? { whatWorked: d.lessons.whatWorked, whatFailed: d.lessons.whatFailed, why: d.lessons.why }
      : null,
    lessonsUpdatedAt: d.lessonsUpdatedAt ? d.lessonsUpdatedAt.toISOString() : null,
    supportCount: d.supportCount,
    sessionDots: d.sessionDots,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    supportedByMe,
    canEdit,
  };
}
