/**
 * The time zones the profile offers: the runtime's IANA list, with the member's own first if the
 * runtime does not know it (an older browser), so saving the form never changes it unasked.
 */
export function timeZoneOptions(
  current: string,
  supported: () => string[] = () => Intl.supportedValuesOf('timeZone'),
): string[] {
  let all: string[];
  try {
    all = supported();
  } catch {
    return [current];
  }
  return all.includes(current) ? all : [current, ...all];
}
