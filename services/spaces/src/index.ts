/** For in-process tests and the launcher: the module and its config schema. */
export { SpacesModule, type SpacesModuleOptions } from './app.module.js';
export { spacesEnvSchema, type SpacesConfig } from './common/spaces-config.js';
