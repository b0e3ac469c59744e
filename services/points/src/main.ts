import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { PointsModule } from './app.module.js';
import { pointsEnvSchema } from './common/points-config.js';

const config = loadConfig(pointsEnvSchema);
const logger = createLogger('points', config.LOG_LEVEL);

await bootstrapService({
  service: 'points',
  module: PointsModule.forRoot({ config, logger }),
  config,
  logger,
});
