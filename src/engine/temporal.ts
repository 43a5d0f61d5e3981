// Temporal properties and fairness (liveness), as a spec declares them
// (TemporalDefinition, FairnessDefinition) and as the engine checks them
// once the constants are bound (TemporalInstance, FairnessInstance): the
// expansion checks each declaration (KLP120-122). spec.ts re-exports the
// types and calls the expansion from instantiate(); docs/spec-api.md,
// "Temporal properties", and docs/adr/0015-liveness.md say what they mean.
import type { Constants } from './constants.ts';
import { KlpError } from './errors.ts';
import type { ActionInstance, SpecDefinition } from './spec.ts';
import type { StateLike } from './value.ts';

/** A state predicate of a temporal property. */
export type StatePredicate<S, C> = (s: S, c: C) => boolean;

/**
 * One temporal property, TLA+-like: `<>P` (eventually), `[]<>P`
 * (alwaysEventually) or `P ~> Q` (leadsTo, i.e. `[](P => <>Q)`). Exactly one
 * of the three keys is given.
 */
export type TemporalDefinition<S, C> = { readonly description: string; /** TLA+ text shown in reports; default `<>P`, `[]<>P`, `P ~> Q`. */ readonly formula?: string } & (
  | { readonly eventually: StatePredicate<S, C> }
  | { readonly alwaysEventually: StatePredicate<S, C> }
  | { readonly leadsTo: { readonly from: StatePredicate<S, C>; readonly to: StatePredicate<S, C> } }
);

export type TemporalKind = 'eventually' | 'alwaysEventually' | 'leadsTo';

/**
 * Fairness of one named action: `weak` is TLC's WF_vars(A), `strong` SF_vars(A).
 * With `perParam`, each instance `A(p)` gets its own condition (TLC's
 * `\A p: WF_vars(A(p))`); without it, the condition is on `\E p: A(p)`.
 */
export interface FairnessDefinition {
  readonly kind: 'weak' | 'strong';
  readonly action: string;
  readonly perParam?: boolean;
}

/** A temporal property with its constants bound. */
export interface TemporalInstance<S> {
  readonly name: string;
  readonly description: string;
  readonly kind: TemporalKind;
  /** The P of `<>P`, `[]<>P`, `P ~> Q`. */
  readonly p: (s: S) => boolean;
  /** The Q of `P ~> Q`; undefined for the other kinds. */
  readonly q: ((s: S) => boolean) | undefined;
  /** TLA+ text, e.g. `<>(pc = 2)`; `<>P`, `[]<>P` or `P ~> Q` when the spec gives none. */
  readonly formula: string;
}

/** One fairness condition over action instances (indices into Model.actions). */
export interface FairnessInstance {
  readonly kind: 'weak' | 'strong';
  /** `WF(Next)` or `SF(Grant(p1))`. */
  readonly label: string;
  readonly instances: readonly number[];
}

/** Declared temporal properties that a selection leaves out (they are reported as not checked, KLP504). */
export function leftOut<S extends StateLike, C extends Constants>(def: SpecDefinition<S, C>, requested: readonly string[] | undefined): { temporalLeftOut?: readonly string[] } {
  if (requested === undefined) return {};
  const out = Object.keys(def.properties ?? {}).filter((n) => !requested.includes(n));
  return out.length === 0 ? {} : { temporalLeftOut: out };
}

export function expandTemporal<S extends StateLike, C extends Constants>(def: SpecDefinition<S, C>, c: C, requested: readonly string[] | undefined): TemporalInstance<S>[] {
  const all = def.properties ?? {};
  const names = requested ?? Object.keys(all);
  return names.map((name) => {
    const t = all[name];
    if (t === undefined) {
      const known = Object.keys(all);
      throw new KlpError('KLP120', `spec ${def.name} has no temporal property ${name}`, {
        hints: [known.length === 0 ? 'it declares no temporal properties' : `its temporal properties are: ${known.join(', ')}`],
      });
    }
    const given = (['eventually', 'alwaysEventually', 'leadsTo'] as const).filter((k) => k in t);
    if (given.length !== 1) {
      throw new KlpError('KLP121', `temporal property ${name} of spec ${def.name} must give exactly one of eventually, alwaysEventually, leadsTo`);
    }
    const bind = (f: unknown, what: string): ((s: S) => boolean) => {
      if (typeof f !== 'function') throw new KlpError('KLP121', `${what} of temporal property ${name} of spec ${def.name} must be a function (s, c) => boolean`);
      const g = f as StatePredicate<S, C>;
      return (s: S) => g(s, c) === true;
    };
    const formula = (dflt: string): string => (typeof t.formula === 'string' ? t.formula : dflt);
    if ('eventually' in t) return { name, description: t.description, kind: 'eventually', p: bind(t.eventually, 'eventually'), q: undefined, formula: formula('<>P') };
    if ('alwaysEventually' in t) return { name, description: t.description, kind: 'alwaysEventually', p: bind(t.alwaysEventually, 'alwaysEventually'), q: undefined, formula: formula('[]<>P') };
    const lt = t.leadsTo as { from?: unknown; to?: unknown } | undefined;
    if (typeof lt !== 'object' || lt === null) throw new KlpError('KLP121', `leadsTo of temporal property ${name} of spec ${def.name} must be { from, to }`);
    return { name, description: t.description, kind: 'leadsTo', p: bind(lt.from, 'leadsTo.from'), q: bind(lt.to, 'leadsTo.to'), formula: formula('P ~> Q') };
  });
}

export function expandFairness<S>(specName: string, given: readonly FairnessDefinition[], actions: readonly ActionInstance<S>[]): FairnessInstance[] {
  const out: FairnessInstance[] = [];
  for (const f of given) {
    if (f.kind !== 'weak' && f.kind !== 'strong') throw new KlpError('KLP122', `fairness of ${String(f.action)} in spec ${specName}: kind must be weak or strong`);
    const indices: number[] = [];
    actions.forEach((a, i) => {
      if (a.action === f.action) indices.push(i);
    });
    if (indices.length === 0) {
      const known = [...new Set(actions.map((a) => a.action))];
      throw new KlpError('KLP122', `fairness names action ${String(f.action)}, which spec ${specName} does not have`, { hints: [`its actions are: ${known.join(', ')}`] });
    }
    const tag = f.kind === 'weak' ? 'WF' : 'SF';
    if (f.perParam === true) for (const i of indices) out.push({ kind: f.kind, label: `${tag}(${actions[i]!.label})`, instances: [i] });
    else out.push({ kind: f.kind, label: `${tag}(${f.action})`, instances: indices });
  }
  return out;
}
