import { Injectable } from '@nestjs/common';
import { RpcFailure, type VerifiedActor } from '@agora/platform';
import { docName, type DocName, type SpaceSummary } from '@agora/proto';
import { AccessService } from '../access/access.service.js';
import { hex } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';

function docNameOf(doc: SpaceDoc): DocName | undefined {
  const id = hex(doc._id);
  if (doc.kind === 'proposal') return docName('proposal', id);
  if (doc.kind === 'session') return docName('board', id);
  if (doc.kind === 'workshop' || doc.kind === 'community') return docName('notes', id);
  return undefined;
}

/**
 * `GET /api/spaces/{id}` for every kind: whoever may follow the space's room may see this much of
 * it (the same rule `room.access` applies, kind by kind); its chat channel is its own id.
 */
@Injectable()
export class SpaceSummaryService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
  ) {}

  async get(actor: VerifiedActor, id: string): Promise<SpaceSummary> {
    const doc = await this.spaces.findById(id);
    if (!doc) throw new RpcFailure('NOT_FOUND', 'no such space');
    const room = await this.access.roomAccess(actor.memberId, id);
    if (!room.allowed && actor.role !== 'admin') throw new RpcFailure('NOT_FOUND', 'no such space');
    const role = (await this.memberships.find(id, actor.memberId))?.role ?? null;
    const name = docNameOf(doc);
    return {
      id,
      kind: doc.kind,
      title: doc.title,
      visibility: doc.visibility,
      parentId: doc.parentId ? hex(doc.parentId) : null,
      myRole: role,
      channelId: id,
      ...(name ? { docName: name } : {}),
    };
  }
}
