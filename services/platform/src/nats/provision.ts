import {
  AckPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  DeliverPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import { streams, type BucketDef, type ConsumerDef, type StreamDef } from '@agora/proto';

/**
 * The server config of a proto stream. Every limit is sent, unset ones as -1 (none), so an update
 * also lifts a limit that proto no longer declares.
 */
export function streamConfigOf(
  def: StreamDef,
  replicas = 1,
): Partial<StreamConfig> & { name: string } {
  return {
    name: def.name,
    num_replicas: replicas,
    subjects: [...def.subjects],
    storage: def.storage === 'memory' ? StorageType.Memory : StorageType.File,
    duplicate_window: nanos(def.duplicateWindowMs),
    max_age: nanos(def.maxAgeMs),
    max_bytes: def.maxBytes ?? -1,
    max_msg_size: def.maxMessageBytes ?? -1,
    max_msgs_per_subject: def.maxMessagesPerSubject ?? -1,
    discard: def.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
  };
}

/** Adds the stream, or updates it when it exists (idempotent). */
export async function ensureStream(
  jsm: JetStreamManager,
  def: StreamDef,
  replicas = 1,
): Promise<void> {
  const config = streamConfigOf(def, replicas);
  const exists = await jsm.streams.info(def.name).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
  if (exists) await jsm.streams.update(def.name, config);
  else await jsm.streams.add(config);
}

/**
 * Deliveries the server allows beyond `maxDeliver`: if the last attempt times out or the dead-letter
 * publish fails, the message still comes back once more and the consumer runner dead-letters it then.
 */
export const DEAD_LETTER_HEADROOM = 2;

export function consumerConfigOf(def: ConsumerDef): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    durable_name: def.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(def.ackWaitMs),
    max_deliver: def.maxDeliver + DEAD_LETTER_HEADROOM,
    // Room for every message being handled plus those buffered for the next slot (in batch mode:
    // the batches running, the one waiting, and a pull's worth).
    max_ack_pending: Math.max(def.concurrency * ((def.batchesAtOnce ?? 1) + 3), 16),
  };
  // A consumer of the whole stream gets no filter: nats-server 2.9 matches a filtered consumer's
  // subjects message by message, and the points drain's nats-server spent 0.7 CPU-s of 5,500
  // events on it (0.1 without), more the longer the backlog.
  if (coversItsStream(def)) return config;
  // nats-server 2.9 (Debian) knows only a single filter_subject; several need 2.10+.
  if (def.filterSubjects.length === 1) config.filter_subject = def.filterSubjects[0];
  else if (def.filterSubjects.length > 1) config.filter_subjects = [...def.filterSubjects];
  return config;
}

const subjectsOfStream = new Map<string, readonly string[]>(
  Object.values(streams).map((s) => [s.name, s.subjects]),
);

/** True when the consumer filters on exactly its (proto) stream's subjects: every message. */
function coversItsStream(def: ConsumerDef): boolean {
  const subjects = subjectsOfStream.get(def.stream);
  if (!subjects || def.filterSubjects.length !== subjects.length) return false;
  return def.filterSubjects.every((f) => subjects.includes(f));
}

/**
 * Adds the durable consumer, or updates the settings a server lets change. Returns a warning when an
 * existing consumer could not be updated (e.g. a filter change on nats-server 2.9): it is used as it is.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  def: ConsumerDef,
): Promise<string | undefined> {
  const config = consumerConfigOf(def);
  const existing = await jsm.consumers.info(def.stream, def.durable).catch((err: unknown) => {
    if (isNotFound(err)) return null;
    throw err;
  });
  if (existing && unfilteredNow(existing.config, config)) {
    return replaceFiltered(jsm, def, config, existing.ack_floor.stream_seq);
  }
  if (existing) {
    const { durable_name: _name, deliver_policy: _policy, ...changeable } = config;
    try {
      await jsm.consumers.update(def.stream, def.durable, changeable);
    } catch (err) {
      return `consumer ${def.durable} kept its old settings: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else {
    await jsm.consumers.add(def.stream, config);
  }
  return undefined;
}

/** A consumer made with a filter whose proto config now has none (it covers its whole stream). */
function unfilteredNow(old: ConsumerConfig, config: Partial<ConsumerConfig>): boolean {
  const filtered = Boolean(old.filter_subject) || (old.filter_subjects?.length ?? 0) > 0;
  return filtered && !config.filter_subject && !config.filter_subjects;
}

/**
 * nats-server 2.9 cannot drop a consumer's filter in place: the consumer is made again without it,
 * from the message after its ack floor. Messages acked beyond the floor come again (consumers are
 * idempotent); a replica consuming meanwhile sees its consumer go and restarts on the new one.
 */
async function replaceFiltered(
  jsm: JetStreamManager,
  def: ConsumerDef,
  config: Partial<ConsumerConfig>,
  ackFloor: number,
): Promise<string> {
  await jsm.consumers.delete(def.stream, def.durable).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
  await jsm.consumers
    .add(def.stream, {
      ...config,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: ackFloor + 1,
    })
    .catch(async (err: unknown) => {
      // Another replica made it again first: fine if it did so without the filter.
      const now = await jsm.consumers.info(def.stream, def.durable).catch(() => null);
      if (!now || unfilteredNow(now.config, config)) throw err;
    });
  return `consumer ${def.durable} made again without its filter (it covers the whole stream), from stream seq ${ackFloor + 1}`;
}

/**
 * Creates the object-store bucket when missing, and brings an existing one to its proto limits
 * (Objm.create alone would open it as it is). A stream's storage cannot change in place, so a
 * bucket made with another storage (an uploads bucket from before it moved to memory) is deleted
 * and made again: its objects are transient hand-offs, and keeping them on disk is what the move
 * is for.
 */
export async function ensureBucket(
  js: JetStreamClient,
  def: BucketDef,
  replicas = 1,
): Promise<void> {
  const jsm = await js.jetstreamManager();
  const stream = `OBJ_${def.name}`;
  const storage = def.storage === 'memory' ? StorageType.Memory : StorageType.File;
  const limits = { max_age: nanos(def.maxAgeMs), max_bytes: def.maxBytes, num_replicas: replicas };
  const existing = await jsm.streams.info(stream).catch((err: unknown) => {
    if (isNotFound(err)) return null;
    throw err;
  });
  if (existing && existing.config.storage === storage) {
    await jsm.streams.update(stream, limits);
    return;
  }
  if (existing) await jsm.streams.delete(stream);
  await new Objm(js).create(def.name, {
    storage,
    ttl: limits.max_age,
    max_bytes: limits.max_bytes,
    replicas,
  });
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamNotFound ||
      err.code === JetStreamApiCodes.ConsumerNotFound)
  );
}
