import { Inject, Injectable } from '@nestjs/common';
import { NatsService } from '@agora/platform';
import { allDocSubjects, docName, docSubjectPrefix, streams, type DocKind } from '@agora/proto';

/**
 * What the update log holds per document, from one stream-info request (`subjects_filter`: the
 * server counts messages per subject itself, nats-server 2.9 included), so finding the docs that
 * need compaction reads no message.
 */
@Injectable()
export class LogStatsRepository {
  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  /** Entries in the log per doc name, for every doc that has any. */
  async entriesPerDoc(): Promise<Map<string, number>> {
    const info = await this.nats.jsm.streams.info(streams.collab.name, {
      subjects_filter: allDocSubjects,
    });
    const out = new Map<string, number>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      const docName = docNameOf(subject);
      if (docName && count > 0) out.set(docName, count);
    }
    return out;
  }
}

/** `agora.collab.doc.<kind>.<id>` → `<kind>:<id>`; null for anything else. */
export function docNameOf(subject: string): string | null {
  if (!subject.startsWith(`${docSubjectPrefix}.`)) return null;
  const [kind, id, ...more] = subject.slice(docSubjectPrefix.length + 1).split('.');
  if (kind === undefined || id === undefined || more.length > 0) return null;
  try {
    return docName(kind as DocKind, id);
  } catch {
    return null;
  }
}
