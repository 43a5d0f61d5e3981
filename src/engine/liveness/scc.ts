// Strongly connected components of a subgraph of the behaviour graph, by
// Tarjan's algorithm written with an explicit stack (no recursion, so a
// million-state chain does not overflow the JS stack). The subgraph is the set
// of nodes v with member[v] === stamp; edges leaving it are ignored. Every
// node is its own cycle through stuttering, so every component counts, even a
// single node without a self-edge.

export interface Adjacency {
  readonly edgeStart: Int32Array;
  readonly edgeTo: Int32Array;
}

/** Reusable work arrays for one graph size, so the refinement loop does not reallocate. */
export class SccScratch {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
  readonly edgePtr: Int32Array;
  readonly callStack: Int32Array;
  readonly stack: Int32Array;

  constructor(size: number) {
    this.index = new Int32Array(size).fill(-1);
    this.low = new Int32Array(size);
    this.onStack = new Uint8Array(size);
    this.edgePtr = new Int32Array(size);
    this.callStack = new Int32Array(size);
    this.stack = new Int32Array(size);
  }

  get bytes(): number {
    return this.index.byteLength * 5 + this.onStack.byteLength;
  }
}

/** Calls `onComponent` with each SCC of the nodes `nodes` (all stamped `stamp` in `member`). */
export function forEachScc(g: Adjacency, nodes: ArrayLike<number>, member: Int32Array, stamp: number, scratch: SccScratch, onComponent: (component: number[]) => void): void {
  const { index, low, onStack, edgePtr, callStack, stack } = scratch;
  const { edgeStart, edgeTo } = g;
  for (let i = 0; i < nodes.length; i++) index[nodes[i]!] = -1;
  let counter = 0;
  let sp = 0;
  for (let i = 0; i < nodes.length; i++) {
    const root = nodes[i]!;
    if (index[root] !== -1) continue;
    let cp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    edgePtr[root] = edgeStart[root]!;
    callStack[cp++] = root;
    while (cp > 0) {
      const v = callStack[cp - 1]!;
      const e = edgePtr[v]!;
      if (e < edgeStart[v + 1]!) {
        edgePtr[v] = e + 1;
        const w = edgeTo[e]!;
        if (member[w] !== stamp) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          edgePtr[w] = edgeStart[w]!;
          callStack[cp++] = w;
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      cp--;
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        onComponent(component);
      }
      if (cp > 0) {
        const u = callStack[cp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }
}
