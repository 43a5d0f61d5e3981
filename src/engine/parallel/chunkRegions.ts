// Which chunk of a level a searcher expands next (checkParallel.ts). Each
// searcher has a region, contiguous chunks, and takes them from the region's
// front; once its region is done it takes chunks from the back of the
// largest region left. Neighbouring parents in BFS order share many
// successors (independent steps taken in either order), so a searcher that
// expands contiguous chunks meets most of its candidates' duplicates itself
// and drops them, where alternate chunks made each searcher meet the other's
// states first and encode them as candidates (docs/adr/0017).
export class ChunkRegions {
  /** Per searcher: the next chunk from the front, and the end (exclusive) of what is left. */
  private readonly regions: { lo: number; hi: number }[];

  constructor(numChunks: number, searchers: number) {
    this.regions = Array.from({ length: searchers }, (_, r) => ({ lo: Math.floor((r * numChunks) / searchers), hi: Math.floor(((r + 1) * numChunks) / searchers) }));
  }

  /** The next chunk for searcher `r` (its index among the active ones), below `limit`; -1 when none is left. */
  take(r: number, limit: number): number {
    const home = this.regions[r]!;
    if (home.lo < Math.min(home.hi, limit)) return home.lo++;
    let best: { lo: number; hi: number } | undefined;
    let most = 0;
    for (const region of this.regions) {
      const left = Math.min(region.hi, limit) - region.lo;
      if (left > most) {
        best = region;
        most = left;
      }
    }
    if (best === undefined) return -1;
    best.hi = best.lo + most - 1;
    return best.hi;
  }
}
