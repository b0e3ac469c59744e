import { Injectable } from '@nestjs/common';
import {
  identityEvents,
  type PrivateMember,
  type ProfilePatch,
  type PublicMember,
} from '@agora/proto';
import { RpcFailure, pendingEvent } from '@agora/platform';
import { MemberAccess } from './member-access.service.js';
import { MemberRepository } from './member.repository.js';
import { MemberUpdates } from './member-updates.service.js';
import type { MemberRecord, ProfileValues } from './member.types.js';
import { hideableProfileFields } from '@agora/proto';
import { publicFieldsOf } from '../people/directory-keys.js';
import { toMemberSeenBy, toPrivateMember } from './member.view.js';

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** Lists are sets to the member: drop repeats, keep their order. */
function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The fields of `patch` whose values differ from `current`, normalised. */
export function changedProfileFields(
  current: MemberRecord,
  patch: ProfilePatch,
): Partial<ProfileValues> {
  const wanted: Partial<ProfileValues> = { ...patch };
  if (patch.languages) wanted.languages = dedupe(patch.languages);
  if (patch.expertise) wanted.expertise = dedupe(patch.expertise);
  // A set too, kept in one canonical order so the same choice never counts as a change.
  if (patch.publicFields) {
    const chosen = new Set(patch.publicFields);
    wanted.publicFields = hideableProfileFields.filter((f) => chosen.has(f));
  }
  const now: ProfileValues = { ...current, publicFields: publicFieldsOf(current) };
  const changed: Partial<ProfileValues> = {};
  for (const key of Object.keys(wanted) as (keyof ProfileValues)[]) {
    if (!sameValue(wanted[key], now[key])) (changed as Record<string, unknown>)[key] = wanted[key];
  }
  return changed;
}

@Injectable()
export class ProfileService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
  ) {}

  async me(actorId: string): Promise<PrivateMember> {
    return toPrivateMember(await this.access.requireActive(actorId));
  }

  /** Changes the caller's profile; `profile.updated` names the fields that really changed. */
  async update(actorId: string, patch: ProfilePatch): Promise<PrivateMember> {
    await this.access.requireActive(actorId);
    const saved = await this.updates.apply(actorId, (current) => {
      const changed = changedProfileFields(current, patch);
      const fields = Object.keys(changed);
      if (fields.length === 0) return null;
      return {
        changes: changed,
        events: [
          pendingEvent(identityEvents.profileUpdated, actorId, actorId, {
            memberId: actorId,
            fields,
          }),
        ],
      };
    });
    return toPrivateMember(saved);
  }

  /**
   * Another member's profile card, with only the fields they show (everything for themselves and
   * admins); suspended and deleted accounts are gone.
   */
  async member(actorId: string, memberId: string): Promise<PublicMember> {
    const actor = await this.access.requireActive(actorId);
    const target = await this.members.findById(memberId);
    if (!target || target.status !== 'active')
      throw new RpcFailure('NOT_FOUND', 'member not found');
    return toMemberSeenBy(
      target,
      actor.id === target.id || actor.role === 'admin' ? 'full' : 'member',
    );
  }
}
