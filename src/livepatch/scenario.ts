// A livepatch scenario, as a spec file describes it once loaded and checked:
// functions and their bodies, patches in load order, tasks, what the
// administrator does, the rules in force and the properties to check. The
// YAML loader (src/spec) builds it; the model (model.ts) explores it.
import type { RuleCatalog } from './rules/index.ts';
import type { Assumption } from './liveness.ts';

/** One step of a function body. */
export type Step =
  | { readonly kind: 'call'; readonly fn: string; readonly bind?: string; readonly arg?: string }
  | { readonly kind: 'sleep'; readonly how: SleepKind }
  | { readonly kind: 'fork' }
  /** A preemption point: an interrupt may preempt the task here (preempt_schedule_irq()). */
  | { readonly kind: 'preempt' }
  /** cond_resched(): the task runs on; under rule sched-switch=cond-resched it may switch itself here. */
  | { readonly kind: 'cond_resched' };

/** 'freezable': TASK_INTERRUPTIBLE | TASK_FREEZABLE (wait_event_freezable()); under sched-switch=freezable-sleep the task may switch itself as it goes to sleep. */
export type SleepKind = 'interruptible' | 'uninterruptible' | 'freezable';

export interface FunctionDecl {
  readonly name: string;
  readonly body: readonly Step[];
  /** An asm routine that sets up no stack frame (hides its caller from a naive unwinder). */
  readonly frameless: boolean;
}

export interface PatchDecl {
  readonly name: string;
  /** Replaced functions and their new bodies (the original body where it does not differ). */
  readonly replaces: ReadonlyMap<string, readonly Step[]>;
  /** klp_patch.immediate (v4.12-v4.15). */
  readonly immediate: boolean;
  /** klp_func.immediate per function (v4.12-v4.15). */
  readonly immediateFunctions: ReadonlySet<string>;
  /** klp_patch.replace: atomic replace with NOP entries (v5.1+). */
  readonly replace: boolean;
  /** `formats:` the value format a replaced function's new version returns (data-semantics); unset: inherited. */
  readonly formats?: ReadonlyMap<string, string>;
  /** `accepts:` the argument formats a replaced function's new version accepts (data-semantics); unset: inherited. */
  readonly accepts?: ReadonlyMap<string, readonly string[]>;
}

export type TaskKind = 'user' | 'kthread' | 'idle';

export interface TaskDecl {
  readonly name: string;
  readonly kind: TaskKind;
  /** User tasks: the system calls they may enter, from user mode. */
  readonly syscalls: readonly string[];
  /** Kthreads: the body of their main loop. */
  readonly loop: readonly Step[];
  /** User tasks: may call exit(2) from user mode. */
  readonly exits: boolean;
}

export type AdminStep =
  | { readonly kind: 'enable'; readonly patch: string }
  | { readonly kind: 'disable'; readonly patch: string }
  | { readonly kind: 'reverse' }
  | { readonly kind: 'force' };

export type AnytimeAdmin = 'reverse' | 'force' | 'signal';

export interface AdminDecl {
  /** Done in this order; each step waits until the kernel would accept it. */
  readonly sequence: readonly AdminStep[];
  /** May happen at any moment of a transition. */
  readonly anytime: ReadonlySet<AnytimeAdmin>;
}

/** Rule family name -> variant name. */
export type RuleSettings = { readonly [family: string]: string };

export interface Expectation {
  readonly verdict: 'safe' | 'violated';
  readonly property?: string;
  readonly traceLength?: number;
}

export interface VariantDecl {
  readonly name: string;
  readonly rules: RuleSettings;
  readonly admin?: AdminDecl;
  readonly expect?: Expectation;
}

export interface Scenario {
  readonly title: string;
  readonly file: string;
  /** Plug-in files as the scenario names them (`plugins:`), relative to the scenario file. */
  readonly plugins?: readonly string[];
  /** The rule families with the plug-ins' variants; absent: the built-in ones. */
  readonly catalog?: RuleCatalog;
  /** Plug-in files loaded without a type check (the typescript package is not installed). */
  readonly pluginsNotTypeChecked?: readonly string[];
  readonly rules: RuleSettings;
  readonly functions: ReadonlyMap<string, FunctionDecl>;
  readonly patches: readonly PatchDecl[];
  readonly tasks: readonly TaskDecl[];
  readonly maxForked: number;
  readonly admin: AdminDecl;
  readonly check: readonly string[];
  /** `caller-consistency: [c, ...]` in check: the callers whose activations must call one version of each patched function. */
  readonly callers?: readonly string[];
  /** Fairness assumed for the temporal properties in check (src/livepatch/liveness.ts). */
  readonly assume?: readonly Assumption[];
  readonly expect?: Expectation;
  readonly variants: readonly VariantDecl[];
}
