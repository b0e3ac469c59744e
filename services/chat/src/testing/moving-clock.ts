import { Clock } from '@agora/platform';

/** A clock tests move: it runs with real time from `start` plus whatever `advance` added. */
export class MovingClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
