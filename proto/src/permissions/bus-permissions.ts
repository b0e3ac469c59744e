import { streamNameOf, type EventDef } from '../events.js';
import { allEvents, allRpcs } from '../registry.js';
import type { RpcDef } from '../rpc.js';
import {
  consumers,
  deadLetterSubject,
  streams,
  type ConsumerDef,
  type StreamDef,
} from '../streams.js';
import { noRoles, serviceRoles, type BucketDef, type ServiceRoles } from './service-roles.js';

/** Everything the permissions are derived from; `busContracts` is the registry's. */
export interface BusContracts {
  readonly rpcs: readonly RpcDef[];
  readonly events: readonly EventDef[];
  readonly streams: readonly StreamDef[];
  readonly consumers: readonly ConsumerDef[];
  /** Where consumers dead-letter; every process running a consumer provisions it. */
  readonly deadLetter: StreamDef;
  readonly roles: Readonly<Record<string, ServiceRoles>>;
}

export const busContracts: BusContracts = {
  rpcs: allRpcs,
  events: allEvents,
  streams: Object.values(streams),
  consumers: Object.values(consumers),
  deadLetter: streams.deadLetter,
  roles: serviceRoles,
};

/** What a process may do on NATS: the user permissions of its nats-server account entry. */
export interface BusPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer each request it receives once (it serves RPCs). */
  readonly allowResponses: boolean;
}

/** What a process creates or updates at start: only what it owns. */
export interface Provisioning {
  readonly streams: readonly StreamDef[];
  readonly consumers: readonly ConsumerDef[];
  readonly buckets: readonly BucketDef[];
}

/**
 * The inbox prefix of a process's replies (`_INBOX_<service>`): only its own user may subscribe
 * there, so a reply (a login's tokens) reaches nobody but the caller.
 */
export function inboxPrefixOf(service: string): string {
  return `_INBOX_${service}`;
}

/** The service that runs a durable consumer: its name is `<service>-<purpose>`. */
export function consumerServiceOf(def: ConsumerDef): string {
  const dash = def.durable.indexOf('-');
  if (dash <= 0) throw new Error(`consumer ${def.durable} is not named <service>-<purpose>`);
  return def.durable.slice(0, dash);
}

/** A service owns its event stream `AGORA_<SERVICE>` and its other streams `AGORA_<SERVICE>_<WHAT>`. */
function ownedStreams(service: string, contracts: BusContracts): StreamDef[] {
  const own = streamNameOf(service);
  return contracts.streams.filter((s) => s.name === own || s.name.startsWith(`${own}_`));
}

function consumersOf(service: string, contracts: BusContracts): ConsumerDef[] {
  return contracts.consumers.filter((c) => consumerServiceOf(c) === service);
}

function rolesOf(service: string, contracts: BusContracts): ServiceRoles {
  return contracts.roles[service] ?? noRoles;
}

export function provisioningOf(
  service: string,
  contracts: BusContracts = busContracts,
): Provisioning {
  const runs = consumersOf(service, contracts);
  const owned = ownedStreams(service, contracts);
  return {
    streams:
      runs.length > 0 && !owned.includes(contracts.deadLetter)
        ? [...owned, contracts.deadLetter]
        : owned,
    consumers: runs,
    buckets: rolesOf(service, contracts)
      .buckets.filter((u) => u.provisions)
      .map((u) => u.bucket),
  };
}

const api = '$JS.API';

/** Creating and updating a stream (whoever provisions it). */
function provisionStream(name: string): string[] {
  return [
    `${api}.STREAM.INFO.${name}`,
    `${api}.STREAM.CREATE.${name}`,
    `${api}.STREAM.UPDATE.${name}`,
  ];
}

/**
 * Derives a process's permissions from the contracts, so a new RPC, event, stream or consumer is
 * covered without editing anything here:
 * - every process: the JetStream account check and replies on its own inbox;
 * - a context's service: serves its RPCs (and answers them), publishes its events, provisions its
 *   stream, publishes on it, reads it (core and JetStream) and purges it;
 * - a consumer's service: creates and pulls its durable, acks it, dead-letters its messages;
 * - declared roles: the RPCs it calls, the buckets it uses (and provisions), its live subjects.
 */
