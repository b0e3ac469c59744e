import { Binary, type Document } from 'bson';
import { authenticationFailed, protocolError, type CommandError } from '../errors.js';
import { isPlainObject } from '../paths.js';
import { ScramConversation, ScramError } from '../scram.js';
import type { CommandContext, CommandHandler } from './context.js';

export const MECHANISM = 'SCRAM-SHA-256';
/** The database the store's user is defined in (drivers: `authSource=admin`). */
export const AUTH_DB = 'admin';
/** One exchange at a time per connection, so its id is always 1 (as mongod numbers them). */
const CONVERSATION_ID = 1;

/** What mongod runs before authentication; everything else is refused with code 13. */
export const PRE_AUTH_COMMANDS: ReadonlySet<string> = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'saslStart',
  'saslContinue',
  'connectionStatus',
]);

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.value()).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new ScramError('the SASL payload must be binary data');
}

const clip = (text: string) => JSON.stringify(text.slice(0, 64));

/** Logs why (the client only hears "Authentication failed.") and forgets the exchange. */
function failed(ctx: CommandContext, err: unknown, user?: string, quiet = false): CommandError {
  ctx.auth.conversation = null;
  if (quiet) return authenticationFailed();
  const who = user === undefined ? '' : ` as ${clip(user)}`;
  ctx.log(
    `agora-store: authentication failed${who} from ${ctx.remote} (connection ${ctx.connectionId}): ${(err as Error).message}`,
  );
  return authenticationFailed();
}

/**
 * saslStart, also run from inside hello's `speculativeAuthenticate` (quiet then: when it fails the
 * driver sends saslStart itself, and that failure is logged).
 */
function start(cmd: Document, db: unknown, ctx: CommandContext, quiet = false): Document {
  ctx.auth.conversation = null;
  try {
    if (cmd.mechanism !== MECHANISM)
      throw new ScramError(
        `mechanism ${clip(String(cmd.mechanism))} is not supported (${MECHANISM} only)`,
      );
    if (db !== AUTH_DB)
      throw new ScramError(
        `no user in database ${clip(String(db))} (the store's user is in '${AUTH_DB}': use authSource=${AUTH_DB})`,
      );
    const scram = ScramConversation.start(payloadText(cmd.payload), (user) =>
      user === ctx.account.user ? ctx.account.scram : undefined,
    );
    const options: unknown = cmd.options;
    ctx.auth.conversation = {
      scram,
      proven: false,
      skipEmptyExchange: isPlainObject(options) && options.skipEmptyExchange === true,
    };
    return {
      conversationId: CONVERSATION_ID,
      done: false,
      payload: new Binary(Buffer.from(scram.serverFirst)),
    };
  } catch (err) {
    throw failed(ctx, err, undefined, quiet);
  }
}

const saslStart: CommandHandler = (cmd, ctx) => ({ ...start(cmd, cmd.$db, ctx), ok: 1 });

const saslContinue: CommandHandler = (cmd, ctx) => {
  const conversation = ctx.auth.conversation;
  if (!conversation || Number(cmd.conversationId) !== CONVERSATION_ID)
    throw protocolError('No SASL session state found');
  const user = conversation.scram.user;
  try {
    const text = payloadText(cmd.payload);
    if (!conversation.proven) {
      const serverFinal = conversation.scram.finish(text);
      conversation.proven = true;
      ctx.auth.user = user;
      if (conversation.skipEmptyExchange) ctx.auth.conversation = null;
      return {
        conversationId: CONVERSATION_ID,
        done: conversation.skipEmptyExchange,
        payload: new Binary(Buffer.from(serverFinal)),
        ok: 1,
      };
    }
    // Without skipEmptyExchange the client acknowledges the server's signature with an empty step.
    if (text !== '') throw new ScramError('unexpected SASL step after the proof');
    ctx.auth.conversation = null;
    return {
      conversationId: CONVERSATION_ID,
      done: true,
      payload: new Binary(Buffer.alloc(0)),
      ok: 1,
    };
  } catch (err) {
    throw failed(ctx, err, user);
  }
};

/**
 * The hello fields drivers use to authenticate in fewer round trips: `saslSupportedMechs` for a
 * known `<db>.<user>`, and the answer to a `speculativeAuthenticate` saslStart (left out when it
 * fails, as mongod does: the driver then runs saslStart itself and gets the error).
 */
export function handshakeAuth(cmd: Document, ctx: CommandContext): Document {
  const out: Document = {};
  if (cmd.saslSupportedMechs === `${AUTH_DB}.${ctx.account.user}`)
    out.saslSupportedMechs = [MECHANISM];
  const speculative: unknown = cmd.speculativeAuthenticate;
  if (isPlainObject(speculative) && 'saslStart' in speculative) {
    try {
      out.speculativeAuthenticate = start(speculative, speculative.db, ctx, true);
    } catch {
      // the reply simply has no speculativeAuthenticate, as from mongod
    }
  }
  return out;
}

export const authCommands: Record<string, CommandHandler> = { saslStart, saslContinue };
