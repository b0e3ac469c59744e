import { Injectable } from '@nestjs/common';

/** The time source; tests pass a fake to move through days and lock windows. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
