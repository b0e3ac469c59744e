/** Retries an assertion every 10 ms until it passes, or rethrows its last failure after `ms`. */
export async function until<T>(check: () => T, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
