import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { RpcFailure } from './rpc-failure.js';

/** Validates an RPC payload against its proto schema; invalid → VALIDATION_FAILED with the zod issues. */
export class ZodPayloadPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new RpcFailure(
      'VALIDATION_FAILED',
      'request does not match the contract',
      result.error.issues.map((i) => ({
        path: i.path.map(String),
        code: i.code,
        message: i.message,
      })),
    );
  }
}
