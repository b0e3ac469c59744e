export {
  gatewayEnvSchema,
  listenPort,
  trustProxySetting,
  type GatewayConfig,
} from './config/gateway-env.schema.js';
export { startGateway, type StartGatewayOptions } from './start-gateway.js';
export { GatewayModule } from './gateway.module.js';
export { buildOpenApi, openApiPath, type OpenApiDocument } from './openapi/openapi.builder.js';
