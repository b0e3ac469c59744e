import { z } from 'zod';

export const channelIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'channel id');
