export { startStore, type RunningStore, type StoreOptions } from './server.js';
export {
  REFUSED_FEATURES,
  SUPPORTED_COMMANDS,
  SUPPORTED_INDEX_OPTIONS,
  SUPPORTED_QUERY_OPERATORS,
  SUPPORTED_STAGES,
  SUPPORTED_TYPE_ALIASES,
  SUPPORTED_UPDATE_OPERATORS,
} from './supported-subset.js';
export { CorruptStoreError } from './journal.js';
export {
  CredentialsError,
  readCredentials,
  STORE_PASSWORD_ENV,
  STORE_USER_ENV,
  type StoreCredentials,
} from './credentials.js';
