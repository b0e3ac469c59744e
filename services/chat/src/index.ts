/** For in-process tests and the launcher: the module and its config schema. */
export { ChatModule, type ChatModuleOptions } from './app.module.js';
export { chatEnvSchema, type ChatConfig } from './common/chat-config.js';
