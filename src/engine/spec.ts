// The spec API: what a user writes (SpecDefinition, via defineSpec) and what the
// engine runs (Model, via instantiate). A spec is the TypeScript counterpart of a
// TLA+ module plus its .cfg: constants with defaults, Init, named actions whose
// parameters range over finite sets (so a step reads `Call(t2, bar)`), named
// invariants (each with an optional premise), named cover goals (both for the
// vacuity warnings), and the optional CONSTRAINT, CHECK_DEADLOCK and VIEW.
// Temporal properties and fairness are declared here and expanded by
// temporal.ts.
import { KlpError, type WarningCode } from './errors.ts';
import type { CheckWarning } from './result.ts';
import type { StateLike, Value } from './value.ts';
import { variablesOf } from './value.ts';
import { formatValue } from './tlaText.ts';

import { bindConstants, type ConstantValue, type Constants } from './constants.ts';
import { expandFairness, expandTemporal, leftOut, type FairnessDefinition, type FairnessInstance, type TemporalDefinition, type TemporalInstance } from './temporal.ts';

export type { ConstantRecord, ConstantValue, Constants } from './constants.ts';
export type { FairnessDefinition, FairnessInstance, StatePredicate, TemporalDefinition, TemporalInstance, TemporalKind } from './temporal.ts';

/** What an action returns: one successor, several, or nothing (disabled). */
export type Successors<S> = S | readonly S[] | null | undefined | false;

/** A parameter domain: a fixed list, or one computed from the constants. */
export type ParamDomain<C> = readonly Value[] | ((c: C) => Iterable<Value>);

/** The parameter values an action instance receives, by parameter name. */
export type ParamValues = { readonly [name: string]: Value };

/** An action without parameters is just its next-state function. */
export type SimpleAction<S, C> = (s: S, c: C) => Successors<S>;

/** An action with parameters drawn from finite sets. */
export interface ParamAction<S, C> {
  params: { readonly [name: string]: ParamDomain<C> };
  /** Declared as a method so a spec may annotate `p` with its precise shape. */
  next(s: S, p: ParamValues, c: C): Successors<S>;
}

export type ActionDefinition<S, C> = SimpleAction<S, C> | ParamAction<S, C>;

export interface InvariantDefinition<S, C> {
  /** One line a reviewer understands. */
  description: string;
  holds(s: S, c: C): boolean;
  /** Optional: one sentence saying why a state violates it (which task, frame, version). */
  explain?(s: S, c: C): string;
  /**
   * Optional: a state where the invariant has something to check. If no state
   * the search evaluates satisfies it, "no violation" is vacuous (KLP503).
   */
  premise?(s: S, c: C): boolean;
  /** What the premise says, for the warning; default "its premise". */
  premiseText?: string;
}

/**
 * A reachability goal: some state the search evaluates must satisfy `holds`,
 * else the run warns (KLP502) "<description> is never reached".
 */
export interface CoverDefinition<S, C> {
  description: string;
  holds(s: S, c: C): boolean;
  /** Another warning than KLP502 when no state reaches it (the livepatch model's KLP505). */
  unreached?: CoverWarning;
}

/** The warning of a cover goal no state reached; `text` is given " in the states explored" or "". */
export interface CoverWarning {
  readonly code: WarningCode;
  text(where: string): string;
}

