// A deliberately simple reference explorer: breadth-first search with a plain
// JS Map keyed by a canonical string of each state (no fingerprints, no typed
// arrays, no parent-link compaction). It shares only the spec API with the real
// engine, so the differential test can compare the two on the same model.
// Semantics follow TLC: states generated = initial states + every successor
// computed; states outside the constraint are invariant-checked but neither
// stored nor expanded; a deadlock is an expanded state with no successor.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import type { Model } from '../../src/engine/spec.ts';

export interface ReferenceResult {
  distinct: number;
  generated: number;
  depth: number;
  violation?: { kind: 'invariant' | 'deadlock'; name?: string; traceLength: number };
}

/** Canonical text of a value: collections sorted, every kind tagged. */
export function canon(v: unknown): string {
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'bigint') return `n${v}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (Record.isRecord(v)) {
    const parts = [...v.toSeq().entries()].map(([k, x]) => `${String(k)}=${canon(x)}`);
    return `R{${parts.join(',')}}`;
  }
  if (List.isList(v)) return `L[${[...(v as List<unknown>)].map(canon).join(',')}]`;
  if (ISet.isSet(v)) return `S{${[...(v as ISet<unknown>)].map(canon).sort().join(',')}}`;
  if (IMap.isMap(v)) {
    const parts = [...(v as IMap<unknown, unknown>).entries()].map(([k, x]) => `${canon(k)}:${canon(x)}`);
    return `M{${parts.sort().join(',')}}`;
  }
  throw new TypeError(`cannot canonicalise ${String(v)}`);
}

function successorsOf(r: unknown): unknown[] {
  if (r === null || r === undefined || r === false) return [];
  return Array.isArray(r) ? r : [r];
}

export function exploreReference<S>(model: Model<S>): ReferenceResult {
  const seen = new Map<string, { parent: string | undefined; depth: number }>();
  const key = (s: S): string => canon(model.view ? model.view(s) : s);
  const inModel = (s: S): boolean => (model.constraint ? model.constraint(s) : true);
  const badInvariant = (s: S): string | undefined => model.invariants.find((i) => !i.holds(s))?.name;
  let generated = 0;
  let depth = 0;
  let queue: S[] = [];
  const lengthOf = (k: string): number => seen.get(k)!.depth;
  const finish = (violation?: ReferenceResult['violation']): ReferenceResult => ({ distinct: seen.size, generated, depth, ...(violation ? { violation } : {}) });

  for (const s of model.initStates()) {
    generated++;
    const bad = badInvariant(s);
    if (bad !== undefined) {
      if (inModel(s) && !seen.has(key(s))) seen.set(key(s), { parent: undefined, depth: 1 });
      return finish({ kind: 'invariant', name: bad, traceLength: 1 });
    }
    if (!inModel(s)) continue;
    const k = key(s);
    if (seen.has(k)) continue;
    seen.set(k, { parent: undefined, depth: 1 });
    depth = 1;
    queue.push(s);
  }
  while (queue.length > 0) {
    const next: S[] = [];
    for (const s of queue) {
      const sk = key(s);
      let any = false;
      for (const a of model.actions) {
        for (const t of successorsOf(a.next(s)) as S[]) {
          any = true;
          generated++;
          if (!inModel(t)) {
            const bad = badInvariant(t);
            if (bad !== undefined) return finish({ kind: 'invariant', name: bad, traceLength: lengthOf(sk) + 1 });
            continue;
          }
          const tk = key(t);
          if (seen.has(tk)) continue;
          const d = lengthOf(sk) + 1;
          seen.set(tk, { parent: sk, depth: d });
          depth = Math.max(depth, d);
          const bad = badInvariant(t);
          if (bad !== undefined) return finish({ kind: 'invariant', name: bad, traceLength: d });
          next.push(t);
        }
      }
      if (!any && model.checkDeadlock) return finish({ kind: 'deadlock', traceLength: lengthOf(sk) });
    }
    queue = next;
  }
  return finish();
}
