import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { attachCollabSockets, CollabModule } from './app.module.js';
import { collabEnvSchema } from './common/collab-config.js';

const config = loadConfig(collabEnvSchema);
const logger = createLogger('collab', config.LOG_LEVEL).child({
  replica: config.COLLAB_REPLICA_ID,
});

await bootstrapService({
  service: 'collab',
  module: CollabModule.forRoot({ config, logger }),
  config,
  logger,
  configure: attachCollabSockets,
});
