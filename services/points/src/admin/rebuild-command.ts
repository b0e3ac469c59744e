import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { PointsModule } from '../app.module.js';
import { pointsEnvSchema } from '../common/points-config.js';
import { AdminService } from './admin.service.js';

/**
 * `bin/rebuild.mjs`: runs one points process with the service's environment (HEALTH_PORT may be 0),
 * recomputes every balance from the ledger, prints the report as JSON, and stops. Exit code 0 when
 * the projection agreed, 2 when it had to correct balances.
 */
export async function runRebuild(): Promise<number> {
  const config = loadConfig(pointsEnvSchema);
  const logger = createLogger('points-rebuild', config.LOG_LEVEL);
  const running = await bootstrapService({
    service: 'points',
    module: PointsModule.forRoot({ config, logger }),
    config,
    logger,
    handleSignals: false,
  });
  try {
    await running.rpcReady;
    const report = await running.app.get(AdminService).rebuildAll();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.mismatches.length === 0 ? 0 : 2;
  } finally {
    await running.shutdown();
  }
}
