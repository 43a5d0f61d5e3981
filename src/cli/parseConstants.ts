// Parses `--const NAME=VALUE` flags, like the assignments of a TLC .cfg:
//   N=3   flag=TRUE   who="alice"   who=alice   RM={r1, r2, r3}   RM=[1,2]
import type { ConstantValue } from '../engine/spec.ts';
import { KlpError } from '../engine/errors.ts';

export function parseConstants(flags: readonly string[]): { [name: string]: ConstantValue } {
  const out: { [name: string]: ConstantValue } = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq < 0 ? '' : flag.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new KlpError('KLP301', `--const takes NAME=VALUE, got "${flag}"`);
    }
    out[name] = parseValue(flag.slice(eq + 1).trim(), flag);
  }
  return out;
}

function parseValue(text: string, flag: string): ConstantValue {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'TRUE' || text === 'true') return true;
  if (text === 'FALSE' || text === 'false') return false;
  const set = /^\{(.*)\}$/.exec(text) ?? /^\[(.*)\]$/.exec(text);
  if (set !== null) {
    const items = set[1]!.trim() === '' ? [] : set[1]!.split(',').map((x) => x.trim());
    return items.map((item) => {
      const v = parseValue(item, flag);
      if (typeof v !== 'number' && typeof v !== 'string') {
        throw new KlpError('KLP106', `in --const ${flag}: a set holds numbers or names, not ${JSON.stringify(item)}`);
      }
      return v;
    });
  }
  const quoted = /^"(.*)"$/.exec(text);
  if (quoted !== null) return quoted[1]!;
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(text)) return text;
  throw new KlpError('KLP106', `cannot read the value of --const ${flag}`, {
    hints: ['values are integers, TRUE/FALSE, names or "strings", or sets {a, b}'],
  });
}
