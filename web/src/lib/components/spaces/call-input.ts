import type { callCreateSchema } from '@agora/proto';
import type { z } from 'zod';

/** What the call form hands its page: a new call's body, also a full patch of a draft. */
export type CallInput = z.input<typeof callCreateSchema>;
