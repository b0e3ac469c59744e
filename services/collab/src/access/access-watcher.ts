import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AccessView,
  NatsService,
  parseEnvelope,
  PLATFORM_LOGGER,
  type AccessChange,
  type Logger,
} from '@agora/platform';
import { collabCloseCodes } from '@agora/proto';
import { CollabSocketServer } from '../sync/collab-socket.server.js';
import type { CollabConnection } from '../sync/collab-connection.js';
import { DocAccess } from './doc-access.service.js';
import { recheckEvents, type RecheckPlan } from './recheck-plan.js';

/** Attempts at re-asking spaces for one connection before leaving its right as it was. */
const RECHECK_ATTEMPTS = 3;

/**
 * Keeps open connections' rights current: each spaces/identity event collab listens to (core NATS,
 * every replica hears every one) re-asks spaces for the connections it concerns and closes (4403),
 * downgrades or upgrades them; after a NATS reconnect every connection is re-asked, since an event
 * may have gone by meanwhile.
 */
@Injectable()
export class AccessWatcher implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(DocAccess) private readonly access: DocAccess,
    @Inject(CollabSocketServer) private readonly sockets: CollabSocketServer,
    @Inject(AccessView) accounts: AccessView,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'access' });
    // Identity's stream too: it resumes after a disconnect, closes a connection authorised while
    // the core event was on its way, and is the only way collab hears of ended sessions.
    accounts.onChange((change) => {
      const plan = planOfAccessChange(change);
      if (plan) void this.apply(plan);
    });
  }

  onApplicationBootstrap(): void {
    this.nats
      .ready()
      .then((nc) => {
        this.subscribe(nc);
        this.watchReconnects(nc).catch((err: unknown) =>
          this.logger.error({ err }, 'stopped watching NATS reconnects'),
        );
      })
      .catch((err: unknown) => this.logger.error({ err }, 'rights watcher never connected'));
  }

  /** Applies a plan now (the subscriptions call it; tests too). */
  async apply(plan: RecheckPlan): Promise<void> {
    const index = this.sockets.connections;
    switch (plan.kind) {
      case 'close-member':
        for (const c of index.ofMember(plan.memberId))
          c.close(collabCloseCodes.forbidden, plan.reason);
        return;
      case 'close-sessions':
        for (const c of index.ofMember(plan.memberId))
          if (c.sessionId !== undefined && plan.sessionIds.includes(c.sessionId))
            c.close(collabCloseCodes.unauthenticated, 'session ended');
        return;
      case 'member':
        await Promise.all(index.ofMember(plan.memberId).map((c) => this.recheck(c)));
        return;
      case 'space':
        await Promise.all(index.ofSpace(plan.spaceId).map((c) => this.recheck(c)));
        return;
    }
  }

  /**
   * Asks spaces again and acts on the answer. When an event said the right changed and spaces stays
   * unreachable, the connection is closed with 4503 (the client reconnects and is authorised
   * afresh): a revocation must not be lost because the question could not be asked. The sweep after
   * a NATS reconnect (no event, only a safety net) keeps the right instead: closing every editor
   * after every bus blip would be worse than the miss it guards against.
   */
  async recheck(c: CollabConnection, onFailure: 'close' | 'keep' = 'close'): Promise<void> {
    for (let attempt = 1; attempt <= RECHECK_ATTEMPTS && !c.closed; attempt += 1) {
      try {
        const right = await this.access.rightOf(c.memberId, c.docName);
        if (right === 'none') c.close(collabCloseCodes.forbidden, 'no right on this doc any more');
        else c.changeRight(right);
        return;
      } catch (err) {
        this.logger.warn({ err, doc: c.docName, attempt }, 'rights re-check failed');
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
    if (!c.closed && onFailure === 'close')
      c.close(collabCloseCodes.shuttingDown, 'rights could not be re-checked: reconnect');
  }

  private subscribe(nc: NatsConnection): void {
    for (const { def, plan } of recheckEvents) {
      nc.subscribe(def.subject, {
        callback: (err, msg) => {
          if (err) return;
          let raw: unknown;
          try {
            raw = msg.json();
          } catch {
            return;
          }
          const parsed = parseEnvelope(def, raw);
          if (!parsed.ok) {
            this.logger.warn({ subject: msg.subject, reason: parsed.reason }, 'event dropped');
            return;
          }
          void this.apply(plan(parsed.envelope.data as never));
        },
      });
    }
  }

  private async watchReconnects(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type !== 'reconnect') continue;
      await Promise.all(this.sockets.connections.list().map((c) => this.recheck(c, 'keep')));
    }
  }
}

/**
 * What a change of identity's access view does to open connections: a suspension or deletion
 * closes the member's (4403, as the core event does), ended sessions close those opened with their
 * tokens (4401: signed out there, the client must sign in again); a reinstatement or a role change
 * closes nothing (a role change re-asks spaces through its core event).
 */
export function planOfAccessChange(change: AccessChange): RecheckPlan | undefined {
  if (change.kind === 'sessions')
    return { kind: 'close-sessions', memberId: change.memberId, sessionIds: change.sessionIds };
  const { status } = change.state;
  if (status === 'active') return undefined;
  return {
    kind: 'close-member',
    memberId: change.memberId,
    reason: status === 'deleted' ? 'account deleted' : 'account suspended',
  };
}
