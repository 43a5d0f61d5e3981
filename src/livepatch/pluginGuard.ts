// The boundary between the model and a plug-in's code at run time. Every
// call into a plug-in variant goes through a guard that (1) turns a throw
// into KLP407 naming the plug-in file, the variant and the hook, and (2)
// checks the returned value each time (KLP408): a patch state outside
// UNDEFINED/UNPATCHED/PATCHED/IDLE, a stack that is not a list of frames, a
// version list that is not a list of strings. model.ts adds the action and
// the state being expanded (inAction). Built-in variants are not guarded.
import { KlpError, type SourceLocation } from '../engine/errors.ts';
import type { ActionDefinition } from '../engine/spec.ts';
import { formatValue } from '../engine/tlaText.ts';
import type { ChildState, ChildStackVariant, ForkVariant, FrameView, PatchStateName, StackCheckVariant, StackTraceView, UnwinderVariant } from './plugin.ts';

export const PATCH_STATES: readonly PatchStateName[] = ['UNDEFINED', 'UNPATCHED', 'PATCHED', 'IDLE'];

/** A plug-in failing at run time; carries what model.ts needs to name the action. */
export class PluginFault extends KlpError {
  readonly withAction: boolean;
  constructor(code: 'KLP407' | 'KLP408', message: string, options: { location: SourceLocation; hints?: readonly string[]; cause?: unknown; withAction?: boolean }) {
    super(code, message, options);
    this.withAction = options.withAction ?? false;
  }

  /** The same fault, saying which action instance of the search called the plug-in and in which state. */
  inAction(action: string, state: string): PluginFault {
    return new PluginFault(this.code as 'KLP407' | 'KLP408', `${this.message}, during ${action}`, {
      location: this.location!,
      hints: [...this.hints, `in state ${state}`],
      cause: this.cause,
      withAction: true,
    });
  }
}

export interface GuardSite {
  /** The plug-in file as the scenario names it. */
  readonly file: string;
  readonly family: string;
  readonly variant: string;
}

/** A short text of any value, for messages. */
export function shown(v: unknown): string {
  let text: string;
  try {
    text = v === undefined ? 'undefined' : typeof v === 'function' ? 'a function' : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Where in the plug-in file the throw happened, from the error's stack (tsx maps it to the .ts source). */
function throwSite(site: GuardSite, path: string, e: unknown): SourceLocation {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    const i = line.indexOf(path);
    if (i < 0) continue;
    const m = /^:(\d+):(\d+)/.exec(line.slice(i + path.length));
    if (m !== null) return { file: site.file, line: Number(m[1]), col: Number(m[2]) };
  }
  return { file: site.file };
}

function call<T>(site: GuardSite, path: string, hook: string, about: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new PluginFault('KLP407', `plug-in variant ${site.family}=${site.variant} threw in ${hook} (${about}): ${msg}`, { location: throwSite(site, path, e), cause: e });
  }
}

function malformed(site: GuardSite, hook: string, about: string, what: string, got: unknown): PluginFault {
  return new PluginFault('KLP408', `plug-in variant ${site.family}=${site.variant} returned a malformed value from ${hook} (${about}): ${what}, got ${shown(got)}`, {
    location: { file: site.file },
  });
}

function isObject(v: unknown): v is { readonly [key: string]: unknown } {
  return typeof v === 'object' && v !== null;
}

function checkState(site: GuardSite, hook: string, about: string, v: unknown, what: string): PatchStateName {
  if (typeof v === 'string' && (PATCH_STATES as readonly string[]).includes(v)) return v as PatchStateName;
  throw malformed(site, hook, about, `${what} must be one of ${PATCH_STATES.join(', ')}`, v);
}

function checkFrames(site: GuardSite, hook: string, about: string, v: unknown, what: string): readonly FrameView[] {
  if (!Array.isArray(v)) throw malformed(site, hook, about, `${what} must be a list of frames { fn, version, pc }`, v);
  for (const [i, f] of (v as unknown[]).entries()) {
    const ok = isObject(f) && typeof f.fn === 'string' && typeof f.version === 'string' && f.version !== '' && Number.isInteger(f.pc) && (f.pc as number) >= 0;
    if (!ok) throw malformed(site, hook, about, `${what}[${i}] must be a frame { fn: string, version: string, pc: integer >= 0 }`, f);
  }
  return v as readonly FrameView[];
}

