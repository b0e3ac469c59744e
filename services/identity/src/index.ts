/** For in-process tests and the launcher: the module and its config schema. */
export { IdentityModule, type IdentityModuleOptions } from './app.module.js';
export { identityEnvSchema, type IdentityConfig } from './common/identity-config.js';
