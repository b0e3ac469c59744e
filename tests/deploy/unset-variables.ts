/**
 * Variables a service reads that a deployment leaves unset on purpose, each with why: the test
 * fails on any other variable missing from a Deployment or a compose service.
 */
export const deliberatelyUnset: Record<string, string> = {
  NATS_TLS_CA:
    'TLS to NATS is set up per cluster (README "Deploying"); unset, the bus is plain TCP inside the namespace',
  NATS_TLS_CERT: 'as NATS_TLS_CA',
  NATS_TLS_KEY: 'as NATS_TLS_CA',
  CORS_ORIGIN: 'the web and the API share one origin (the ingress); CORS stays closed',
  ADMIN_EMAIL:
    'optional: the first account registered becomes the admin unless an operator names one',
  MONGO_URL: 'only services with a database get it (the test checks which)',
  COLLAB_REPLICA_ID:
    "compose: each replica defaults to its container's hostname, unique per container (k8s sets the pod name)",
};
