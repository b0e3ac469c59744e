export { startStore, type RunningStore, type StoreOptions } from './server.js';
export { SUPPORTED_QUERY_OPERATORS } from './query.js';
export { SUPPORTED_UPDATE_OPERATORS } from './update.js';
export { SUPPORTED_STAGES } from './commands/aggregate.js';
export { SUPPORTED_COMMANDS } from './commands/dispatch.js';
export { CorruptStoreError } from './journal.js';
