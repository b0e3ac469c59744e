/**
 * A sorted sequence kept as a list of small sorted blocks: binary search over blocks, then
 * within one. Inserting or removing moves at most one block (≤ 2·BLOCK entries), so index
 * maintenance stays cheap at 100k+ entries where one flat array would memmove the whole index.
 *
 * It is also an order-statistics structure: a Fenwick tree over the block sizes gives the rank
 * of a position (how many entries precede it) in O(log blocks), so the number of entries
 * between two positions — an index range count — costs two binary searches and two prefix sums,
 * whatever the range's length. Entry inserts and removals update the tree in O(log blocks); a
 * block split or a block emptied rebuilds it in O(blocks), once per ~BLOCK inserts.
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
  /** Fenwick tree (1-based) over `blocks[i].length`. */
  private tree: number[] = [0];

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

  /** How many entries lie before `pos` (its rank); `size` for the end. */
  rank(pos: Position): number {
    if (pos.block >= this.blocks.length) return this.count;
    // prefix sum of the sizes of blocks[0 .. pos.block)
    let sum = 0;
    for (let i = pos.block; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum + pos.index;
  }

  insert(entry: T, cmp: Probe<T>): void {
    this.count++;
    if (this.blocks.length === 0) {
      this.blocks.push([entry]);
      this.rebuildTree();
      return;
    }
    let { block, index } = this.lowerBound(cmp);
    if (block === this.blocks.length) {
      block = this.blocks.length - 1;
      index = this.blocks[block]!.length;
    }
    const b = this.blocks[block]!;
    b.splice(index, 0, entry);
    if (b.length > 2 * BLOCK) {
      this.blocks.splice(block + 1, 0, b.splice(BLOCK));
      this.rebuildTree();
    } else this.addToTree(block, 1);
  }

  removeAt(pos: Position): void {
    const b = this.blocks[pos.block];
    if (!b || pos.index >= b.length) return;
    b.splice(pos.index, 1);
    this.count--;
    if (b.length === 0) {
      this.blocks.splice(pos.block, 1);
      this.rebuildTree();
    } else this.addToTree(pos.block, -1);
  }

  /** Entries from `pos` to the end, in order. */
  *from(pos: Position): Generator<T> {
    for (let bi = pos.block; bi < this.blocks.length; bi++) {
      const b = this.blocks[bi]!;
      for (let i = bi === pos.block ? pos.index : 0; i < b.length; i++) yield b[i]!;
    }
  }

  /** Entries before `pos`, from the nearest back to the first (descending order). */
  *before(pos: Position): Generator<T> {
    let bi = Math.min(pos.block, this.blocks.length);
    let i = bi < this.blocks.length ? pos.index - 1 : -1;
    for (;;) {
      if (i < 0) {
        bi--;
        if (bi < 0) return;
        i = this.blocks[bi]!.length - 1;
        continue;
      }
      yield this.blocks[bi]![i]!;
      i--;
    }
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
    this.tree = [0];
  }

  private addToTree(block: number, delta: number): void {
    const { tree } = this;
    for (let i = block + 1; i < tree.length; i += i & -i) tree[i]! += delta;
  }

  private rebuildTree(): void {
    const n = this.blocks.length;
    const tree = new Array<number>(n + 1).fill(0);
    for (let i = 1; i <= n; i++) {
      tree[i]! += this.blocks[i - 1]!.length;
      const up = i + (i & -i);
      if (up <= n) tree[up]! += tree[i]!;
    }
    this.tree = tree;
  }
}
