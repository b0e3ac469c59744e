import { docName, type BoardArea, type SessionView, type SpaceRole } from '@agora/proto';
import { hex } from '../common/object-id.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import type { SessionFields } from './session-fields.schema.js';

export interface SessionViewer {
  role: SpaceRole | null;
  area: BoardArea | null;
  dotsLeft: number | null;
  canFacilitate: boolean;
  streamEmbed: boolean;
  /** The server's clock now (the answer's `serverNow`). */
  now: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A session space as the contract shows it to one viewer. */
export function toSessionView(space: SpaceDoc, s: SessionFields, v: SessionViewer): SessionView {
  const id = hex(space._id);
  return {
    id,
    kind: 'session',
    title: space.title,
    description: s.description,
    startsAt: s.startsAt.toISOString(),
    timeZone: s.timeZone,
    format: s.format,
    place: s.place,
    link: s.link,
    streamUrl: s.streamUrl,
    streamEmbed: v.streamEmbed,
    visibility: space.visibility,
    docName: docName('board', id),
    phase: s.phase,
    pitchIndex: s.pitchIndex,
    endsAt: iso(s.endsAt),
    startedAt: iso(s.startedAt),
    voteEndedAt: iso(s.voteEndedAt),
    closedAt: iso(s.closedAt),
    dotsBudget: s.dotsBudget,
    board: {
      locked: s.board.locked,
      hideAuthors: s.board.hideAuthors,
      spotlightCardId: s.board.spotlightCardId,
    },
    pitches: s.pitches.map((p) => ({
      index: p.index,
      title: p.title,
      summary: p.summary,
      proposalId: p.proposalId ? hex(p.proposalId) : null,
      leaderId: hex(p.leaderId),
      ideaId: hex(p.ideaId),
    })),
    createdBy: hex(space.createdBy),
    createdAt: space.createdAt.toISOString(),
    updatedAt: space.updatedAt.toISOString(),
    myRole: v.role === null ? null : (v.role as SessionView['myRole']),
    myArea: v.area,
    myDotsLeft: v.dotsLeft,
    canFacilitate: v.canFacilitate,
    serverNow: v.now.toISOString(),
  };
}
