import {
  createLogger,
  type AccessChange,
  type AccessView,
  type NatsService,
} from '@agora/platform';
import { collabCloseCodes, serviceRoles, type DocRight } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import type { CollabConnection } from '../sync/collab-connection.js';
import type { CollabSocketServer } from '../sync/collab-socket.server.js';
import { ConnectionIndex } from '../sync/connection-index.js';
import { AccessWatcher } from './access-watcher.js';
import type { DocAccess } from './doc-access.service.js';
import { recheckEvents } from './recheck-plan.js';

const hex = (c: string) => c.repeat(24);
const space1 = hex('1');
const space2 = hex('2');

/** What the watcher touches of a connection: its identity, right and close. */
class FakeConnection {
  closed = false;
  closedWith: number | null = null;
  rights: string[] = [];
  constructor(
    readonly memberId: string,
    readonly docName: string,
    readonly sessionId: string | undefined = undefined,
  ) {}
  changeRight(right: 'write' | 'comment' | 'read'): void {
    this.rights.push(right);
  }
  reason: string | null = null;
  close(code: number, reason?: string): void {
    this.closed = true;
    this.closedWith = code;
    this.reason = reason ?? null;
  }
}

/** spaces' answers from a table; `down` makes it unreachable for that many calls. */
class TableAccess {
  table = new Map<string, DocRight>();
  calls: string[] = [];
  down = 0;
  rightOf(memberId: string, docName: string): Promise<DocRight> {
    this.calls.push(`${memberId} ${docName}`);
    if (this.down > 0) {
      this.down -= 1;
      return Promise.reject(new Error('UNAVAILABLE'));
    }
    return Promise.resolve(this.table.get(`${memberId} ${docName}`) ?? 'none');
  }
}

function setup() {
  const index = new ConnectionIndex<FakeConnection>();
  const access = new TableAccess();
  const accountListeners: ((change: AccessChange) => void)[] = [];
  const accounts = {
    onChange: (listener: (change: AccessChange) => void) => accountListeners.push(listener),
  };
  const watcher = new AccessWatcher(
    {} as NatsService,
    access as unknown as DocAccess,
    { connections: index } as unknown as CollabSocketServer,
    accounts as unknown as AccessView,
    createLogger('spec', 'silent'),
  );
  /** What the access view tells of a change it read from identity's stream. */
  const accessChanged = (change: AccessChange) => accountListeners.forEach((l) => l(change));
  const add = (
    memberId: string,
    docName: string,
    right: DocRight = 'write',
    sessionId?: string,
  ) => {
    const c = new FakeConnection(memberId, docName, sessionId);
    index.add(c);
    access.table.set(`${memberId} ${docName}`, right);
    return c;
  };
  return { index, access, watcher, add, accessChanged };
}

