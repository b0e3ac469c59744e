import type { Document } from 'bson';
import { CommandError, commandNotFound, transactionsRefused, unauthorized } from '../errors.js';
import { adminCommands } from './admin.js';
import { authCommands, PRE_AUTH_COMMANDS } from './auth.js';
import { aggregateCommands } from './aggregate.js';
import type { CommandContext, CommandHandler } from './context.js';
import { ddlCommands } from './ddl.js';
import { readCommands } from './read.js';
import { writeCommands } from './write.js';

const handlers: Record<string, CommandHandler> = {
  ...adminCommands,
  ...authCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
  ...ddlCommands,
};

/** Every command name with a handler (supported-subset.ts lists the same, as documentation). */
export const HANDLED_COMMANDS = Object.keys(handlers);

/** Runs one command; every failure becomes a MongoDB-shaped `{ ok: 0, errmsg, code, codeName }`. */
export async function runCommand(cmd: Document, ctx: CommandContext): Promise<Document> {
  const name = Object.keys(cmd)[0];
  try {
    if (!name) throw commandNotFound('');
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    // As mongod: an unknown command is unknown to anyone; a known one needs a login first.
    if (ctx.auth.user === null && !PRE_AUTH_COMMANDS.has(name)) {
      throw handler ? unauthorized(name) : commandNotFound(name);
    }
    if (cmd.startTransaction || cmd.autocommit === false) {
      throw transactionsRefused();
    }
    if (!handler) throw commandNotFound(name);
    return await handler(cmd, ctx);
  } catch (err) {
    if (err instanceof CommandError)
      return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName, ...err.extra };
    return {
      ok: 0,
      errmsg: `internal error: ${(err as Error).message}`,
      code: 1,
      codeName: 'InternalError',
    };
  }
}
