import type { MongoService } from '../mongo/mongo.service.js';
import type { NatsService } from '../nats/nats.service.js';

export interface Readiness {
  ready: boolean;
  checks: { nats: boolean; mongo?: boolean; reason?: string };
}

/** What /readyz reports: NATS connected and (for services with a database) the store answering a ping. */
export class HealthService {
  private shuttingDown = false;

  constructor(
    private readonly nats: NatsService,
    private readonly mongo: MongoService | undefined,
  ) {}

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<Readiness> {
    const nats = this.nats.isConnected;
    const mongo = this.mongo ? await this.mongo.ping() : undefined;
    const reasons: string[] = [];
    if (this.shuttingDown) reasons.push('shutting down');
    if (!nats) reasons.push(`nats: ${this.nats.unreadyReason ?? 'not connected'}`);
    if (mongo === false) reasons.push(`mongo: ${this.mongo?.unreadyReason ?? 'unreachable'}`);
    const checks: Readiness['checks'] = { nats };
    if (mongo !== undefined) checks.mongo = mongo;
    if (reasons.length > 0) checks.reason = reasons.join('; ');
    return { ready: reasons.length === 0, checks };
  }
}