describe('AccessWatcher', () => {
  it('follows exactly the subjects collab is allowed to listen to', () => {
    expect(recheckEvents.map((e) => e.def.subject).sort()).toEqual(
      [...serviceRoles.collab.listens].sort(),
    );
  });

  it('re-asks every connection of a member on a membership event and acts on each answer', async () => {
    const { access, watcher, add } = setup();
    const gone = add(hex('a'), `proposal:${space1}`);
    const lowered = add(hex('a'), `board:${space2}`);
    const other = add(hex('b'), `proposal:${space1}`);
    access.table.set(`${hex('a')} proposal:${space1}`, 'none');
    access.table.set(`${hex('a')} board:${space2}`, 'read');
    const plan = recheckEvents
      .find((e) => e.def.subject.endsWith('membership.removed'))!
      .plan({ memberId: hex('a'), spaceId: space1 });
    await watcher.apply(plan);
    expect(gone.closedWith).toBe(collabCloseCodes.forbidden);
    expect(lowered.closed).toBe(false);
    expect(lowered.rights).toEqual(['read']);
    expect(other.rights).toEqual([]);
    expect(access.calls).not.toContain(`${hex('b')} proposal:${space1}`);
  });

  it("re-asks every connection to the space's doc on docAccessChanged, upgrading too", async () => {
    const { access, watcher, add } = setup();
    const reader = add(hex('c'), `notes:${space1}`, 'read');
    const elsewhere = add(hex('c'), `notes:${space2}`, 'write');
    access.table.set(`${hex('c')} notes:${space1}`, 'write');
    await watcher.apply({ kind: 'space', spaceId: space1 });
    expect(reader.rights).toEqual(['write']);
    expect(elsewhere.rights).toEqual([]);
    expect(access.calls).toEqual([`${hex('c')} notes:${space1}`]);
  });

  it('closes every connection of a deleted account without asking', async () => {
    const { access, watcher, add } = setup();
    const a = add(hex('d'), `proposal:${space1}`);
    const b = add(hex('d'), `board:${space2}`);
    await watcher.apply({ kind: 'close-member', memberId: hex('d'), reason: 'account deleted' });
    expect([a.closedWith, b.closedWith]).toEqual([
      collabCloseCodes.forbidden,
      collabCloseCodes.forbidden,
    ]);
    expect(access.calls).toEqual([]);
  });

  it('closes every connection of a suspended account with 4403 and says so, a deleted one likewise', async () => {
    const { access, watcher, add } = setup();
    const a = add(hex('e'), `proposal:${space1}`);
    const other = add(hex('f'), `proposal:${space1}`);
    const planOf = (suffix: string) =>
      recheckEvents
        .find((e) => e.def.subject.endsWith(suffix))!
        .plan({ memberId: hex('e'), spaceId: space1 });
    await watcher.apply(planOf('member.suspended'));
    expect([a.closedWith, a.reason]).toEqual([collabCloseCodes.forbidden, 'account suspended']);
    expect(other.closed).toBe(false);
    const b = add(hex('e'), `board:${space2}`);
    await watcher.apply(planOf('member.deleted'));
    expect([b.closedWith, b.reason]).toEqual([collabCloseCodes.forbidden, 'account deleted']);
    expect(access.calls).toEqual([]);
  });

  it("closes a member's connections with 4403 when the access view hears of a suspension", () => {
    const { access, add, accessChanged } = setup();
    const a = add(hex('g'), `proposal:${space1}`);
    const other = add(hex('h'), `proposal:${space1}`);
    accessChanged({
      kind: 'account',
      memberId: hex('g'),
      state: { status: 'suspended', role: undefined, at: 1 },
    });
    expect([a.closedWith, a.reason]).toEqual([collabCloseCodes.forbidden, 'account suspended']);
    expect(other.closed).toBe(false);
    accessChanged({
      kind: 'account',
      memberId: hex('h'),
      state: { status: 'deleted', role: undefined, at: 2 },
    });
    expect([other.closedWith, other.reason]).toEqual([
      collabCloseCodes.forbidden,
      'account deleted',
    ]);
    expect(access.calls).toEqual([]);
  });

  it('closes nothing on a reinstatement or a role change heard on the stream', () => {
    const { access, add, accessChanged } = setup();
    const a = add(hex('g'), `proposal:${space1}`);
    accessChanged({
      kind: 'account',
      memberId: hex('g'),
      state: { status: 'active', role: 'admin', at: 1 },
    });
    expect(a.closed).toBe(false);
    expect(access.calls).toEqual([]);
  });

  it('closes with 4401 exactly the connections opened with a token of an ended session', () => {
    const { access, add, accessChanged } = setup();
    const sid = '0b9e4a56-7f3c-4a1e-9d2b-3c4d5e6f7a8b';
    const otherSid = '1c0f5b67-8a4d-4b2f-8e3c-4d5e6f7a8b9c';
    const ended = add(hex('g'), `proposal:${space1}`, 'write', sid);
    const endedToo = add(hex('g'), `board:${space2}`, 'read', sid);
    const otherDevice = add(hex('g'), `proposal:${space1}`, 'write', otherSid);
    const noSid = add(hex('g'), `notes:${space1}`);
    // Another member's connection with the same sid (it cannot be theirs): left alone.
    const stranger = add(hex('h'), `proposal:${space1}`, 'write', sid);
    accessChanged({ kind: 'sessions', memberId: hex('g'), sessionIds: [sid] });
    expect([ended.closedWith, ended.reason]).toEqual([
      collabCloseCodes.unauthenticated,
      'session ended',
    ]);
    expect(endedToo.closedWith).toBe(collabCloseCodes.unauthenticated);
    expect([otherDevice.closed, noSid.closed, stranger.closed]).toEqual([false, false, false]);
    expect(access.calls).toEqual([]);
  });

  it('retries an unreachable spaces; if it stays away an event closes with 4503, a reconnect sweep keeps the right', async () => {
    const { access, watcher, add } = setup();
    const c = add(hex('e'), `proposal:${space1}`);
    access.table.set(`${hex('e')} proposal:${space1}`, 'none');
    access.down = 1;
    await watcher.recheck(c as unknown as CollabConnection);
    expect(c.closedWith).toBe(collabCloseCodes.forbidden);
    expect(access.calls).toHaveLength(2);

    const d = add(hex('f'), `proposal:${space1}`);
    access.down = 10;
    await watcher.recheck(d as unknown as CollabConnection);
    expect(d.closedWith).toBe(collabCloseCodes.shuttingDown);
    expect(d.rights).toEqual([]);

    // The sweep after a NATS reconnect (no event said anything changed) keeps the right.
    const e = add(hex('f'), `proposal:${space1}`);
    access.down = 10;
    await watcher.recheck(e as unknown as CollabConnection, 'keep');
    expect(e.closed).toBe(false);
    expect(e.rights).toEqual([]);
  });
});
