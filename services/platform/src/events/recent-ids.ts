/**
 * The last `capacity` ids seen, oldest forgotten first. The gateway hears domain events on core
 * NATS, where a re-publish reaches it again although JetStream stores it once (a retry after a lost
 * acknowledgement): it keeps one envelope id from reaching the sockets twice. The outbox relay
 * keeps the entries its scans read, so a hand-over arriving after is not published again.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True when `id` was seen already; otherwise remembers it and answers false. */
  repeat(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.add(id);
    return false;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: its first value is the oldest.
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
  }
}
