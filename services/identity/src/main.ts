import { bootstrapService, createLogger, loadConfig } from '@agora/platform';
import { IdentityModule } from './app.module.js';
import { identityEnvSchema } from './common/identity-config.js';

const config = loadConfig(identityEnvSchema);
const logger = createLogger('identity', config.LOG_LEVEL);
if (!config.SMTP_URL) logger.info('SMTP_URL not set: invitation mail is kept in the dev mailbox');

await bootstrapService({
  service: 'identity',
  module: IdentityModule.forRoot({ config, logger }),
  config,
  logger,
});
