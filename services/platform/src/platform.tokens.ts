/** Injection tokens for values that are not classes. */
export const PLATFORM_LOGGER = Symbol('PLATFORM_LOGGER');
