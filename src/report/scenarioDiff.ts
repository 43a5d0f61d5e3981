// What changed between two scenario files, in a few lines, before `diff`
// shows what the change does to the verdicts: per section (rules, functions,
// patches, tasks, admin, check) the entries added (+), removed (-) and
// changed (old -> new), read from the YAML as written (a rule left out is
// today's kernel). Functions are keyed by name, patches and tasks by their
// `name:`; other values are compared whole.
import { parse } from 'yaml';
import { wrap } from './mailReport.ts';

const SECTIONS = ['rules', 'functions', 'patches', 'tasks', 'admin', 'check'] as const;

/** A value in YAML flow style on one line: [a, b], {k: v}. */
export function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v as { [k: string]: unknown }).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
  return String(v);
}

function keyed(v: unknown, section: string): Map<string, unknown> | undefined {
  if (section === 'rules' || section === 'functions') {
    if (v === undefined || v === null) return new Map();
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? new Map(Object.entries(v as object)) : undefined;
  }
  if (section === 'patches' || section === 'tasks') {
    if (!Array.isArray(v)) return v === undefined ? new Map() : undefined;
    const m = new Map<string, unknown>();
    v.forEach((item: unknown, i) => {
      const name = item !== null && typeof item === 'object' && 'name' in item ? String((item as { name: unknown }).name) : `#${i + 1}`;
      m.set(name, item);
    });
    return m;
  }
  return undefined;
}

/** One line per section that changed ("rules: fork: copy-parent -> goal"), or none. */
export function scenarioChanges(oldSource: string, newSource: string): string[] {
  const a = (parse(oldSource) ?? {}) as { [k: string]: unknown };
  const b = (parse(newSource) ?? {}) as { [k: string]: unknown };
  const out: string[] = [];
  for (const section of SECTIONS) {
    const x = a[section];
    const y = b[section];
    if (flow(x ?? null) === flow(y ?? null)) continue;
    const mx = keyed(x, section);
    const my = keyed(y, section);
    const parts: string[] = [];
    if (mx !== undefined && my !== undefined) {
      const missing = section === 'rules' ? "today's kernel" : undefined;
      for (const [k, v] of mx) {
        if (!my.has(k)) parts.push(missing ? `${k}: ${flow(v)} -> ${missing}` : `- ${k}`);
        else if (flow(v) !== flow(my.get(k))) parts.push(`${k}: ${flow(v)} -> ${flow(my.get(k))}`);
      }
      for (const [k, v] of my) if (!mx.has(k)) parts.push(missing ? `${k}: ${missing} -> ${flow(v)}` : `+ ${k}: ${flow(v)}`);
    } else {
      parts.push(`${x === undefined ? '(none)' : flow(x)} -> ${y === undefined ? '(none)' : flow(y)}`);
    }
    out.push(...wrap(parts.join('; '), `  ${`${section}:`.padEnd(11)}`, ' '.repeat(15)));
  }
  return out;
}
