/**
 * The last `capacity` ids seen, oldest forgotten first. The gateway hears domain events on core
 * NATS, where a re-publish reaches it again although JetStream stores it once (an outbox relay's
 * retry after a lost acknowledgement, or a scan racing a hand-over): this keeps one envelope id
 * from reaching the sockets twice.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True when `id` was seen already; otherwise remembers it and answers false. */
  repeat(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: its first value is the oldest.
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
    return false;
  }
}
