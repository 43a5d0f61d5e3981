// What the ids in a state codec's bytes stand for: interned strings (and
// model-value names) and Record classes. Split from stateCodec.ts, which owns
// the byte format.
//
// A codec of its own numbers them 0, 1, 2, ... Several codecs (one per
// searcher of `--workers`, src/engine/parallel/) share one id space: codec
// `slot` of `stride` hands out slot, slot + stride, ..., so that two never
// give one id two meanings; the ids made since the last `take` go to the
// others, which `adoptStrings` / `adoptRecord` them before reading bytes that
// use them. An adopted id is also written for that string or class from then
// on, unless this codec had made its own.
import type { Record } from 'immutable';
import { type CodecEntries, type RecordFactory, type RecordInternals, recordSignature } from './codecShapes.ts';

/** Beyond this many interned strings, new strings are written inline. */
const MAX_INTERNED = 1 << 20;

export class CodecIds {
  private readonly stringIds = new Map<string, number>();
  readonly strings: string[] = [];
  private readonly recordIds = new Map<unknown, number>();
  readonly records: RecordFactory[] = [];
  /** Per Record class id: its field names, and each field's default. */
  readonly recordKeys: string[][] = [];
  readonly recordDefaults: unknown[][] = [];
  /** Per Record class id, how many of its records in a row were not flat (stateCodec.ts, valueTable.ts). */
  readonly notFlat: number[] = [];
  /** Strings and Record classes this codec made ids for (its own, not adopted ones). */
  private madeStrings = 0;
  private madeRecords = 0;
  private newStrings: { id: number; text: string }[] = [];
  private newRecords: { id: number; ctor: RecordFactory }[] = [];
  readonly slot: number;
  readonly stride: number;

  constructor(slot: number, stride: number) {
    this.slot = slot;
    this.stride = stride;
  }

  /** Number of interned strings (and model-value names) this codec made ids for. */
  get internedStrings(): number {
    return this.madeStrings;
  }

  /** Record classes given ids since the last `take`. */
  get pendingRecords(): number {
    return this.newRecords.length;
  }

  /** The id of string `s`, made if need be; -1 once the table is full (the string is then written inline). */
  stringRef(s: string): number {
    const id = this.stringIds.get(s);
    if (id !== undefined) return id;
    if (this.madeStrings >= MAX_INTERNED) return -1;
    return this.makeStringId(s);
  }

  /** The id of a model value's name: model values are few (a .cfg's constants), always interned. */
  nameRef(name: string): number {
    return this.stringIds.get(name) ?? this.makeStringId(name);
  }

  /** The id of the Record class of `r`, made if need be. */
  recordRef(r: Record<object>): number {
    const ctor = r.constructor;
    let id = this.recordIds.get(ctor);
    if (id === undefined) {
      id = this.slot + this.stride * this.madeRecords++;
      this.setRecord(id, ctor as RecordFactory, [...r.toSeq().keys()].map(String));
      this.recordIds.set(ctor, id);
      if (this.stride > 1) this.newRecords.push({ id, ctor: ctor as RecordFactory });
    }
    return id;
  }

  /** The string and Record class ids made since the last call (the codec adds its shared records). */
  take(): Omit<CodecEntries, 'values'> {
    const out = { strings: this.newStrings, records: this.newRecords.map(({ id, ctor }) => ({ id, signature: recordSignature(ctor) })) };
    this.newStrings = [];
    this.newRecords = [];
    return out;
  }

  adoptStrings(entries: CodecEntries['strings']): void {
    for (const { id, text } of entries) {
      this.strings[id] = text;
      if (!this.stringIds.has(text)) this.stringIds.set(text, id);
    }
  }

  adoptRecord(id: number, ctor: RecordFactory, keys: readonly string[]): void {
    this.setRecord(id, ctor, keys);
    if (!this.recordIds.has(ctor)) this.recordIds.set(ctor, id);
  }

  knowsRecord(id: number): boolean {
    return this.records[id] !== undefined;
  }

  private setRecord(id: number, ctor: RecordFactory, keys: readonly string[]): void {
    this.records[id] = ctor;
    this.recordKeys[id] = [...keys];
    const defaults = (ctor.prototype as RecordInternals)._defaultValues;
    this.recordDefaults[id] = keys.map((k) => defaults[k]);
    this.notFlat[id] = 0;
  }

  private makeStringId(s: string): number {
    const id = this.slot + this.stride * this.madeStrings++;
    this.strings[id] = s;
    this.stringIds.set(s, id);
    if (this.stride > 1) this.newStrings.push({ id, text: s });
    return id;
  }
}
