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
  SESSION_CARD_COLLECTION,
  sessionCardSchema,
  type SessionCardDoc,
} from './session-card.schema.js';

export type CardInsert = Omit<SessionCardDoc, '_id' | 'outbox'>;
export type JudgedCard = Pick<SessionCardDoc, 'cardId' | 'status' | 'authorId' | 'text' | 'anchor'>;

/** Judged board cards: all their I/O. */
@Injectable()
export class CardRepository {
  private readonly model: Model<SessionCardDoc>;
  private readonly writes: OutboxWriter<SessionCardDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<SessionCardDoc>(
      'SessionCard',
      sessionCardSchema,
      SESSION_CARD_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  /** Records the verdict with its event; `duplicate` when the card was judged already. */
  async record(
    card: CardInsert,
    events: readonly PendingEvent[],
  ): Promise<'recorded' | 'duplicate'> {
    await this.indexed;
    try {
      await this.writes.insert(card, events, card.judgedAt);
      return 'recorded';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async find(sessionId: string, cardId: string): Promise<SessionCardDoc | null> {
    return this.model
      .findOne({ sessionId: oid(sessionId), cardId }, { outbox: 0 })
      .lean<SessionCardDoc>()
      .exec();
  }

  /** What was judged of each of the session's cards (a board holds hundreds at most). */
  async judged(sessionId: string): Promise<Map<string, JudgedCard>> {
    const docs = await this.model
      .find(
        { sessionId: oid(sessionId) },
        { cardId: 1, status: 1, authorId: 1, text: 1, anchor: 1 },
      )
      .lean<JudgedCard[]>()
      .exec();
    return new Map(docs.map((d) => [d.cardId, d]));
  }

  /** Its author reworded an accepted card (or moved its anchor) before the team decided on it. */
  async reword(
    sessionId: string,
    cardId: string,
    text: string,
    anchor: string | null,
  ): Promise<void> {
    await this.model
      .updateOne(
        { sessionId: oid(sessionId), cardId, status: 'accepted', 'feedback.state': 'open' },
        { $set: { text, anchor } },
      )
      .exec();
  }

  async ofSession(sessionId: string): Promise<SessionCardDoc[]> {
    return this.model
      .find({ sessionId: oid(sessionId) }, { outbox: 0 })
      .sort({ cardCreatedAt: 1 })
      .lean<SessionCardDoc[]>()
      .exec();
  }

  async acceptedOfProposal(proposalId: string): Promise<SessionCardDoc[]> {
    return this.model
      .find({ proposalId: oid(proposalId), status: 'accepted' }, { outbox: 0 })
      .sort({ cardCreatedAt: 1 })
      .lean<SessionCardDoc[]>()
      .exec();
  }

  async acceptedOfIdea(ideaId: string): Promise<SessionCardDoc[]> {
    return this.model
      .find({ ideaId: oid(ideaId), status: 'accepted' }, { outbox: 0 })
      .sort({ cardCreatedAt: 1 })
      .lean<SessionCardDoc[]>()
      .exec();
  }

  /** Records the team's decision if none was made yet; null when it was (or no such feedback). */
  async decide(
    proposalId: string,
    cardId: string,
    feedback: SessionCardDoc['feedback'],
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<SessionCardDoc | null> {
    return this.writes.update(
      { proposalId: oid(proposalId), cardId, status: 'accepted', 'feedback.state': 'open' },
      { $set: { feedback } },
      events,
      at,
    );
  }

  async findForProposal(proposalId: string, cardId: string): Promise<SessionCardDoc | null> {
    return this.model
      .findOne({ proposalId: oid(proposalId), cardId, status: 'accepted' }, { outbox: 0 })
      .lean<SessionCardDoc>()
      .exec();
  }
}