export function busPermissionsOf(
  service: string,
  contracts: BusContracts = busContracts,
): BusPermissions {
  const roles = rolesOf(service, contracts);
  const publish = new Set<string>([`${api}.INFO`]);
  const subscribe = new Set<string>([`${inboxPrefixOf(service)}.>`]);
  const add = (set: Set<string>, subjects: Iterable<string>) => {
    for (const s of subjects) set.add(s);
  };

  const serves = contracts.rpcs.filter((r) => r.context === service);
  add(
    subscribe,
    serves.map((r) => r.subject),
  );
  add(
    publish,
    contracts.events.filter((e) => e.context === service).map((e) => e.subject),
  );

  for (const stream of ownedStreams(service, contracts)) {
    add(publish, provisionStream(stream.name));
    // An event stream takes only the declared events (above); another kind takes its subjects.
    if (!contracts.events.some((e) => e.stream === stream.name)) add(publish, stream.subjects);
    add(subscribe, stream.subjects);
    // Reading it back (ordered consumers: created, pulled, deleted; a message by subject) and purging.
    add(publish, [
      `${api}.STREAM.PURGE.${stream.name}`,
      `${api}.STREAM.MSG.GET.${stream.name}`,
      `${api}.CONSUMER.CREATE.${stream.name}.>`,
      `${api}.CONSUMER.DELETE.${stream.name}.*`,
      `${api}.CONSUMER.MSG.NEXT.${stream.name}.*`,
    ]);
  }

  const runs = consumersOf(service, contracts);
  if (runs.length > 0) add(publish, provisionStream(contracts.deadLetter.name));
  for (const c of runs) {
    add(publish, [
      `${api}.CONSUMER.INFO.${c.stream}.${c.durable}`,
      `${api}.CONSUMER.CREATE.${c.stream}.${c.durable}`,
      `${api}.CONSUMER.CREATE.${c.stream}.${c.durable}.>`,
      `${api}.CONSUMER.MSG.NEXT.${c.stream}.${c.durable}`,
      `$JS.ACK.${c.stream}.${c.durable}.>`,
      deadLetterSubject(c.durable),
    ]);
  }

  add(
    publish,
    roles.calls.map((r) => r.subject),
  );
  add(subscribe, roles.listens);
  add(publish, roles.publishes ?? []);
  add(publish, roles.broadcasts ?? []);
  add(subscribe, roles.broadcasts ?? []);
  for (const { bucket, provisions } of roles.buckets) {
    const stream = `OBJ_${bucket.name}`;
    // Its provisioner re-creates a bucket whose storage changed (a stream cannot change it in
    // place); purging, which every user of the bucket may, already empties it.
    if (provisions) add(publish, [...provisionStream(stream), `${api}.STREAM.DELETE.${stream}`]);
    add(publish, [
      `$O.${bucket.name}.>`,
      `${api}.STREAM.INFO.${stream}`,
      `${api}.STREAM.MSG.GET.${stream}`,
      `${api}.STREAM.PURGE.${stream}`,
      // Reading an object: an ordered consumer pushing to the inbox, with flow control.
      `${api}.CONSUMER.CREATE.${stream}.>`,
      `$JS.FC.${stream}.>`,
    ]);
  }

  return {
    publish: [...publish].sort(),
    subscribe: [...subscribe].sort(),
    allowResponses: serves.length > 0,
  };
}

/** A user of nats-server's `authorization.users`: the service's name, password and permissions. */
export interface NatsServerUser {
  readonly user: string;
  readonly password: string;
  readonly permissions: {
    readonly publish: { readonly allow: readonly string[] };
    readonly subscribe: { readonly allow: readonly string[] };
    readonly allow_responses?: true;
  };
}

/** The entry nats-server needs for a service (its configuration takes it as JSON). */
export function natsServerUser(
  service: string,
  password: string,
  contracts: BusContracts = busContracts,
): NatsServerUser {
  const p = busPermissionsOf(service, contracts);
  return {
    user: service,
    password,
    permissions: {
      publish: { allow: p.publish },
      subscribe: { allow: p.subscribe },
      // Answering a request once (its reply subject) needs no publish right of its own.
      ...(p.allowResponses ? { allow_responses: true as const } : {}),
    },
  };
}
