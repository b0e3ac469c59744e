import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { Cursors } from '../cursors.js';
import type { Journal, JournalRecord } from '../journal.js';

/** What a command handler may use; writes return the records to journal before replying. */
export interface CommandContext {
  catalog: Catalog;
  cursors: Cursors;
  journal: Journal;
  connectionId: number;
  /** Appends records and waits for fsync; then the reply may go out. */
  persist(records: JournalRecord[]): Promise<void>;
}

export type CommandHandler = (cmd: Document, ctx: CommandContext) => Promise<Document> | Document;
