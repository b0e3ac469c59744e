import { loadConfig } from '@agora/platform';
import { gatewayEnvSchema } from './config/gateway-env.schema.js';
import { startGateway } from './start-gateway.js';

await startGateway({ config: loadConfig(gatewayEnvSchema) });
