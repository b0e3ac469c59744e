import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { SpacesModule } from './app.module.js';
import { spacesEnvSchema } from './common/spaces-config.js';

const config = loadConfig(spacesEnvSchema);
const logger = createLogger('spaces', config.LOG_LEVEL);

await bootstrapService({
  service: 'spaces',
  module: SpacesModule.forRoot({ config, logger }),
  config,
  logger,
});