export interface SpecDefinition<S extends StateLike, C extends Constants> {
  name: string;
  description?: string;
  /**
   * Constants and their defaults; `--const NAME=VALUE` overrides them. A default
   * is also the constant's type (checked deeply); sets are arrays, deduplicated
   * and sorted in TLC's order before the spec sees them (src/engine/constants.ts).
   */
  constants: C;
  /** Variable order for printing; defaults to the Record's field order. */
  variables?: readonly string[];
  init(c: C): Iterable<S>;
  actions: { readonly [name: string]: ActionDefinition<S, C> };
  invariants?: { readonly [name: string]: InvariantDefinition<S, C> };
  /** Named reachability goals (vacuity checks): each must be reached by some state. */
  covers?: { readonly [name: string]: CoverDefinition<S, C> };
  /** Invariants checked when the command line names none; default: all. */
  checkInvariants?: readonly string[];
  /** TLC's CONSTRAINT: states outside it are neither stored nor expanded. */
  constraint?(s: S, c: C): boolean;
  /** TLC's CHECK_DEADLOCK; default true. */
  checkDeadlock?: boolean;
  /** TLC's VIEW: only this part of a state is fingerprinted. */
  view?(s: S, c: C): Value;
  /**
   * Symmetry reduction (TLC's SYMMETRY): the canonical representative of the
   * class of states equal up to renaming interchangeable things (tasks with
   * the same program, ...). The search stores one state per class; traces
   * are still made of real states. Every invariant must be symmetric (give
   * the same answer on every member of a class), else the reduction hides
   * violations. Not sound for liveness in general, as in TLC.
   */
  symmetry?(s: S, c: C): S;
  /** Partial-order reduction (ample sets); see PartialOrderDefinition. */
  partialOrder?: PartialOrderDefinition<S, C>;
  // --- temporal properties and fairness (liveness; docs/spec-api.md "Temporal properties")
  /** Temporal properties, checked on the whole state graph under `fairness`. */
  properties?: { readonly [name: string]: TemporalDefinition<S, C> };
  /** Fairness of named actions, TLC's WF_vars(A) / SF_vars(A); a function of the constants to let `--const` choose it. */
  fairness?: readonly FairnessDefinition[] | ((c: C) => readonly FairnessDefinition[]);
  /**
   * The fairness in the spec's own words, for the warning when it is assumed
   * but no temporal property uses it (KLP506); default: its conditions. Set,
   * it also makes that warning fire when the conditions are empty.
   */
  fairnessText?: string;
  // --- end temporal
  /**
   * Warnings known before any state is explored (the livepatch model's
   * KLP507, a plug-in loaded without a type check); every run that finds no
   * violation reports them.
   */
  knownWarnings?: readonly CheckWarning[];
}

/**
 * Partial-order reduction for safety (docs/adr/0018-partial-order-reduction.md):
 * action instances belong to processes; at a state the spec may name one
 * process whose enabled instances form an ample set. The spec guarantees
 * C0-C2 (that process has an enabled instance; no instance outside it that
 * depends on one inside can fire first on any path; every instance inside is
 * invisible to the invariants, their premises and the cover goals); the
 * engine adds C3 (the cycle proviso: it expands fully whenever an ample
 * successor is no deeper than the state expanded), unless the spec declares
 * `cycleFree`. Not used by the liveness pass.
 */
export interface PartialOrderDefinition<S, C> {
  /** The process an action instance belongs to (by its parameters, in declaration order); undefined: none. */
  process(action: string, params: readonly Value[], c: C): string | undefined;
  /** A process whose enabled instances at `s` are an ample set, or undefined to expand `s` fully. */
  ample(s: S, c: C): string | undefined;
  /**
   * Optional: the spec proves that steps of ample sets alone never close a
   * cycle (every cycle of the reduced graph has a fully expanded state), so
   * C3 holds without the engine's depth proviso, which is then skipped.
   */
  cycleFree?: boolean;
}

/** An ample set as the search uses it: every action index, the ample ones first, how many those are, and whether C3 holds statically. */
export interface AmpleOrder {
  readonly order: readonly number[];
  readonly size: number;
  readonly cycleFree: boolean;
}


/** Brand so the loader can tell a spec from any other default export. */
export const SPEC_BRAND: unique symbol = Symbol.for('klpcheck.spec');

export interface Spec<S extends StateLike = StateLike, C extends Constants = Constants> {
  readonly [SPEC_BRAND]: true;
  readonly definition: SpecDefinition<S, C>;
}

/** Declares a spec; a spec module default-exports the result. */
export function defineSpec<S extends StateLike, C extends Constants>(definition: SpecDefinition<S, C>): Spec<S, C> {
  return { [SPEC_BRAND]: true, definition };
}

export function isSpec(x: unknown): x is Spec {
  return typeof x === 'object' && x !== null && (x as { [SPEC_BRAND]?: unknown })[SPEC_BRAND] === true;
}

// ---------------------------------------------------------------------------
// The instantiated model the engine explores.

/** One action with its parameters fixed: what a trace step names. */
export interface ActionInstance<S> {
  readonly action: string;
  readonly params: readonly Value[];
  /** `Name` or `Name(p1, p2)`, values in TLA+ syntax. */
  readonly label: string;
  next(s: S): Successors<S>;
}

export interface InvariantInstance<S> {
  readonly name: string;
  readonly description: string;
  holds(s: S): boolean;
  explain(s: S): string | undefined;
  premise?: (s: S) => boolean;
  premiseText?: string;
}

export interface CoverInstance<S> {
  readonly name: string;
  readonly description: string;
  holds(s: S): boolean;
  readonly unreached?: CoverWarning;
}

