/**
 * The embedded store's supported subset, as data: the engine validates against these lists and a
 * lint test (tests/integration/store-subset.test.ts) scans service code for anything outside them.
 */

/** Query (filter) operators the store evaluates. */
export const SUPPORTED_QUERY_OPERATORS = [
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$type',
  '$regex',
  '$options',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$all',
  '$elemMatch',
  '$size',
  '$mod',
  '$expr',
  '$comment',
] as const;

/** `$type` aliases (and codes) evaluated exactly; others are refused rather than guessed. */
export const SUPPORTED_TYPE_ALIASES = [
  'string',
  'double',
  'int',
  'number',
  'bool',
  'date',
  'null',
  'array',
  'object',
  // Kept unpromoted from the wire (ObjectId, Long, Decimal128, Timestamp, Binary, RegExp objects),
  // so their BSON type is known exactly.
  'objectId',
  'long',
  'decimal',
  'timestamp',
  'binData',
  'regex',
  1,
  2,
  3,
  4,
  5,
  7,
  8,
  9,
  10,
  11,
  16,
  17,
  18,
  19,
] as const;

/** Update operators; `$each $slice $position $sort` are accepted inside `$push`/`$addToSet`. */
export const SUPPORTED_UPDATE_OPERATORS = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$setOnInsert',
] as const;

/** Aggregation stages; expression operators inside them are evaluated by mingo. */
export const SUPPORTED_STAGES = [
  '$match',
  '$group',
  '$sort',
  '$project',
  '$limit',
  '$skip',
  '$unwind',
  '$lookup',
  '$count',
  '$facet',
  '$addFields',
  '$set',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
  '$sortByCount',
] as const;

/** Commands the dispatcher answers; everything else is 59 CommandNotFound. */
export const SUPPORTED_COMMANDS = [
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'saslStart',
  'saslContinue',
  'buildInfo',
  'endSessions',
  'killAllSessions',
  'connectionStatus',
  'listDatabases',
  'find',
  'getMore',
  'killCursors',
  'count',
  'distinct',
  'explain',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'aggregate',
  'create',
  'drop',
  'dropDatabase',
  'listCollections',
  'createIndexes',
  'listIndexes',
  'dropIndexes',
] as const;

/** Index kinds: key directions 1/-1 with these options. */
export const SUPPORTED_INDEX_OPTIONS = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
] as const;

/** Refused loudly (MongoDB-shaped error naming the feature). */
export const REFUSED_FEATURES = [
  'multi-document transactions (startTransaction, commitTransaction, abortTransaction)',
  'collation',
  '$text and text indexes',
  'geo operators and indexes ($near, $nearSphere, $geoWithin, $geoIntersects, 2d, 2dsphere)',
  'hashed indexes',
  '$where',
  '$jsonSchema',
  'bit operators ($bitsAllSet, $bitsAnySet, $bitsAllClear, $bitsAnyClear, $bit)',
  'Long/Decimal128 arithmetic ($inc/$mul, and arithmetic aggregation over such values)',
  'pipeline-style updates',
  'aggregation stages not listed (e.g. $out, $merge, $graphLookup)',
  'tailable cursors',
  "$type aliases not listed (e.g. 'objectId')",
] as const;
