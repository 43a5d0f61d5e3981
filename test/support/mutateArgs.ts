// Mutated command lines for the CLI fuzz test: a command, a spec (bundled,
// missing, a directory, a file of another kind), options with good and bad
// values (unknown flags, missing values, wrong types, negative, zero, NaN,
// unknown rules and variants), shuffled. Every check or report run carries
// one --max-states and one --timeout (perhaps with a bad value, which then
// fails before anything runs), so no case can run long. compare and diff
// only get the small bundled scenarios: they have no bounds of their own.
import type { Rng } from './prng.ts';

export interface ArgPaths {
  /** Small bundled scenarios (each checks in well under a second). */
  scenarios: readonly string[];
  /** Small TypeScript specs. */
  modules: readonly string[];
  /** A folder for --out (the fuzz test removes it). */
  outDir: string;
  /** An existing directory whose name ends in .yaml, a plain file, an empty folder. */
  yamlDir: string;
  plainFile: string;
  emptyDir: string;
}

const BAD_NUMBERS = ['0', '-1', '-0', 'NaN', 'abc', '', ' ', '1e309', 'Infinity', '-Infinity', '0x10', '1.5', '--', '2e', '٣', '1,000', '9007199254740993'];
const GOOD_STATES = ['1', '5', '40', '200'];
const GOOD_TIMEOUT = ['1', '2', '0.5'];
const RULES = ['fork=goal', 'fork=initial', 'child-stack=copy-parent', 'unwinder=naive', 'immediate=allowed', 'stack-check=all-predecessors', 'model=upstream'];
const BAD_RULES = ['fork=bogus', 'bogus=goal', 'fork', '=', 'fork=', '=goal', 'fork=goal,initial', 'fork=goal=initial', 'FORK=GOAL', 'fork = goal', '', 'fork=💥', '__proto__=x', 'constructor=goal'];
const VARIANTS = ['goal/copy', 'copy/copy', 'force', 'fix-a-all-predecessors', 'bogus', '', '__proto__', 'with space'];
const FORMATS = ['text', 'json', 'mail', 'dot', 'html', 'markdown', 'tlc', 'bogus', ''];
const UNKNOWN = ['--bogus', '-x', '--max-state', '--maxStates', '--no-bogus', '--rule-', '---', '-', '--=', '--max-states=', '--format=', '-i', '--vary', '--from', '--to', '--graph=maybe', '--deadlock=maybe', '--timing=0'];
const CONSTS = ['N=3', 'N=', '=3', 'N', 'RM={r1, r1}', 'RM=[1,2]', 'x={', 'N=TRUE', 'N="a"', 'N=-1', '1N=2', 'N={{a}}'];
const VARY = ['fork=goal,initial', 'child-stack=empty,copy-parent', 'fork=', 'bogus=a', 'fork=goal,goal', 'fork', '', 'fork=bogus'];

export function mutateArgs(rng: Rng, p: ArgPaths): string[] {
  const command = rng.pick(['check', 'check', 'check', 'check', 'check', 'check', 'report', 'report', 'compare', 'diff', 'suite', 'rules', 'bogus', 'CHECK', '']);
  const spec = (small: boolean): string =>
    rng.chance(0.8)
      ? rng.pick(small ? p.scenarios : [...p.scenarios, ...p.modules])
      : rng.pick(['specs/nope.yaml', 'nope.ts', 'specs', 'specs/livepatch', p.yamlDir, p.plainFile, p.emptyDir, 'README.md', 'package.json', '', '-', '/dev/null', '/dev/null.yaml', 'specs/livepatch/s1-fork-matrix.yml', '💥.yaml']);
  const value = (good: readonly string[]): string[] => (rng.chance(0.9) ? [rng.pick(good)] : rng.chance(0.8) ? [rng.pick(BAD_NUMBERS)] : []);
  const opts: string[][] = [];
  // Up to n occurrences of an option, each with probability 0.3.
  const some = (n: number, f: () => string[]): void => {
    for (let k = 0; k < n; k++) if (rng.chance(0.3)) opts.push(f());
  };
  const args: string[] = command === '' ? [] : [command];
  if (command === 'check' || command === 'report' || command === 'CHECK') {
    if (!rng.chance(0.05)) args.push(spec(false));
    opts.push(['--max-states', ...value(GOOD_STATES)], ['--timeout', ...value(GOOD_TIMEOUT)]);
    some(2, () => ['--rule', rng.chance(0.85) ? rng.pick(RULES) : rng.pick(BAD_RULES)]);
    some(1, () => ['--variant', rng.pick(VARIANTS)]);
    some(1, () => ['--format', rng.pick(FORMATS)]);
    some(1, () => ['--max-depth', ...value(['1', '3', '10'])]);
    some(1, () => ['--const', rng.pick(CONSTS)]);
    some(1, () => ['--invariant', rng.pick(['TypeOK', 'I1', 'frames-agree-with-dispatch', 'bogus', ''])]);
    some(1, () => [rng.pick(['--deadlock', '--no-deadlock', '--diff', '--graph', '--no-timing', '--progress=false', '--timing'])]);
    if (rng.chance(0.15)) opts.push(['--out', rng.pick([`${p.outDir}/run${rng.int(5)}`, p.plainFile, `${p.plainFile}/sub`, '/proc/klpcheck', ''])]);
  } else if (command === 'compare') {
    if (!rng.chance(0.1)) args.push(spec(true));
    some(2, () => ['--vary', rng.pick(VARY)]);
    some(1, () => ['--variant', rng.pick(VARIANTS)]);
    some(1, () => ['--format', rng.pick(FORMATS)]);
  } else if (command === 'diff') {
    for (let k = rng.int(3); k > 0; k--) args.push(spec(true));
    some(2, () => ['--from', rng.chance(0.7) ? rng.pick(RULES) : rng.pick(BAD_RULES)]);
    some(2, () => ['--to', rng.chance(0.7) ? rng.pick(RULES) : rng.pick(BAD_RULES)]);
    some(1, () => ['--variant', rng.pick(VARIANTS)]);
  } else if (command === 'suite') {
    // Never bare `suite`: it checks everything under specs/, unbounded.
    const dirs = ['specs/nope', p.plainFile, p.emptyDir, p.yamlDir, '', '/dev/null'];
    args.push(rng.pick(dirs));
    some(1, () => [rng.pick(dirs)]);
  }
  if (rng.chance(0.25)) opts.push([rng.pick(UNKNOWN), ...(rng.chance(0.5) ? [rng.pick(['1', 'x', ''])] : [])]);
  // A few stray positionals and repeated options.
  if (rng.chance(0.1)) opts.push([rng.pick(['extra', 'specs/livepatch/s6-force.yaml', '--'])]);
  if (rng.chance(0.05) && opts.length > 0) opts.push(rng.pick(opts));
  for (let i = opts.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [opts[i], opts[j]] = [opts[j]!, opts[i]!];
  }
  // Drop the value of one option now and then: the next flag becomes its value.
  const flat = opts.flat();
  if (rng.chance(0.1) && flat.length > 0) flat.splice(rng.int(flat.length), 1);
  return [...args, ...flat];
}
