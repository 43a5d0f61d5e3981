// A trace as ITF JSON, the Informal Trace Format of Apalache ADR-015 that
// Quint, Apalache and their viewers read: `#meta`, `vars`, `states` (each with
// its own `#meta.index`), optional `loop`; integers as {"#bigint": "n"}, sets
// as {"#set": [...]}, functions as {"#map": [[k, v], ...]}, sequences as JSON
// arrays, records as plain objects. Sets and maps are written in the canonical
// order, and no timestamp is written, so the same run gives the same bytes.
import { List, Map as IMap, Record, Set as ISet } from 'immutable';
import type { Trace } from '../engine/result.ts';
import { kindOf } from '../engine/value.ts';
import { recordFields, sortedElements, sortedEntries } from '../engine/tlaText.ts';

export type ItfValue = boolean | string | ItfValue[] | { [key: string]: ItfValue };

export interface ItfTrace {
  '#meta': { [key: string]: ItfValue };
  params?: string[];
  vars: string[];
  states: { [key: string]: ItfValue | { [key: string]: ItfValue | number } }[];
  loop?: number;
}

export function toItfValue(v: unknown): ItfValue {
  switch (kindOf(v)) {
    case 'boolean':
    case 'string':
      return v as boolean | string;
    case 'number':
      return Number.isInteger(v) ? { '#bigint': String(v) } : { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': String(v) };
    case 'model':
      // ITF has no model values; a name string, as the TLC text prints them bare.
      return String(v);
    case 'list':
      return [...(v as List<unknown>)].map(toItfValue);
    case 'set':
      return { '#set': sortedElements(v as ISet<unknown>).map(toItfValue) };
    case 'map':
      return { '#map': sortedEntries(v as IMap<unknown, unknown>).map(([k, x]) => [toItfValue(k), toItfValue(x)]) };
    case 'record': {
      const out: { [key: string]: ItfValue } = {};
      for (const [k, x] of recordFields(v as Record<object>)) out[k] = toItfValue(x);
      return out;
    }
  }
}

export interface ItfSource {
  /** The spec file the trace came from. */
  source: string;
  /** e.g. "violation" or "ok". */
  status: string;
  description: string;
}

export function toItf(trace: Trace, source: ItfSource): ItfTrace {
  const vars = [...trace.variables];
  const states = trace.steps.map((step, i) => {
    const meta: { [key: string]: ItfValue | number } = { index: i };
    if (step.action !== undefined) meta.action = step.action.label;
    const out: ItfTrace['states'][number] = { '#meta': meta };
    const state = step.state as { get(k: string): unknown };
    for (const name of vars) out[name] = toItfValue(state.get(name));
    return out;
  });
  const itf: ItfTrace = {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: source.source,
      status: source.status,
      description: source.description,
    },
    vars,
    states,
  };
  if (trace.loop !== undefined) itf.loop = trace.loop;
  return itf;
}

export function renderItf(trace: Trace, source: ItfSource): string {
  return `${JSON.stringify(toItf(trace, source), null, 2)}\n`;
}
