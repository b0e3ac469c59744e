import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { Cursors } from '../cursors.js';
import type { Journal, JournalRecord } from '../journal.js';
import type { ScramConversation, ScramCredentials } from '../scram.js';

/** The store's one user (defined in `admin`, allowed everything), with its derived keys only. */
export interface StoreAccount {
  user: string;
  scram: ScramCredentials;
}

/** Where one connection stands: who it authenticated as, and a SASL exchange under way. */
export interface ConnectionAuth {
  user: string | null;
  conversation: { scram: ScramConversation; proven: boolean; skipEmptyExchange: boolean } | null;
}

/** What a command handler may use; writes return the records to journal before replying. */
export interface CommandContext {
  catalog: Catalog;
  cursors: Cursors;
  journal: Journal;
  connectionId: number;
  /** The peer, for log lines. */
  remote: string;
  account: StoreAccount;
  auth: ConnectionAuth;
  log(line: string): void;
  /** Appends records and waits for fsync; then the reply may go out. */
  persist(records: JournalRecord[]): Promise<void>;
}

export type CommandHandler = (cmd: Document, ctx: CommandContext) => Promise<Document> | Document;
