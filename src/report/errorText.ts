// The one place that turns a KlpError into the text a user sees:
//   specs/s1.yaml:4:9: error KLP203: unknown fork rule "goal2"
//     valid fork rules: goal, initial, copy-parent, copy-parent-nonatomic
import type { KlpError } from '../engine/errors.ts';

export function formatError(e: KlpError): string {
  const where = e.location === undefined ? '' : `${[e.location.file, e.location.line, e.location.col].filter((x) => x !== undefined).join(':')}: `;
  const lines = [`${where}error ${e.code}: ${e.message}`];
  for (const hint of e.hints) lines.push(`  ${hint}`);
  return lines.join('\n');
}
