/** For in-process tests and the launcher: the module and its config schema. */
export { PointsModule, type PointsModuleOptions } from './app.module.js';
export { pointsEnvSchema, type PointsConfig } from './common/points-config.js';
