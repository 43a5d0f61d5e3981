// Which chunk of a level a searcher expands next (checkParallel.ts). A
// searcher claims a stripe of contiguous chunks at a time, in frontier order,
// and takes its chunks front to back; when no stripe is left it takes chunks
// from the back of the largest stripe another searcher still has.
// Neighbouring parents in BFS order share many successors (independent steps
// taken in either order), so a searcher that expands contiguous chunks meets
// most of its candidates' duplicates itself and drops them, where alternate
// chunks made each searcher meet the other's states first and encode them as
// candidates (docs/adr/0017). A stripe is a searcher's share of the level
// (the level cut in as many stripes as searchers), at most STRIPE_MAX chunks:
// chunks are merged in frontier order, so a searcher's answers (their
// candidates included) wait on the coordinator for every chunk before
// them, a stripe or two and not half of a large level.
export const STRIPE_MAX = 64;

export class ChunkStripes {
  /** Per searcher: its stripe's next chunk from the front, and the stripe's end (exclusive). */
  private readonly stripes: { lo: number; hi: number }[];
  /** The first chunk no searcher has claimed. */
  private next = 0;
  private readonly numChunks: number;
  private readonly stripe: number;

  constructor(numChunks: number, searchers: number) {
    this.numChunks = numChunks;
    this.stripe = Math.max(1, Math.min(STRIPE_MAX, Math.ceil(numChunks / searchers)));
    this.stripes = Array.from({ length: searchers }, () => ({ lo: 0, hi: 0 }));
  }

  /** The next chunk for searcher `r` (its index among the active ones), below `limit`; -1 when none is left. */
  take(r: number, limit: number): number {
    const own = this.stripes[r]!;
    if (own.lo < Math.min(own.hi, limit)) return own.lo++;
    if (this.next < Math.min(this.numChunks, limit)) {
      own.lo = this.next + 1;
      own.hi = this.next = Math.min(this.numChunks, this.next + this.stripe);
      return own.lo - 1;
    }
    let best: { lo: number; hi: number } | undefined;
    let most = 0;
    for (const stripe of this.stripes) {
      const left = Math.min(stripe.hi, limit) - stripe.lo;
      if (left > most) {
        best = stripe;
        most = left;
      }
    }
    if (best === undefined) return -1;
    best.hi = best.lo + most - 1;
    return best.hi;
  }
}
