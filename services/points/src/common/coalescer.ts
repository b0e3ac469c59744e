/**
 * Gathers the calls made within one turn of the event loop into one call of `run`, so that the
 * awards of a batch of events, each running its own steps, share one store round trip per step
 * (the events of a batch reach each step together). `run` answers each input, in order.
 */
export class Coalescer<I, O> {
  private waiting: Array<{ input: I; resolve: (o: O) => void; reject: (err: unknown) => void }> =
    [];

  constructor(private readonly run: (inputs: I[]) => Promise<O[]>) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const calls = this.waiting.splice(0);
    this.run(calls.map((c) => c.input)).then(
      (outputs) => calls.forEach((c, i) => c.resolve(outputs[i] as O)),
      (err: unknown) => calls.forEach((c) => c.reject(err)),
    );
  }
}