const stackText = (stack: readonly FrameView[]): string => `stack [${stack.map((f) => `${f.fn}@${f.version}`).join(', ')}]`;

export function guardFork(site: GuardSite, path: string, impl: ForkVariant): ForkVariant {
  const child = (parent: Parameters<ForkVariant['child']>[0], k: Parameters<ForkVariant['child']>[1]): ChildState => {
    const about = `fork of ${parent.name}`;
    const r: unknown = call(site, path, 'child', about, () => impl.child(parent, k));
    if (!isObject(r)) throw malformed(site, 'child', about, 'the child state must be { patchState, pending }', r);
    const patchState = checkState(site, 'child', about, r.patchState, 'patchState');
    if (typeof r.pending !== 'boolean') throw malformed(site, 'child', about, 'pending must be a boolean', r.pending);
    return { patchState, pending: r.pending };
  };
  const resolve = impl.resolveIdle;
  if (resolve === undefined) return { atomic: impl.atomic, child };
  return {
    atomic: impl.atomic,
    child,
    resolveIdle: (c) => {
      const about = `klp_ftrace_handler: ${c.task.name} calls ${c.fn}`;
      return checkState(site, 'resolveIdle', about, call(site, path, 'resolveIdle', about, () => resolve.call(impl, c)), 'the resolved patch state');
    },
  };
}

export function guardChildStack(site: GuardSite, path: string, impl: ChildStackVariant): ChildStackVariant {
  return (stack, initialVersion) => {
    const about = `parent ${stackText(stack)}`;
    return checkFrames(site, 'child-stack', about, call(site, path, 'child-stack', about, () => impl(stack, initialVersion)), 'the child stack');
  };
}

export function guardStackCheck(site: GuardSite, path: string, impl: StackCheckVariant): StackCheckVariant {
  return (input) => {
    const about = `klp_check_stack_func on ${input.fn}, func stack [${input.funcStack.map((e) => e.patch).join(', ')}]`;
    const r: unknown = call(site, path, 'stack-check', about, () => impl(input));
    if (!Array.isArray(r) || !(r as unknown[]).every((x) => typeof x === 'string' && x !== '')) {
      throw malformed(site, 'stack-check', about, "the result must be a list of versions ('orig' or a patch name)", r);
    }
    return r as readonly string[];
  };
}

export function guardUnwinder(site: GuardSite, path: string, impl: UnwinderVariant): UnwinderVariant {
  return (stack, frameless, preempted) => {
    const about = `stack walk of ${stackText(stack)}${preempted ? ' (preempted)' : ''}`;
    const r: unknown = call(site, path, 'unwinder', about, () => impl(stack, frameless, preempted));
    if (!isObject(r) || typeof r.reliable !== 'boolean') throw malformed(site, 'unwinder', about, 'the trace must be { reliable: boolean, frames }', r);
    return { reliable: r.reliable, frames: checkFrames(site, 'unwinder', about, r.frames, 'frames') } satisfies StackTraceView;
  };
}

/**
 * An action of the model whose plug-in faults name the action instance and
 * the state (`klp_ftrace_handler("child1", "funcA")`, as a trace step reads).
 * Only wrapped when a selected variant comes from a plug-in.
 */
export function withPluginContext<S, C>(name: string, a: ActionDefinition<S, C>): ActionDefinition<S, C> {
  const context = (e: unknown, label: string, s: S): unknown => (e instanceof PluginFault && !e.withAction ? e.inAction(label, stateText(s)) : e);
  if (typeof a === 'function') {
    return (s, c) => {
      try {
        return a(s, c);
      } catch (e) {
        throw context(e, name, s);
      }
    };
  }
  return {
    params: a.params,
    next: (s, p, c) => {
      try {
        return a.next(s, p, c);
      } catch (e) {
        throw context(e, `${name}(${Object.values(p).map((v) => JSON.stringify(v)).join(', ')})`, s);
      }
    },
  };
}

function stateText(s: unknown): string {
  try {
    return formatValue(s);
  } catch {
    return String(s);
  }
}
