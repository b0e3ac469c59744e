import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService, RpcFailure, isDuplicateKey } from '@agora/platform';
import {
  ADMIN_ROSTER_LOCK_COLLECTION,
  ADMIN_ROSTER_LOCK_ID,
  adminRosterLockSchema,
  type AdminRosterLockDoc,
} from './admin-roster-lock.schema.js';

/** Longest a holder may keep the lease (a crashed holder blocks others at most this long). */
const LEASE_MS = 30_000;
/** How long a caller waits for the lease: well inside the 5 s RPC timeout, so the refusal is ours. */
const WAIT_MS = 3_000;
const RETRY_MS = 25;

/**
 * "There is always an admin" spans documents, so it cannot ride on single-document atomicity:
 * demotions and admin account deletions take this lease, check the count and write one at a time
 * (two admins demoting each other at once would otherwise both pass the check).
 */
@Injectable()
export class AdminRosterLock {
  private readonly model: Model<AdminRosterLockDoc>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<AdminRosterLockDoc>(
      'AdminRosterLock',
      adminRosterLockSchema,
      ADMIN_ROSTER_LOCK_COLLECTION,
    );
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const token = await this.acquire();
    try {
      return await fn();
    } finally {
      await this.model.deleteOne({ _id: ADMIN_ROSTER_LOCK_ID, token }).exec();
    }
  }

  private async acquire(): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = new Date();
      try {
        // Takes a free or expired lease; a held one makes the upsert collide on _id.
        await this.model
          .updateOne(
            { _id: ADMIN_ROSTER_LOCK_ID, until: { $lt: now } },
            { $set: { token, until: new Date(now.getTime() + LEASE_MS) } },
            { upsert: true },
          )
          .exec();
        return token;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      if (Date.now() >= deadline)
        throw new RpcFailure('UNAVAILABLE', 'another role change is in progress; try again');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
