import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import { channelIdSchema } from './channel.js';

/** Chat's request/reply API. */
export const chatRpc = {
  /**
   * May this member follow the channel live (socket.io room `channel:<channelId>`)? Asked by the
   * gateway on `channel.join`; an unknown channel answers `allowed: false`.
   */
  channelAccess: rpc(
    'chat',
    'channel.access',
    z.strictObject({ memberId: memberIdSchema, channelId: channelIdSchema }),
    z.strictObject({ allowed: z.boolean() }),
  ),
} as const;
