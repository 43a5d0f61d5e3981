// Parses `--const NAME=VALUE` flags, like the assignments of a TLC .cfg:
//   N=3   flag=TRUE   who="alice"   RM={r1, r2, r3}   S={{a, b}, {c}}   R=[a |-> 1, b |-> {x}]
// A bare identifier (r1) is a model value, as in a .cfg; binding reads it as a
// string where the spec's default holds a string (src/engine/constants.ts).
// `[1, 2]` is kept as another spelling of the set {1, 2}, and a bare word with
// dots or dashes (v5.10-rc1) as a string, as earlier versions read them. The
// value's type is not checked here: binding checks it against the default.
import { KlpError } from '../engine/errors.ts';
import { modelValue } from '../engine/modelValue.ts';
import type { ConstantValue } from '../engine/constants.ts';

export function parseConstants(flags: readonly string[]): { [name: string]: ConstantValue } {
  const out: { [name: string]: ConstantValue } = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq < 0 ? '' : flag.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new KlpError('KLP301', `--const takes NAME=VALUE, got "${flag}"`);
    }
    out[name] = parseConstantValue(flag.slice(eq + 1), flag, eq + 1);
  }
  return out;
}

/** Parses one value; `offset` is where `text` starts in `flag` (for the column in messages). */
export function parseConstantValue(text: string, flag: string = text, offset = 0): ConstantValue {
  const p = new Parser(text, flag, offset);
  p.skipSpace();
  const v = p.value();
  p.skipSpace();
  if (!p.atEnd()) p.fail('expected the end of the value');
  return v;
}

const HINT = 'values are integers, TRUE/FALSE, "strings", model values (bare names), sets {a, b}, sets of sets {{a}, {b, c}} and records [f |-> v]';

/** Deeper nesting than this is refused rather than risking the stack. */
const MAX_DEPTH = 64;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly flag: string,
    private readonly offset: number,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  fail(what: string): never {
    const col = this.offset + this.pos + 1;
    const found = this.atEnd() ? 'the end' : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
    throw new KlpError('KLP106', `cannot read --const ${this.flag}: ${what} at column ${col}, found ${found}`, { hints: [HINT] });
  }

  value(): ConstantValue {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (this.depth >= MAX_DEPTH) return this.fail(`values nest at most ${MAX_DEPTH} deep`);
      this.depth++;
      const v = c === '{' ? this.list('{', '}') : this.bracket();
      this.depth--;
      return v;
    }
    if (c === '"') return this.string();
    const word = /^-?[A-Za-z0-9_][A-Za-z0-9_.-]*/.exec(this.text.slice(this.pos));
    if (word === null) return this.fail('expected a value');
    const w = word[0];
    this.pos += w.length;
    if (/^-?\d+$/.test(w)) {
      const n = Number(w);
      if (!Number.isSafeInteger(n)) {
        this.pos -= w.length;
        return this.fail('an integer beyond 2^53 cannot be represented');
      }
      return n;
    }
    if (w === 'TRUE' || w === 'true') return true;
    if (w === 'FALSE' || w === 'false') return false;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) return modelValue(w);
    if (/^[A-Za-z_]/.test(w)) return w;
    this.pos -= w.length;
    return this.fail('expected a value');
  }

  /** `{a, b}` (or the older `[a, b]`): a set, written as an array. */
  private list(open: string, close: string): ConstantValue[] {
    this.pos++; // open
    const items: ConstantValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === close) {
        this.pos++;
        return items;
      }
      return this.fail(`expected "," or "${close}" in a set opened with "${open}"`);
    }
  }

  /** `[f |-> v, g |-> w]` is a record; `[a, b]` a set (older spelling). */
  private bracket(): ConstantValue {
    if (!/^\[\s*[A-Za-z_][A-Za-z0-9_]*\s*\|->/.test(this.text.slice(this.pos))) return this.list('[', ']');
    this.pos++;
    const out: { [field: string]: ConstantValue } = {};
    for (;;) {
      this.skipSpace();
      const field = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
      if (field === null) return this.fail('expected a field name');
      if (Object.hasOwn(out, field[0])) return this.fail(`field ${field[0]} given twice`);
      this.pos += field[0].length;
      this.skipSpace();
      if (!this.text.startsWith('|->', this.pos)) return this.fail('expected "|->"');
      this.pos += 3;
      this.skipSpace();
      // defineProperty: a field named __proto__ stays a field.
      Object.defineProperty(out, field[0], { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      return this.fail('expected "," or "]" in a record');
    }
  }

  /** A TLA+ string: "text" with \" \\ \n \t escapes. */
  private string(): string {
    const start = this.pos;
    this.pos++;
    let s = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return s;
      }
      if (c === '\\') {
        const e = this.text[this.pos + 1];
        const map: { [k: string]: string } = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
        if (e === undefined || map[e] === undefined) return this.fail('unknown escape in a string');
        s += map[e];
        this.pos += 2;
        continue;
      }
      s += c;
      this.pos++;
    }
    this.pos = start;
    return this.fail('a string is not closed');
  }
}