export interface Model<S = StateLike> {
  readonly name: string;
  readonly constants: Constants;
  readonly variables: readonly string[];
  /** The initial states; stops early (returning those built so far) once `stop()` is true. */
  initStates(stop?: () => boolean): S[];
  readonly actions: readonly ActionInstance<S>[];
  readonly invariants: readonly InvariantInstance<S>[];
  /** Reachability goals; none when undefined. */
  readonly covers?: readonly CoverInstance<S>[];
  /**
   * Set when instantiate() stopped expanding actions because `shouldStop`
   * said so (the --timeout deadline): the model is partial and a search of
   * it ends at once, incomplete.
   */
  readonly constructionStopped?: boolean;
  readonly constraint: ((s: S) => boolean) | undefined;
  readonly view: ((s: S) => unknown) | undefined;
  /** The canonical representative of a state's symmetry class (SpecDefinition.symmetry). */
  readonly symmetry?: ((s: S) => S) | undefined;
  /** Partial-order reduction (SpecDefinition.partialOrder): the ample set at a state, or undefined to expand it fully. */
  readonly ample?: ((s: S) => AmpleOrder | undefined) | undefined;
  readonly checkDeadlock: boolean;
  /** Temporal properties to check (liveness); empty when the spec has none or none was selected. */
  readonly temporal: readonly TemporalInstance<S>[];
  /** Temporal properties the spec declares but the selection (InstantiateOptions.properties) left out. */
  readonly temporalLeftOut?: readonly string[];
  readonly fairness: readonly FairnessInstance[];
  /** SpecDefinition.fairnessText. */
  readonly fairnessText?: string;
  /** SpecDefinition.knownWarnings. */
  readonly knownWarnings?: readonly CheckWarning[];
}

export interface InstantiateOptions {
  /** Constant overrides, already parsed. */
  constants?: { readonly [name: string]: ConstantValue };
  /** Invariants to check (names); default: the spec's checkInvariants or all. */
  invariants?: readonly string[];
  /** Overrides the spec's checkDeadlock. */
  checkDeadlock?: boolean;
  /** Polled while expanding actions; true stops instantiation (see Model.constructionStopped). */
  shouldStop?: () => boolean;
  /** Temporal properties to check (names); default: all; [] checks none. */
  properties?: readonly string[];
}

/** Binds constants and expands parameterised actions into instances. */
export function instantiate<S extends StateLike, C extends Constants>(spec: Spec<S, C>, options: InstantiateOptions = {}): Model<S> {
  const def = spec.definition;
  const c = bindConstants(def.name, def.constants, options.constants ?? {}) as C;
  const stop = { asked: options.shouldStop ?? (() => false), stopped: false };
  const actions = expandActions(def, c, stop);
  const invariants = selectInvariants(def, c, options.invariants);
  const covers: CoverInstance<S>[] = Object.entries(def.covers ?? {}).map(([name, cover]) => ({
    name,
    description: cover.description,
    holds: (s: S) => cover.holds(s, c),
    ...(cover.unreached === undefined ? {} : { unreached: cover.unreached }),
  }));
  const constraint = def.constraint;
  const view = def.view;
  const symmetry = def.symmetry;
  let variables = def.variables;
  const model: Model<S> = {
    name: def.name,
    constants: c,
    get variables(): readonly string[] {
      if (variables === undefined) {
        const first = guard(def.name, 'Init', () => [...def.init(c)][0]);
        variables = first === undefined ? [] : variablesOf(first);
      }
      return variables;
    },
    initStates: (until?: () => boolean) => guard(def.name, 'Init', () => collectInits(def.init(c), until)),
    actions,
    invariants,
    covers,
    ...(stop.stopped ? { constructionStopped: true } : {}),
    constraint: constraint === undefined ? undefined : (s: S) => constraint.call(def, s, c),
    view: view === undefined ? undefined : (s: S) => view.call(def, s, c),
    ...(symmetry === undefined ? {} : { symmetry: (s: S) => symmetry.call(def, s, c) }),
    ...(def.partialOrder === undefined ? {} : { ample: ampleSets(def.name, def.partialOrder, c, actions) }),
    checkDeadlock: options.checkDeadlock ?? def.checkDeadlock ?? true,
    temporal: expandTemporal(def, c, options.properties),
    ...leftOut(def, options.properties),
    fairness: expandFairness(def.name, typeof def.fairness === 'function' ? guard(def.name, 'fairness', () => (def.fairness as (c: C) => readonly FairnessDefinition[])(c)) : (def.fairness ?? []), actions),
    ...(def.fairnessText === undefined ? {} : { fairnessText: def.fairnessText }),
    ...(def.knownWarnings === undefined || def.knownWarnings.length === 0 ? {} : { knownWarnings: def.knownWarnings }),
  };
  return model;
}

