/**
 * A sorted sequence kept as a list of small sorted blocks: binary search over blocks, then
 * within one. Inserting or removing moves at most one block (≤ 2·BLOCK entries), so index
 * maintenance stays cheap at 100k+ entries where one flat array would memmove the whole index.
 */
const BLOCK = 256;

/** `cmp(e)` < 0 when `e` sorts before the target, 0 when equal, > 0 after. */
export type Probe<T> = (e: T) => number;

export interface Position {
  block: number;
  index: number;
}

export class SortedBlocks<T> {
  private blocks: T[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** First position whose entry is not before the target (may be the end). */
  lowerBound(cmp: Probe<T>): Position {
    const { blocks } = this;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid]!;
      if (cmp(b[b.length - 1]!) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === blocks.length) return { block: lo, index: 0 };
    const b = blocks[lo]!;
    let l = 0;
    let h = b.length;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (cmp(b[mid]!) < 0) l = mid + 1;
      else h = mid;
    }
    return { block: lo, index: l };
  }

  at(pos: Position): T | undefined {
    return this.blocks[pos.block]?.[pos.index];
  }

  insert(entry: T, cmp: Probe<T>): void {
    this.count++;
    if (this.blocks.length === 0) {
      this.blocks.push([entry]);
      return;
    }
    let { block, index } = this.lowerBound(cmp);
    if (block === this.blocks.length) {
      block = this.blocks.length - 1;
      index = this.blocks[block]!.length;
    }
    const b = this.blocks[block]!;
    b.splice(index, 0, entry);
    if (b.length > 2 * BLOCK) this.blocks.splice(block + 1, 0, b.splice(BLOCK));
  }

  removeAt(pos: Position): void {
    const b = this.blocks[pos.block];
    if (!b || pos.index >= b.length) return;
    b.splice(pos.index, 1);
    this.count--;
    if (b.length === 0) this.blocks.splice(pos.block, 1);
  }

  /** Entries from `pos` to the end, in order. */
  *from(pos: Position): Generator<T> {
    for (let bi = pos.block; bi < this.blocks.length; bi++) {
      const b = this.blocks[bi]!;
      for (let i = bi === pos.block ? pos.index : 0; i < b.length; i++) yield b[i]!;
    }
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
  }
}
