// Typed, located access to a parsed YAML document for the scenario loader:
// every value keeps the offset where it was written (an alias counts as
// written where it is used), and every reader fails with one KlpError that
// carries file:line:col. Knows YAML and the error codes, nothing of livepatch.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { KlpError, type ErrorCode, type SourceLocation } from '../engine/errors.ts';

/** A YAML node, aliases resolved, with the offset where it appears in the text. */
export interface YValue {
  readonly node: Scalar | YAMLMap | YAMLSeq;
  readonly at: number;
}

/** A key of a map and its value. */
export interface YEntry {
  readonly key: string;
  /** Offset of the key. */
  readonly keyAt: number;
  readonly value: YValue;
}

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export class YamlSource {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  location(at: number): SourceLocation {
    const { line, col } = this.lines.linePos(at);
    return { file: this.file, line, col };
  }

  error(code: ErrorCode, message: string, at: number, hints: readonly string[] = []): KlpError {
    return new KlpError(code, message, { location: this.location(at), hints });
  }

  /** Shorthand for the commonest failure: the file does not match the schema. */
  schema(message: string, at: number, hints: readonly string[] = []): KlpError {
    return this.error('KLP202', message, at, hints);
  }

  /** Wraps a node of the document (resolving an alias) with its offset. */
  value(node: unknown, fallbackAt: number): YValue {
    const at = offsetOf(node) ?? fallbackAt;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) throw this.error('KLP201', `alias *${node.source} refers to no earlier anchor`, at);
      return { node: target, at };
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) return { node, at };
    throw this.schema('unsupported YAML node', at);
  }

  /** "line 3" of an offset, for hints that point at an earlier declaration. */
  lineOf(at: number): number {
    return this.lines.linePos(at).line;
  }
}

function offsetOf(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range: unknown = node.range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

/** What a value is, for "must be a list, not a string" messages. */
export function describe(v: YValue): string {
  if (isMap(v.node)) return 'a map';
  if (isSeq(v.node)) return 'a list';
  const x: unknown = v.node.value;
  if (x === null || x === undefined) return 'empty';
  if (typeof x === 'string') return `the string "${x}"`;
  if (typeof x === 'number') return `the number ${x}`;
  if (typeof x === 'boolean') return `the boolean ${x}`;
  return `a ${typeof x}`;
}

export function isNull(v: YValue): boolean {
  return isScalar(v.node) && (v.node.value === null || v.node.value === undefined);
}

function wrongType(src: YamlSource, what: string, expected: string, v: YValue, hints: readonly string[] = []): KlpError {
  return src.schema(`${what} must be ${expected}, not ${describe(v)}`, v.at, hints);
}

/**
 * Reads a map whose keys are fixed: an unknown key (in document order) or a
 * missing required key fails. `what` names the map in messages.
 */
export function readMap(src: YamlSource, v: YValue, what: string, allowed: readonly string[], required: readonly string[] = [], allowedText = ''): Map<string, YEntry> {
  const entries = mapEntries(src, v, what);
  for (const e of entries.values()) {
    if (!allowed.includes(e.key)) {
      throw src.schema(`unknown key "${e.key}" in ${what}`, e.keyAt, [`allowed keys${allowedText}: ${allowed.join(', ')}`]);
    }
  }
  for (const k of required) {
    if (!entries.has(k)) throw src.schema(`${what} lacks the required key "${k}"`, v.at);
  }
  return entries;
}

/** Reads a map whose keys are free (names the author chooses): every key a string. */
export function mapEntries(src: YamlSource, v: YValue, what: string): Map<string, YEntry> {
  if (!isMap(v.node)) throw wrongType(src, what, 'a map', v);
  const out = new Map<string, YEntry>();
  for (const pair of v.node.items) {
    const keyAt = offsetOf(pair.key) ?? v.at;
    const key: unknown = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string') throw src.schema(`the keys of ${what} must be names`, keyAt);
    // A missing value (`key:` with nothing after it) is a null scalar in yaml v2.
    out.set(key, { key, keyAt, value: src.value(pair.value, keyAt) });
  }
  return out;
}

export function readList(src: YamlSource, v: YValue, what: string): YValue[] {
  if (!isSeq(v.node)) throw wrongType(src, what, 'a list', v);
  return v.node.items.map((item) => src.value(item, v.at));
}

export function readString(src: YamlSource, v: YValue, what: string, hints: readonly string[] = []): string {
  if (!isScalar(v.node) || typeof v.node.value !== 'string') throw wrongType(src, what, 'a string', v, hints);
  return v.node.value;
}

/** A string on one line, not empty. */
export function readLine(src: YamlSource, v: YValue, what: string): string {
  const s = readString(src, v, what).trim();
  if (s === '' || s.includes('\n')) throw src.schema(`${what} must be one non-empty line`, v.at);
  return s;
}

/** A declared name: a string matching IDENTIFIER. */
export function readName(src: YamlSource, v: YValue, what: string): string {
  const s = readString(src, v, what);
  if (!IDENTIFIER.test(s)) throw src.schema(`${what} "${s}" is not a valid name`, v.at, ['names are letters, digits, _ and ., not starting with a digit']);
  return s;
}

export function readBool(src: YamlSource, v: YValue, what: string): boolean {
  if (!isScalar(v.node) || typeof v.node.value !== 'boolean') throw wrongType(src, what, 'true or false', v);
  return v.node.value;
}

export function readInt(src: YamlSource, v: YValue, what: string, min: number): number {
  const x: unknown = isScalar(v.node) ? v.node.value : undefined;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
    throw wrongType(src, what, min === 0 ? 'an integer >= 0' : `an integer >= ${min}`, v);
  }
  return x;
}

/** One of a fixed set of strings. */
export function readChoice<T extends string>(src: YamlSource, v: YValue, what: string, choices: readonly T[], hint: string): T {
  const s = readString(src, v, what, [hint]);
  const found = choices.find((c) => c === s);
  if (found === undefined) throw src.schema(`${what} must be one of ${choices.join(', ')}, not "${s}"`, v.at, [hint]);
  return found;
}

/** Fails when `name` was seen before in `seen` (recording it otherwise). */
export function checkUnique(src: YamlSource, seen: Map<string, number>, name: string, at: number, what: string): void {
  const first = seen.get(name);
  if (first !== undefined) throw src.schema(`duplicate ${what} "${name}"`, at, [`first declared at line ${src.lineOf(first)}`]);
  seen.set(name, at);
}
