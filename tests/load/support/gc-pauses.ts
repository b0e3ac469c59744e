// The GC pauses a benchmarked server reports through `servers/gc-pauses.mjs`, read off its output.

/** One garbage collection of 1 ms or more in a server process. */
export interface GcPause {
  process: string;
  /** Start, ms since the epoch. */
  at: number;
  ms: number;
}

/** Collects `GC_PAUSE <at> <ms>` lines of one process's output, fed chunk by chunk. */
export function gcPauseReader(process: string): {
  pauses: GcPause[];
  feed: (text: string) => void;
} {
  const pauses: GcPause[] = [];
  let partial = '';
  return {
    pauses,
    feed: (text) => {
      // Whole lines only: a chunk may end inside one.
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        const m = /^GC_PAUSE ([\d.]+) ([\d.]+)$/.exec(l);
        if (m) pauses.push({ process, at: Number(m[1]), ms: Number(m[2]) });
      }
    },
  };
}
