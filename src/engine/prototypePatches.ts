// Methods the engine puts on Immutable.js prototypes in place of Immutable's
// own (mapFast.ts, keyPathFast.ts), each kept with the one it replaced, so
// that a test can run the same operations with Immutable's own methods back
// in place and compare the results.
export class PrototypePatches {
  /** Every method replaced: its prototype, its name, Immutable's own and ours. */
  private readonly replaced: { readonly proto: { [name: string]: unknown }; readonly name: string; readonly own: unknown; readonly ours: unknown }[] = [];

  /** Puts `ours` on `proto` as `name`, keeping what was there. */
  replace(proto: object, name: string, ours: unknown): void {
    const p = proto as { [name: string]: unknown };
    this.replaced.push({ proto: p, name, own: p[name], ours });
    p[name] = ours;
  }

  /** Runs `f` with Immutable's own methods back in place. */
  withOwn<T>(f: () => T): T {
    for (const r of this.replaced) r.proto[r.name] = r.own;
    try {
      return f();
    } finally {
      for (const r of this.replaced) r.proto[r.name] = r.ours;
    }
  }

  /** How many methods are replaced. */
  get size(): number {
    return this.replaced.length;
  }
}
