/** A missing or bad environment variable; the process prints one line naming it and exits 1. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`config error: ${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}
