/** Back-end services of the workspace (services/* with `"agora": { "kind": "service" }`), sorted. */
export function busServices(repoRoot?: string): Promise<string[]>;
/** `NATS_PASSWORD_<SERVICE>`: where nats-server reads a service's password from. */
export function passwordVariable(service: string): string;
/** The generated users.conf text for a cluster deployment. */
export function renderUsers(repoRoot?: string): Promise<string>;
