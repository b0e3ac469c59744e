import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HealthService } from './health.service.js';

interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Controller()
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  /** Alive: answers while the process runs. */
  @Get('healthz')
  healthz(@Res() res: JsonResponse): void {
    res.status(200).json({ status: 'ok' });
  }

  /** Ready: NATS connected and the store reachable. */
  @Get('readyz')
  async readyz(@Res() res: JsonResponse): Promise<void> {
    const r = await this.health.readiness();
    if (r.ready) res.status(200).json({ status: 'ready', checks: r.checks });
    else res.status(503).json({ status: 'unready', checks: r.checks });
  }
}
