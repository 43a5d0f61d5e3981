// Mutations of a scenario file's text for the loader fuzz test: line edits
// (delete, duplicate, swap, re-indent), token replacements (other tokens,
// numbers, huge numbers, unicode, empty), truncation, injected YAML syntax,
// unknown keys, wrong types, dangling references, recursion and oversized
// entries. Each mutation is named, so a failing case says what was done.
import type { Rng } from './prng.ts';

const TOKEN = /[A-Za-z_][A-Za-z0-9_./-]*|-?\d+(?:\.\d+)?|[^\sA-Za-z0-9_]/g;

const NUMBERS = ['0', '-1', '1', '2', '8', '9', '17', '1000000', '99999999999999999999999', '1e308', '1e309', '-0', '0.5', '0x10', '0o17', '.inf', '-.inf', '.nan', 'NaN', '1_000'];
const UNICODE = ['é', 'ünïcödé', '💥', '\u200f', '\u0000', '\ufeff', '\u2028', 'Ω', '中文', '\t', '\\', '"\\u0000"', "''", '""'];
const SYNTAX = ['&a', '*a', '*nope', '!!binary', '!!str', '!!int', '!!map', '!custom', '{', '}', '[', ']', ':', ': ', '- ', '? ', '|', '>', '---', '...', '%YAML 1.2', '<<: *a', '#', '"', "'", '@', '`', ',', '&a [call f]', '{ a: *a }', '~', 'null', 'true', 'yes', '=', '!!set {a, b}', '[[[[', '}}}}'];
const KEYS = ['bogus', 'titel', 'max-forked', 'frameless', 'exits', 'loop', 'name', 'kind', 'replaces', 'expect', 'variants', 'rules', 'anytime', 'sequence', 'trace-length', '<<', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const WRONG_TYPES = ['42', 'true', '~', '[]', '{}', '[1, 2]', '{ a: 1 }', '"text"', '[[call f]]', '[{ name: x }]'];

export interface Mutant {
  text: string;
  /** What was done, for the failure message. */
  ops: string[];
}

type Mutation = (lines: string[], rng: Rng, tokens: readonly string[]) => string[] | string;

function replaceToken(line: string, rng: Rng, by: string): string {
  const spans = [...line.matchAll(TOKEN)];
  if (spans.length === 0) return line + by;
  const m = rng.pick(spans);
  return line.slice(0, m.index) + by + line.slice(m.index + m[0].length);
}

const lineIndex = (lines: readonly string[], rng: Rng): number => rng.int(Math.max(lines.length, 1));

const MUTATIONS: { [name: string]: Mutation } = {
  deleteLine: (lines, rng) => lines.filter((_, i) => i !== lineIndex(lines, rng)),
  duplicateLine: (lines, rng) => {
    const i = lineIndex(lines, rng);
    return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
  },
  swapLines: (lines, rng) => {
    const out = [...lines];
    const i = lineIndex(lines, rng);
    const j = lineIndex(lines, rng);
    [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
    return out;
  },
  reindent: (lines, rng) => {
    const i = lineIndex(lines, rng);
    const out = [...lines];
    const l = out[i] ?? '';
    out[i] = rng.pick([' ', '  ', '    ', '\t', '']) + (rng.chance(0.5) ? l.trimStart() : l);
    return out;
  },
  otherToken: (lines, rng, tokens) => {
    const i = lineIndex(lines, rng);
    return lines.map((l, k) => (k === i ? replaceToken(l, rng, rng.pick(tokens)) : l));
  },
  number: (lines, rng) => {
    const i = lineIndex(lines, rng);
    return lines.map((l, k) => (k === i ? replaceToken(l, rng, rng.pick(NUMBERS)) : l));
  },
  unicode: (lines, rng) => {
    const i = lineIndex(lines, rng);
    return lines.map((l, k) => (k === i ? replaceToken(l, rng, rng.pick(UNICODE)) : l));
  },
  emptyToken: (lines, rng) => {
    const i = lineIndex(lines, rng);
    return lines.map((l, k) => (k === i ? replaceToken(l, rng, '') : l));
  },
  truncate: (lines, rng) => {
    const text = lines.join('\n');
    return text.slice(0, rng.int(text.length + 1));
  },
  yamlSyntax: (lines, rng) => {
    const i = lineIndex(lines, rng);
    const s = rng.pick(SYNTAX);
    return lines.map((l, k) => (k !== i ? l : rng.chance(0.5) ? replaceToken(l, rng, s) : `${l.slice(0, rng.int(l.length + 1))}${s}${l.slice(rng.int(l.length + 1))}`));
  },
  unknownKey: (lines, rng) => {
    const i = lineIndex(lines, rng);
    const indent = /^\s*/.exec(lines[i] ?? '')![0];
    const key = rng.pick(KEYS);
    const value = rng.pick([...WRONG_TYPES, 'x', '3']);
    const flow = (lines[i] ?? '').indexOf('{');
    if (flow >= 0 && rng.chance(0.5)) {
      return lines.map((l, k) => (k === i ? `${l.slice(0, flow + 1)} ${key}: ${value},${l.slice(flow + 1)}` : l));
    }
    return [...lines.slice(0, i), `${indent}${key}: ${value}`, ...lines.slice(i)];
  },
  wrongType: (lines, rng) => {
    const i = lineIndex(lines, rng);
    const l = lines[i] ?? '';
    const colon = l.indexOf(': ');
    const v = rng.pick(WRONG_TYPES);
    return lines.map((x, k) => (k === i ? (colon >= 0 ? `${l.slice(0, colon + 2)}${v}` : `${l} ${v}`) : x));
  },
  danglingReference: (lines, rng) => {
    const refs = lines.map((l, i) => [l, i] as const).filter(([l]) => /call |enable |disable |syscalls:|replaces:|property:/.test(l));
    if (refs.length === 0) return lines;
    const [l, i] = rng.pick(refs);
    const out = [...lines];
    out[i] = l.replace(/(call |enable |disable |syscalls: \[|replaces: \[|property: )([A-Za-z_][A-Za-z0-9_.-]*)/, `$1${rng.pick(['nope', 'Q', 'f2', 'sys_nope', 'I9'])}`);
    return out;
  },
  recursion: (lines, rng) => {
    const bodies = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+[A-Za-z_][A-Za-z0-9_.]*: \[/.test(l));
    if (bodies.length === 0) return lines;
    const [l, i] = rng.pick(bodies);
    const name = /^\s+([A-Za-z_][A-Za-z0-9_.]*):/.exec(l)![1]!;
    const out = [...lines];
    out[i] = l.replace(': [', `: [call ${rng.chance(0.7) ? name : rng.pick(bodies)[0].trim().split(':')[0]}, `);
    return out;
  },
  oversize: (lines, rng) => {
    const i = lineIndex(lines, rng);
    const l = lines[i] ?? '';
    if (/max-forked/.test(l)) return lines.map((x, k) => (k === i ? x.replace(/\d+/, rng.pick(['9', '1000000', '65536'])) : x));
    const n = rng.pick([17, 33, 65, 200]);
    return [...lines.slice(0, i), ...Array.from({ length: n }, () => l), ...lines.slice(i + 1)];
  },
  aliasBomb: (lines, rng) => {
    // Anchors and aliases of ever larger lists: the loader must stay linear.
    const bomb = ['x0: &a0 [call f, call f]', ...Array.from({ length: 9 }, (_, k) => `x${k + 1}: &a${k + 1} [*a${k}, *a${k}, *a${k}]`)];
    const i = lineIndex(lines, rng);
    return [...lines.slice(0, i), ...bomb.map((b) => (rng.chance(0.5) ? `  ${b}` : b)), ...lines.slice(i)];
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/**
 * How often each mutation is drawn: most YAML-level damage fails in the
 * parser (KLP201) the same way, so the mutations that keep the YAML valid
 * and reach the loader's own checks are drawn more often.
 */
const WEIGHTS: { readonly [name: string]: number } = {
  deleteLine: 3, duplicateLine: 3, swapLines: 1, reindent: 1, otherToken: 6, number: 4, unicode: 1, emptyToken: 2,
  truncate: 1, yamlSyntax: 2, unknownKey: 3, wrongType: 3, danglingReference: 4, recursion: 3, oversize: 2, aliasBomb: 1,
};
const DRAW = MUTATION_NAMES.flatMap((name) => Array.from({ length: WEIGHTS[name] ?? 1 }, () => name));

/** All tokens of the corpus, for token replacement. */
export function tokensOf(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((t) => [...t.matchAll(TOKEN)].map((m) => m[0])))];
}

/** One to three mutations of `text`. */
export function mutateScenario(text: string, rng: Rng, tokens: readonly string[]): Mutant {
  let lines = text.split('\n');
  const ops: string[] = [];
  const n = 1 + rng.int(2);
  for (let k = 0; k < n; k++) {
    const name = rng.pick(DRAW);
    ops.push(name);
    const r = MUTATIONS[name]!(lines, rng, tokens);
    lines = typeof r === 'string' ? r.split('\n') : r;
  }
  return { text: lines.join('\n'), ops };
}
