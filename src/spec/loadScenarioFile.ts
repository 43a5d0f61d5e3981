// Loads a scenario file together with the plug-ins it lists: reads the
// `plugins:` entries first (with their positions), loads each plug-in
// relative to the scenario file (src/livepatch/pluginLoader.ts), then parses
// the scenario with the plug-in variants known, so `rules: { fork: idle-lazy }`
// is checked like a built-in choice. A scenario without plug-ins costs
// nothing more than loadScenario. Every command that reads a scenario file
// comes through here.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { SourceLocation } from '../engine/errors.ts';
import { checkNoClash, loadPlugin, type LoadedPlugin } from '../livepatch/pluginLoader.ts';
import { withPlugins } from '../livepatch/rules/index.ts';
import type { Scenario } from '../livepatch/scenario.ts';
import { parseScenario, readScenarioText } from './loadScenario.ts';

interface PluginRef {
  readonly name: string;
  readonly at: SourceLocation;
}

/** The well-formed entries of `plugins:`; anything else is left for parseScenario to report. */
function pluginRefs(text: string, file: string): PluginRef[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const list = doc.contents.get('plugins', true);
  if (!isSeq(list)) return [];
  const out: PluginRef[] = [];
  for (const item of list.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || item.value === '') return [];
    const pos = lines.linePos(item.range?.[0] ?? 0);
    out.push({ name: item.value, at: { file, line: pos.line, col: pos.col } });
  }
  return out;
}

export interface ScenarioWithPlugins {
  readonly scenario: Scenario;
  readonly plugins: readonly LoadedPlugin[];
}

/** `extra`: plug-in files given on the command line (--plugin), relative to the working directory. */
export async function loadScenarioWithPlugins(file: string, extra: readonly string[] = []): Promise<ScenarioWithPlugins> {
  const text = readScenarioText(file);
  const refs = pluginRefs(text, file);
  if (refs.length === 0 && extra.length === 0) return { scenario: parseScenario(text, file), plugins: [] };
  const plugins: LoadedPlugin[] = [];
  // Messages name a plug-in by its path from here (the scenario's folder joined with its entry), so it can be opened.
  for (const r of refs) plugins.push(await loadPlugin(isAbsolute(r.name) ? r.name : join(dirname(file), r.name), resolve(dirname(file), r.name), r.at));
  for (const name of extra) if (!plugins.some((p) => p.path === resolve(name))) plugins.push(await loadPlugin(name, name));
  checkNoClash(plugins);
  const catalog = withPlugins(plugins.flatMap((p) => p.variants));
  const notTypeChecked = plugins.filter((p) => !p.typeChecked).map((p) => p.file);
  return { scenario: parseScenario(text, file, { files: plugins.map((p) => p.file), catalog, notTypeChecked }), plugins };
}

export async function loadScenarioFile(file: string, extra: readonly string[] = []): Promise<Scenario> {
  return (await loadScenarioWithPlugins(file, extra)).scenario;
}
