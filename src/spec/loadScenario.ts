// Loads a declarative scenario file (docs/spec-format.md) into a Scenario:
// parses the YAML, checks it against the format (keys, types, rule names,
// property names, references, recursion) and fails on the first problem with
// one KlpError carrying file:line:col. spec.schema.json describes the same
// format for editors; test/spec/loadScenario.test.ts keeps the two in step.
// What the kernel runs (functions, patches, tasks) is read by
// scenarioKernel.ts; this file reads the file itself, the top level, and what
// is checked under which rules (rules, check, assume, expect, variants).
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type YAMLParseError } from 'yaml';
import { KlpError, isKlpError } from '../engine/errors.ts';
import { PROPERTIES, propertyNamed } from '../livepatch/properties.ts';
import { ASSUMPTIONS, TEMPORAL_PROPERTIES, assumptionNamed, temporalPropertyNamed, type Assumption } from '../livepatch/liveness.ts';
import { RULE_FAMILIES, checkRule, familyNamed, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { AdminDecl, Expectation, RuleSettings, Scenario, VariantDecl } from '../livepatch/scenario.ts';
import { LIMIT_HINT, LIMITS, readBoundedList } from './limits.ts';
import { checkRecursion, parseAdmin, type CallSite } from './steps.ts';
import { KEYS, mayFork, parseFunctions, parsePatches, parseTasks } from './scenarioKernel.ts';
import { checkUnique, mapEntries, readChoice, readInt, readLine, readList, readMap, readString, YamlSource, type YValue } from './yamlNodes.ts';

export { KEYS } from './scenarioKernel.ts';

const TOP_REQUIRED = ['title', 'functions', 'tasks', 'check'];
const PROPERTY_HINT = `properties: ${PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;
// --- temporal properties and assumptions (liveness)
const TEMPORAL_HINT = `temporal properties: ${TEMPORAL_PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;
const ASSUME_HINT = `assumptions: ${ASSUMPTIONS.map((a) => a.name).join(', ')}`;

/** An invariant or a temporal property, by full name or alias. */
function anyPropertyNamed(name: string): { name: string } | undefined {
  return propertyNamed(name) ?? temporalPropertyNamed(name);
}

function parseAssume(src: YamlSource, v: YValue): Assumption[] {
  const out: Assumption[] = [];
  for (const item of readList(src, v, 'assume')) {
    const name = readString(src, item, 'an entry of assume', [ASSUME_HINT]);
    const a = assumptionNamed(name);
    if (a === undefined) throw src.error('KLP204', `unknown assumption "${name}"`, item.at, [ASSUME_HINT]);
    if (out.includes(a.name)) throw src.schema(`assumption "${a.name}" is listed twice in assume`, item.at);
    out.push(a.name);
  }
  return out;
}
// --- end temporal

export function loadScenario(file: string): Scenario {
  return parseScenario(readScenarioText(file), file);
}

/** A scenario file's text; a directory, a device or a file over the size limit is refused before reading. */
export function readScenarioText(file: string): string {
  let text: string;
  try {
    const st = statSync(file);
    // A FIFO or /dev/zero would block or never end; a directory cannot be read.
    if (st.isDirectory()) return notAFile(file, 'is a directory');
    if (!st.isFile()) return notAFile(file, 'is not a regular file');
    if (st.size > LIMITS.fileBytes) return tooLarge(file, st.size);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (isKlpError(e)) throw e;
    throw new KlpError('KLP101', `cannot read spec file ${file}`, { location: { file }, cause: e });
  }
  return text;
}

function notAFile(file: string, what: string): never {
  throw new KlpError('KLP207', `spec file ${file} ${what}`, { location: { file }, hints: ['name a scenario file (.yaml)'] });
}

function tooLarge(file: string, bytes: number): never {
  throw new KlpError('KLP207', `spec file ${file} has ${bytes} bytes; at most ${LIMITS.fileBytes} are allowed`, { location: { file }, hints: [LIMIT_HINT] });
}

/** The plug-ins of a scenario once loaded (loadScenarioFile.ts): the files, and the families with their variants. */
export interface LoadedPlugins {
  readonly files: readonly string[];
  readonly catalog: RuleCatalog;
  /** The files loaded without a type check (no typescript package). */
  readonly notTypeChecked?: readonly string[];
}

export function parseScenario(text: string, file: string, plugins?: LoadedPlugins): Scenario {
  if (Buffer.byteLength(text) > LIMITS.fileBytes) tooLarge(file, Buffer.byteLength(text));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const src = new YamlSource(file, lines, doc);
  const bad = doc.errors[0];
  if (bad !== undefined) throw yamlError(src, text, bad);
  if (doc.contents === null) throw src.schema('the file holds no scenario (a map with title, functions, tasks and check)', 0);
  const top = readMap(src, src.value(doc.contents, 0), 'the scenario', KEYS.top, TOP_REQUIRED);
  const at = (key: string): YValue => top.get(key)!.value;
  const opt = (key: string): YValue | undefined => top.get(key)?.value;

  const title = readLine(src, at('title'), 'title');
  const pluginList = opt('plugins') === undefined ? [] : readList(src, at('plugins'), 'plugins').map((v) => readString(src, v, 'an entry of plugins'));
  if (pluginList.length > 0 && plugins === undefined) {
    throw src.error('KLP409', 'this scenario lists plug-ins, which are loaded before the scenario (loadScenarioFile), not by parseScenario', top.get('plugins')!.keyAt);
  }
  const catalog = plugins?.catalog ?? RULE_FAMILIES;
  const rules = opt('rules') === undefined ? {} : parseRules(src, at('rules'), 'rules', catalog);
  const calls: CallSite[] = [];
  const functions = parseFunctions(src, at('functions'), calls);
  const names = new Set(functions.keys());
  const patches = opt('patches') === undefined ? [] : parsePatches(src, at('patches'), functions, calls);
  checkRecursion(src, [...names], calls);
  const { tasks, maxForked } = parseTasks(src, at('tasks'), names, mayFork(functions, patches));
  const patchNames = new Set(patches.map((p) => p.name));
  const adminValue = opt('admin');
  const admin: AdminDecl = adminValue === undefined ? { sequence: [], anytime: new Set() } : parseAdmin(src, adminValue, 'admin', patchNames);
  const { check, callers } = parseCheck(src, at('check'), names);
  const assumeValue = opt('assume');
  const assume = assumeValue === undefined ? undefined : parseAssume(src, assumeValue);
  const expectValue = opt('expect');
  const expect = expectValue === undefined ? undefined : parseExpect(src, expectValue, 'expect', check);
  const variantsValue = opt('variants');
  const variants = variantsValue === undefined ? [] : parseVariants(src, variantsValue, rules, patchNames, check, catalog);
  const unchecked = plugins?.notTypeChecked ?? [];
  const withPlugins = plugins === undefined ? {} : { plugins: plugins.files, catalog, ...(unchecked.length > 0 ? { pluginsNotTypeChecked: unchecked } : {}) };
  return { title, file, ...withPlugins, rules, functions, patches, tasks, maxForked, admin, check, ...(callers === undefined ? {} : { callers }), ...(assume === undefined ? {} : { assume }), ...(expect === undefined ? {} : { expect }), variants };
}

/** The yaml library's error at its position, with the offending line (clipped around the column) and a caret. */
function yamlError(src: YamlSource, text: string, e: YAMLParseError): KlpError {
  const loc = src.location(e.pos[0]);
  const line = text.split(/\r?\n/)[(loc.line ?? 1) - 1] ?? '';
  const { shown, caret } = clip(line, (loc.col ?? 1) - 1);
  const hints = line.trim() === '' ? [] : [shown, `${' '.repeat(caret)}^`];
  // The parser recurses per nesting level; thousands of [ or { exhaust the stack.
  const message = /Maximum call stack size exceeded/.test(e.message) ? 'the YAML nests too deeply to parse' : e.message;
  return new KlpError('KLP201', message, { location: loc, hints, cause: e });
}

const CLIP = 40;

/** At most 2 * CLIP characters of a long line around column `col` (0-based), with ... where cut. */
export function clip(line: string, col: number): { shown: string; caret: number } {
  if (line.length <= 2 * CLIP + 8) return { shown: line, caret: col };
  const from = Math.max(0, Math.min(col - CLIP, line.length - 2 * CLIP));
  const to = Math.min(line.length, from + 2 * CLIP);
  const head = from > 0 ? '...' : '';
  return { shown: `${head}${line.slice(from, to)}${to < line.length ? '...' : ''}`, caret: col - from + head.length };
}

function parseRules(src: YamlSource, v: YValue, what: string, catalog: RuleCatalog): RuleSettings {
  const out: { [family: string]: string } = {};
  for (const e of mapEntries(src, v, what).values()) {
    const unknownFamily = familyNamed(e.key, catalog) === undefined ? checkRule(e.key, '', catalog) : undefined;
    if (unknownFamily !== undefined) throw relocate(src, unknownFamily, e.keyAt);
    const variant = readString(src, e.value, `${what}.${e.key}`);
    const unknownVariant = checkRule(e.key, variant, catalog);
    if (unknownVariant !== undefined) throw relocate(src, unknownVariant, e.value.at);
    out[e.key] = variant;
  }
  return out;
}

function relocate(src: YamlSource, e: KlpError, at: number): KlpError {
  return new KlpError(e.code, e.message, { location: src.location(at), hints: e.hints });
}

/**
 * Property names (aliases accepted), stored under their full names; the
 * entry `caller-consistency: [c, ...]` is a one-key map naming the callers.
 */
function parseCheck(src: YamlSource, v: YValue, functions: ReadonlySet<string>): { check: string[]; callers?: string[] } {
  const out: string[] = [];
  let callers: string[] | undefined;
  for (const item of readList(src, v, 'check')) {
    if (isMap(item.node)) {
      const m = mapEntries(src, item, 'an entry of check');
      const e = [...m.values()][0];
      if (m.size !== 1 || e === undefined || e.key !== CALLER_CONSISTENCY) {
        throw src.error('KLP221', `a map in check must be { ${CALLER_CONSISTENCY}: [caller, ...] }`, item.at, [PROPERTY_HINT]);
      }
      if (out.includes(CALLER_CONSISTENCY)) throw src.schema(`property "${CALLER_CONSISTENCY}" is listed twice in check`, item.at);
      callers = parseCallers(src, e.value, functions);
      out.push(CALLER_CONSISTENCY);
      continue;
    }
    const name = readString(src, item, 'an entry of check', [PROPERTY_HINT]);
    if (propertyNamed(name)?.name === CALLER_CONSISTENCY) {
      throw src.error('KLP221', `${CALLER_CONSISTENCY} needs the callers whose activations it checks`, item.at, [`write it as { ${CALLER_CONSISTENCY}: [c] }, c a declared function`]);
    }
    const p = anyPropertyNamed(name);
    if (p === undefined) throw src.error('KLP204', `unknown property "${name}"`, item.at, [PROPERTY_HINT, TEMPORAL_HINT]);
    if (out.includes(p.name)) throw src.schema(`property "${p.name}" is listed twice in check`, item.at);
    out.push(p.name);
  }
  return callers === undefined ? { check: out } : { check: out, callers };
}

const CALLER_CONSISTENCY = 'caller-consistency';

function parseCallers(src: YamlSource, v: YValue, functions: ReadonlySet<string>): string[] {
  const what = CALLER_CONSISTENCY;
  if (!isSeq(v.node)) throw src.error('KLP221', `${what} takes a list of callers, e.g. [c]`, v.at);
  const items = readList(src, v, what);
  if (items.length === 0) throw src.error('KLP221', `${what} names no caller`, v.at, ['name at least one declared function, e.g. [c]']);
  const out: string[] = [];
  for (const item of items) {
    const fn = readString(src, item, `an entry of ${what}`);
    if (!functions.has(fn)) throw src.error('KLP221', `${what} names undeclared function "${fn}"`, item.at, [`declared functions: ${[...functions].join(', ')}`]);
    if (out.includes(fn)) throw src.schema(`"${fn}" is listed twice in ${what}`, item.at);
    out.push(fn);
  }
  return out;
}

function parseExpect(src: YamlSource, v: YValue, what: string, check: readonly string[]): Expectation {
  const m = readMap(src, v, what, KEYS.expect, ['verdict']);
  const verdict = readChoice(src, m.get('verdict')!.value, `${what}.verdict`, ['safe', 'violated'] as const, 'a verdict is safe or violated');
  const out: { verdict: 'safe' | 'violated'; property?: string; traceLength?: number } = { verdict };
  const prop = m.get('property');
  if (prop !== undefined) {
    const name = readString(src, prop.value, `${what}.property`, [PROPERTY_HINT]);
    const p = anyPropertyNamed(name);
    if (p === undefined) throw src.error('KLP204', `unknown property "${name}"`, prop.value.at, [PROPERTY_HINT, TEMPORAL_HINT]);
    if (!check.includes(p.name)) throw src.error('KLP204', `${what}.property "${name}" is not among the properties in check`, prop.value.at, [`check: ${check.join(', ')}`]);
    out.property = p.name;
  }
  const len = m.get('trace-length');
  if (len !== undefined) out.traceLength = readInt(src, len.value, `${what}.trace-length`, 1);
  return out;
}

/** Variants: their rules are the top-level rules overridden by their own. */
function parseVariants(src: YamlSource, v: YValue, rules: RuleSettings, patches: ReadonlySet<string>, check: readonly string[], catalog: RuleCatalog): VariantDecl[] {
  const seen = new Map<string, number>();
  return readBoundedList(src, v, 'variants', LIMITS.variants, 'variants').map((item, i) => {
    const path = `variants[${i}]`;
    const m = readMap(src, item, path, KEYS.variant, ['name']);
    const nameValue = m.get('name')!.value;
    const name = readLine(src, nameValue, 'variant name');
    checkUnique(src, seen, name, nameValue.at, 'variant name');
    const own = m.get('rules');
    const variant: { name: string; rules: RuleSettings; admin?: AdminDecl; expect?: Expectation } = {
      name,
      rules: { ...rules, ...(own === undefined ? {} : parseRules(src, own.value, `${path}.rules`, catalog)) },
    };
    const admin = m.get('admin');
    if (admin !== undefined) variant.admin = parseAdmin(src, admin.value, `${path}.admin`, patches);
    const expect = m.get('expect');
    if (expect !== undefined) variant.expect = parseExpect(src, expect.value, `${path}.expect`, check);
    return variant;
  });
}
