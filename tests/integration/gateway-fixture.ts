// Starts a gateway (in process) on a free port against the given NATS, for the gateway-*.test.ts suites.
import { gatewayEnvSchema, startGateway, type GatewayConfig } from '@agora/gateway';
import type { RunningService } from '@agora/platform';

export interface TestGateway {
  service: RunningService;
  base: string;
  config: GatewayConfig;
  stop(): Promise<void>;
}

export async function startTestGateway(env: Record<string, string>): Promise<TestGateway> {
  const config = gatewayEnvSchema.parse({
    LOG_LEVEL: 'silent',
    HEALTH_PORT: '0',
    COOKIE_SECURE: 'false',
    TRUST_PROXY: 'true',
    ...env,
  });
  const service = await startGateway({ config, handleSignals: false });
  const base = `http://127.0.0.1:${service.port}`;
  // Ready = NATS connected and JetStream provisioned (the uploads bucket exists).
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    if (Date.now() > deadline) throw new Error('gateway not ready within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { service, base, config, stop: () => service.shutdown() };
}

let ipCounter = 0;
/** A fresh client address per test (the gateway trusts X-Forwarded-For from loopback), so per-IP limits do not leak across tests. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter % 250}`;
}
