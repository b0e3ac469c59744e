/** One address, one account: trim and lower-case before storing or looking up. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
