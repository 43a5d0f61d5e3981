// The scenario a mail report is about, inline, so a reader on the list can
// rebuild the run without the repository: the whole file when it is short and
// narrow and was run as written, else a scenario of its own that gives the
// same run: title, the rules in force that differ from today's kernel,
// functions, patches, tasks, admin (a variant's, when it has one) and check,
// re-printed by the YAML library without comments, every line within the
// mail width. Saved to a file, it loads and checks as the original run.
import { Document, isMap, isSeq, parseDocument, visit, type Node as YamlNode } from 'yaml';

export interface ExcerptOptions {
  /** The variant that was run (its admin replaces the scenario's). */
  variant?: string;
  /** Rules in force that differ from today's kernel; given, they replace the file's `rules:`. */
  rules?: { readonly [family: string]: string };
  /** True when the run used the file as written (no variant, no --rule). */
  asWritten?: boolean;
  width?: number;
  indent?: number;
  /** The whole file is shown verbatim when it has at most this many lines (and each fits). */
  maxVerbatimLines?: number;
}

// `assume` too: without it a temporal property is checked under other fairness, another run.
const PARTS = ['functions', 'patches', 'tasks', 'admin', 'check', 'assume'] as const;

type Settable = { set(k: string, v: unknown): void };
type Gettable = { get(k: string, keep: true): YamlNode | undefined };

/** The excerpt's text (not indented), and whether it is the whole file. */
export function scenarioExcerpt(source: string, options: ExcerptOptions = {}): { text: string; whole: boolean } {
  const width = (options.width ?? 72) - (options.indent ?? 4);
  const lines = source.replace(/\s+$/, '').split('\n');
  const fits = lines.length <= (options.maxVerbatimLines ?? 30) && lines.every((l) => l.length <= width) && /^[\x20-\x7e\n]*$/.test(source);
  if (fits && options.asWritten === true) return { text: lines.join('\n'), whole: true };
  const doc = parseDocument(source);
  visit(doc, {
    Node: (_key, node) => {
      node.comment = undefined;
      node.commentBefore = undefined;
      node.spaceBefore = false;
    },
  });
  const root = doc.contents;
  if (!isMap(root)) return { text: lines.slice(0, 30).join('\n'), whole: false };
  const out = new Document({});
  const target = out.contents as unknown as Settable;
  const title = root.get('title');
  if (typeof title === 'string') target.set('title', out.createNode(title));
  // Plug-ins the scenario loads: without them its rules would not exist (paths stay relative to the scenario).
  if (root.get('plugins', true) !== undefined) target.set('plugins', root.get('plugins', true));
  if (options.rules !== undefined && Object.keys(options.rules).length > 0) {
    const rules = out.createNode({ ...options.rules }, { flow: true });
    target.set('rules', rules);
  } else if (options.rules === undefined && root.get('rules', true) !== undefined) {
    target.set('rules', root.get('rules', true));
  }
  const v = options.variant === undefined ? undefined : variantNode(root, options.variant);
  for (const part of PARTS) {
    const node = part === 'admin' && v?.get('admin', true) !== undefined ? v.get('admin', true) : root.get(part, true);
    if (node !== undefined) target.set(part, node);
  }
  // The library lets a folded line run a little past lineWidth: narrow it until every line fits.
  let text = '';
  for (let lineWidth = width; lineWidth >= 30; lineWidth -= 4) {
    text = out.toString({ lineWidth, minContentWidth: 20, flowCollectionPadding: false }).replace(/\s+$/, '');
    if (text.split('\n').every((l) => l.length <= width)) break;
  }
  return { text, whole: false };
}

function variantNode(root: { get(k: string, keep: true): unknown }, name: string): Gettable | undefined {
  const vs = root.get('variants', true);
  if (!isSeq(vs)) return undefined;
  for (const item of vs.items) if (isMap(item) && item.get('name') === name) return item as unknown as Gettable;
  return undefined;
}
