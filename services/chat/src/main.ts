import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { ChatModule } from './app.module.js';
import { chatEnvSchema } from './common/chat-config.js';

const config = loadConfig(chatEnvSchema);
const logger = createLogger('chat', config.LOG_LEVEL);

await bootstrapService({
  service: 'chat',
  module: ChatModule.forRoot({ config, logger }),
  config,
  logger,
});
