/** For in-process tests and the launcher: the module, its config schema and the clock it uses. */
export { IdentityModule, type IdentityModuleOptions } from './app.module.js';
export { identityEnvSchema, type IdentityConfig } from './common/identity-config.js';
export { Clock } from './common/clock.js';
