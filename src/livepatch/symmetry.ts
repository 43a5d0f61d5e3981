// Symmetry reduction over tasks (the engine's SpecDefinition.symmetry, TLC's
// SYMMETRY): declared tasks with the same kind and program (system calls,
// loop, exit) are interchangeable, and so are the slots of forked children.
// The canonical representative renames the members of each group so that
// their Task records come in a fixed order (by hash, ties by full text),
// and renames every reference to them (a child's parent, the INV-C ghost).
// Every property quantifies over all tasks, so each is symmetric.
import { List, Map as IMap } from 'immutable';
import { formatValue } from '../engine/tlaText.ts';
import type { Kernel } from './kernel.ts';
import type { TaskDecl } from './scenario.ts';
import type { LivepatchState, Task } from './state.ts';

/** Groups of interchangeable task names (size >= 2), each in declaration order. */
export function symmetryGroups(k: Kernel): string[][] {
  const byProgram = new Map<string, string[]>();
  for (const t of k.scenario.tasks) {
    const key = programKey(t);
    byProgram.set(key, [...(byProgram.get(key) ?? []), t.name]);
  }
  return [...byProgram.values()].filter((g) => g.length > 1);
}

function programKey(t: TaskDecl): string {
  return JSON.stringify([t.kind, [...t.syscalls].sort(), t.loop, t.exits]);
}

function order(a: Task, b: Task): number {
  const ha = a.hashCode();
  const hb = b.hashCode();
  if (ha !== hb) return ha < hb ? -1 : 1;
  if (a.equals(b)) return 0;
  const fa = formatValue(a);
  const fb = formatValue(b);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/** The canonical representative of `s` under renaming within `groups` and of child slots. */
export function canonicalTasks(k: Kernel, groups: readonly (readonly string[])[], s: LivepatchState): LivepatchState {
  const rename = new Map<string, string>();
  // Ties between equal tasks are broken by their children (same records, parents aside).
  const offspring = new Map<string, string>();
  for (const c of k.childNames) {
    const t = s.tasks.get(c)!;
    if (t.parent !== '') offspring.set(t.parent, `${offspring.get(t.parent) ?? ''}${t.set('parent', '').hashCode()},`);
  }
  const familyOrder = (a: string, b: string): number => {
    const byTask = order(s.tasks.get(a)!, s.tasks.get(b)!);
    if (byTask !== 0) return byTask;
    const fa = (offspring.get(a) ?? '').split(',').sort().join(',');
    const fb = (offspring.get(b) ?? '').split(',').sort().join(',');
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  };
  for (const names of groups) {
    const sorted = [...names].sort(familyOrder);
    sorted.forEach((old, i) => {
      if (old !== names[i]) rename.set(old, names[i]!);
    });
  }
  const children = k.childNames;
  // A grandchild's parent is a child slot: renaming slots would have to follow
  // that chain; keep such states' slots as they are (sound, only less reduction).
  const nested = children.some((c) => children.includes(s.tasks.get(c)!.parent));
  const withParent = (name: string): Task => {
    const t = s.tasks.get(name)!;
    return rename.has(t.parent) ? t.set('parent', rename.get(t.parent)!) : t;
  };
  if (!nested && children.length > 1) {
    const sorted = [...children].sort((a, b) => order(withParent(a), withParent(b)));
    sorted.forEach((old, i) => {
      if (old !== children[i]) rename.set(old, children[i]!);
    });
  }
  if (rename.size === 0) return s;
  const tasks = IMap<string, Task>().withMutations((m) => {
    for (const name of s.tasks.keys()) m.set(rename.get(name) ?? name, withParent(name));
  });
  const completedWithout = s.completedWithout.size === 0 ? s.completedWithout : List(s.completedWithout.map((n) => rename.get(n) ?? n));
  return s.merge({ tasks, completedWithout });
}
