/** For in-process tests and the launcher: the module and its config schema. */
export { attachCollabSockets, CollabModule, type CollabModuleOptions } from './app.module.js';
export { collabEnvSchema, type CollabConfig } from './common/collab-config.js';
export { DocRegistry } from './documents/doc-registry.js';
export { DocStore } from './documents/doc-store.js';