/** Each process's ample order (its instances first, then the rest in declaration order), built once. */
function ampleSets<S, C>(specName: string, po: PartialOrderDefinition<S, C>, c: C, actions: readonly ActionInstance<S>[]): (s: S) => AmpleOrder | undefined {
  const members = new Map<string, number[]>();
  actions.forEach((a, i) => {
    const p = guard(specName, `the process of ${a.label}`, () => po.process(a.action, a.params, c));
    if (p === undefined) return;
    const list = members.get(p);
    if (list === undefined) members.set(p, [i]);
    else list.push(i);
  });
  const orders = new Map<string, AmpleOrder>();
  for (const [p, mine] of members) {
    const inside = new Set(mine);
    orders.set(p, { order: [...mine, ...actions.map((_, i) => i).filter((i) => !inside.has(i))], size: mine.length, cycleFree: po.cycleFree === true });
  }
  return (s) => {
    const p = guard(specName, 'the ample set', () => po.ample(s, c));
    return p === undefined ? undefined : orders.get(p);
  };
}

/** Spreads the initial states, polling `until` every 256 of them. */
function collectInits<S>(init: Iterable<S>, until: (() => boolean) | undefined): S[] {
  if (until === undefined) return [...init];
  const out: S[] = [];
  for (const s of init) {
    out.push(s);
    if ((out.length & 255) === 0 && until()) break;
  }
  return out;
}

function expandActions<S extends StateLike, C extends Constants>(
  def: SpecDefinition<S, C>,
  c: C,
  stop: { asked: () => boolean; stopped: boolean } = { asked: () => false, stopped: false },
): ActionInstance<S>[] {
  const out: ActionInstance<S>[] = [];
  for (const [name, action] of Object.entries(def.actions)) {
    if (stop.stopped || (stop.stopped = stop.asked())) break;
    if (typeof action === 'function') {
      out.push({ action: name, params: [], label: name, next: (s) => action(s, c) });
      continue;
    }
    if (typeof action !== 'object' || action === null || typeof action.next !== 'function') {
      throw new KlpError('KLP104', `action ${name} of spec ${def.name} must be a function or { params, next }`);
    }
    const names = Object.keys(action.params);
    const domains = names.map((p) => {
      const d = action.params[p]!;
      return guard(def.name, `the domain of parameter ${p} of ${name}`, () => [...(typeof d === 'function' ? d(c) : d)]);
    });
    for (const combo of cartesian(domains)) {
      if ((out.length & 1023) === 1023 && (stop.stopped = stop.asked())) break;
      const bag: { [k: string]: Value } = {};
      names.forEach((p, i) => (bag[p] = combo[i]!));
      const frozen: ParamValues = Object.freeze(bag);
      out.push({
        action: name,
        params: combo,
        label: `${name}(${combo.map((v) => formatValue(v)).join(', ')})`,
        next: (s) => action.next(s, frozen, c),
      });
    }
  }
  return out;
}

function* cartesian(domains: readonly (readonly Value[])[]): Generator<Value[]> {
  if (domains.length === 0) {
    yield [];
    return;
  }
  const [head, ...rest] = domains;
  for (const v of head!) for (const tail of cartesian(rest)) yield [v, ...tail];
}

function selectInvariants<S extends StateLike, C extends Constants>(
  def: SpecDefinition<S, C>,
  c: C,
  requested: readonly string[] | undefined,
): InvariantInstance<S>[] {
  const all = def.invariants ?? {};
  const names = requested ?? def.checkInvariants ?? Object.keys(all);
  return names.map((name) => {
    const inv = all[name];
    if (inv === undefined) {
      const known = Object.keys(all);
      throw new KlpError('KLP107', `spec ${def.name} has no invariant ${name}`, {
        hints: [known.length === 0 ? 'it declares no invariants' : `its invariants are: ${known.join(', ')}`],
      });
    }
    const explain = inv.explain;
    const premise = inv.premise;
    return {
      name,
      description: inv.description,
      holds: (s: S) => inv.holds(s, c),
      explain: (s: S) => (explain === undefined ? undefined : explain.call(inv, s, c)),
      ...(premise === undefined ? {} : { premise: (s: S) => premise.call(inv, s, c) }),
      ...(inv.premiseText === undefined ? {} : { premiseText: inv.premiseText }),
    };
  });
}

/** Runs user code, turning a throw into KLP108 naming what was being evaluated. */
export function guard<T>(specName: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KlpError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new KlpError('KLP108', `spec ${specName} threw while evaluating ${what}: ${msg}`, { cause: e });
  }
}
