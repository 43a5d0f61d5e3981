// `klpcheck rules`: every rule family with its variants (today's kernel
// marked), and every property a scenario can check, each with one line.
import { PROPERTIES } from '../livepatch/properties.ts';
import { RULE_FAMILIES } from '../livepatch/rules/index.ts';
import type { Io } from './checkCommand.ts';

export function rulesText(): string {
  const out: string[] = ['Rule families (--rule FAMILY=VARIANT, or rules: in a scenario); * marks today\'s kernel:', ''];
  for (const f of RULE_FAMILIES) {
    out.push(`${f.name}: ${f.description}`);
    const width = Math.max(...f.variants.map((v) => v.name.length));
    for (const v of f.variants) out.push(`  ${v.name === f.default ? '*' : ' '} ${v.name.padEnd(width)}  ${v.description}`);
    out.push('');
  }
  out.push('Properties (check: in a scenario):', '');
  const width = Math.max(...PROPERTIES.map((p) => p.name.length));
  for (const p of PROPERTIES) out.push(`  ${p.name.padEnd(width)}  (${p.alias}) ${p.description}`);
  return `${out.join('\n')}\n`;
}

export function rulesCommand(io: Io): number {
  io.out(rulesText());
  return 0;
}
