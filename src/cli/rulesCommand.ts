// `klpcheck rules`: every rule family with its variants (today's kernel
// marked), and every property a scenario can check, each with one line.
// `--plugin FILE` (repeatable) loads plug-ins first and lists their variants
// too, each marked with the file it comes from.
import { resolve } from 'node:path';
import { checkNoClash, loadPlugin, notTypeCheckedWarning, type LoadedPlugin } from '../livepatch/pluginLoader.ts';
import { warningLine } from '../report/warningText.ts';
import { PROPERTIES } from '../livepatch/properties.ts';
import { ASSUMPTIONS, TEMPORAL_PROPERTIES } from '../livepatch/liveness.ts';
import { RULE_FAMILIES, withPlugins, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { Io } from './checkCommand.ts';

export function rulesText(catalog: RuleCatalog = RULE_FAMILIES): string {
  const plugins = catalog !== RULE_FAMILIES;
  const out: string[] = ['Rule families (--rule FAMILY=VARIANT, or rules: in a scenario); * marks today\'s kernel' + (plugins ? ', + a plug-in variant:' : ':'), ''];
  for (const f of catalog) {
    out.push(`${f.name}: ${f.description}`);
    const width = Math.max(...f.variants.map((v) => v.name.length));
    for (const v of f.variants) {
      const mark = v.name === f.default ? '*' : v.origin !== undefined ? '+' : ' ';
      out.push(`  ${mark} ${v.name.padEnd(width)}  ${v.description}${v.origin !== undefined ? ` [${v.origin}]` : ''}`);
    }
    out.push('');
  }
  out.push('Properties (check: in a scenario):', '');
  const all = [...PROPERTIES, ...TEMPORAL_PROPERTIES.map((p) => ({ name: p.name, alias: p.alias, description: `${p.definition.description} [temporal, under assume:]` }))];
  const width = Math.max(...all.map((p) => p.name.length));
  for (const p of all) out.push(`  ${p.name.padEnd(width)}  (${p.alias}) ${p.description}`);
  out.push('', 'Fairness assumptions (assume: in a scenario, for temporal properties):', '');
  const aw = Math.max(...ASSUMPTIONS.map((a) => a.name.length));
  for (const a of ASSUMPTIONS) out.push(`  ${a.name.padEnd(aw)}  ${a.description}`);
  return `${out.join('\n')}\n`;
}

export async function rulesCommand(io: Io, pluginFiles: readonly string[] = []): Promise<number> {
  const plugins: LoadedPlugin[] = [];
  for (const file of pluginFiles) plugins.push(await loadPlugin(file, resolve(file)));
  checkNoClash(plugins);
  io.out(rulesText(plugins.length === 0 ? RULE_FAMILIES : withPlugins(plugins.flatMap((p) => p.variants))));
  // Never silent about a check skipped: the same words as a run's KLP507.
  const unchecked = plugins.filter((p) => !p.typeChecked);
  if (unchecked.length > 0) io.out(`\n${unchecked.map((p) => `${warningLine(notTypeCheckedWarning(p.file))}\n`).join('')}`);
  return 0;
}
