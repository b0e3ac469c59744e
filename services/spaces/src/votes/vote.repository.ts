import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import { oid } from '../common/object-id.js';
import {
  VOTE_WALLET_COLLECTION,
  voteWalletSchema,
  type VoteDoc,
  type VoteWalletDoc,
} from './vote-wallet.schema.js';

export interface WalletRecord {
  memberId: string;
  spent: number;
  votes: VoteDoc[];
}

const toRecord = (d: VoteWalletDoc): WalletRecord => ({
  memberId: d.memberId.toHexString(),
  spent: d.spent,
  votes: d.votes,
});

/** Session vote wallets: all their I/O. */
@Injectable()
export class VoteRepository {
  private readonly model: Model<VoteWalletDoc>;
  private readonly writes: OutboxWriter<VoteWalletDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<VoteWalletDoc>(
      'VoteWallet',
      voteWalletSchema,
      VOTE_WALLET_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  async wallet(sessionId: string, memberId: string): Promise<WalletRecord | null> {
    const d = await this.model
      .findOne({ sessionId: oid(sessionId), memberId: oid(memberId) }, { outbox: 0 })
      .lean<VoteWalletDoc>()
      .exec();
    return d ? toRecord(d) : null;
  }

  /**
   * Spends `vote.dots` from the member's wallet when its key was never spent and `budget` still
   * covers it, with its events, in one conditional write. `spent` when it counted now; otherwise
   * the wallet as it is, for the caller to tell a repeat (the key is in it) from an overspend.
   */
  async spend(
    sessionId: string,
    memberId: string,
    vote: VoteDoc,
    budget: number,
    events: readonly PendingEvent[],
  ): Promise<{ outcome: 'spent' | 'refused'; wallet: WalletRecord }> {
    await this.indexed;
    const who = { sessionId: oid(sessionId), memberId: oid(memberId) };
    try {
      // The wallet must exist for the conditional update to find it; a concurrent twin may win.
      await this.model.create({ ...who, spent: 0, votes: [], outbox: [] });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const after = await this.writes.update(
      { ...who, 'votes.key': { $ne: vote.key }, spent: { $lte: budget - vote.dots } },
      { $inc: { spent: vote.dots }, $push: { votes: vote } },
      events,
      vote.at,
    );
    if (after) return { outcome: 'spent', wallet: toRecord(after) };
    const now = await this.wallet(sessionId, memberId);
    return { outcome: 'refused', wallet: now ?? { memberId, spent: 0, votes: [] } };
  }

  /** Every wallet of the session (results and turnout: one session's voters, a few hundred). */
  async walletsOf(sessionId: string): Promise<WalletRecord[]> {
    const docs = await this.model
      .find({ sessionId: oid(sessionId) }, { outbox: 0 })
      .lean<VoteWalletDoc[]>()
      .exec();
    return docs.map(toRecord);
  }
}
