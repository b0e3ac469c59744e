import { Injectable } from '@nestjs/common';

/**
 * The time source services and repositories read "now" from. PlatformModule provides one; tests pass
 * their own (`PlatformModule.forRoot({ clock })`) to move through days and lock windows.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
