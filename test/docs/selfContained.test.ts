// The project explains itself: no file refers to the research notes that lived
// outside the repository, every property and rule variant the code offers is
// documented, and every bundled scenario file is described in
// docs/scenarios.md (with each of its variants), whose anchors resolve.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { TEMPORAL_PROPERTIES } from '../../src/livepatch/liveness.ts';
import { PROPERTIES } from '../../src/livepatch/properties.ts';
import { RULE_FAMILIES } from '../../src/livepatch/rules/index.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import { ROOT } from '../support/runCli.ts';

// Built from pieces so that this file does not match itself.
const FORBIDDEN = ['shared' + '/', 'livepatch' + '-rules'];

/** The files git tracks (or, without git, every file outside node_modules and .git). */
function projectFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f !== '' && !f.startsWith('node_modules/'));
  } catch {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === '.git') continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) files.push(relative(ROOT, p));
      }
    };
    walk(ROOT);
    return files;
  }
}

function readText(file: string): string | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(join(ROOT, file));
  } catch {
    return undefined; // listed by git but deleted in the working tree
  }
  return buf.includes(0) ? undefined : buf.toString('utf8');
}

const doc = (name: string): string => readFileSync(join(ROOT, 'docs', name), 'utf8');

describe('no reference to files outside the repository', () => {
  it('no tracked file mentions the external research notes', () => {
    const files = projectFiles();
    // The repository has well over 50 files; far fewer means the listing failed.
    assert.ok(files.length > 50, `only ${files.length} files listed`);
    const hits: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      text.split('\n').forEach((line, i) => {
        for (const word of FORBIDDEN) if (line.includes(word)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(hits, []);
  });
});

describe('docs/properties.md', () => {
  const text = doc('properties.md');
  // Invariants and temporal properties alike: a scenario names both under check:.
  const all = [...PROPERTIES, ...TEMPORAL_PROPERTIES].map((p) => ({ name: p.name, alias: p.alias }));
  for (const p of all) {
    it(`has a section "${p.name} (${p.alias})"`, () => {
      assert.ok(text.split('\n').includes(`## ${p.name} (${p.alias})`), `no heading "## ${p.name} (${p.alias})"`);
    });
  }
  it('documents no property the code does not have', () => {
    const headings = text.split('\n').filter((l) => /^## [a-z-]+ \(/.test(l)).map((l) => l.slice(3, l.indexOf(' (')));
    assert.deepEqual(headings.sort(), all.map((p) => p.name).sort());
  });
  it('each property section has a definition, a formula, an example and "Checked by:"', () => {
    const sections = text.split(/^## /m).slice(1);
    for (const p of all) {
      const body = sections.find((x) => x.startsWith(`${p.name} (${p.alias})\n`))!;
      for (const part of ['**Definition.**', '```', '**Example violation**', '**Checked by:**']) assert.ok(body.includes(part), `${p.name}: no ${part}`);
    }
    for (const p of TEMPORAL_PROPERTIES) assert.ok(sections.find((x) => x.startsWith(`${p.name} (`))!.includes('**Assumptions'), `${p.name}: no assumptions`);
  });
});

describe('docs/livepatch-model.md rule families', () => {
  // Rows of the rule-family table: | `family` | `variant` [*] | meaning | ...;
  // an empty first cell continues the family above.
  const documented = new Map<string, boolean>(); // "family=variant" -> marked default
  let family = '';
  for (const line of doc('livepatch-model.md').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !line.startsWith('|')) continue;
    const fam = /^`([a-z-]+)`$/.exec(cells[1]!);
    if (fam !== null) family = fam[1]!;
    else if (cells[1] !== '') continue;
    const variant = /^`([a-z-]+)`( \*)?$/.exec(cells[2]!);
    if (variant !== null && family !== '') documented.set(`${family}=${variant[1]}`, variant[2] !== undefined);
  }
  for (const f of RULE_FAMILIES) {
    for (const v of f.variants) {
      it(`documents ${f.name}=${v.name}${v.name === f.default ? ' as today\'s kernel (*)' : ''}`, () => {
        assert.equal(documented.get(`${f.name}=${v.name}`), v.name === f.default, `${f.name}=${v.name} missing or wrongly marked`);
      });
    }
  }
  it('documents no variant the code does not have', () => {
    const real = RULE_FAMILIES.flatMap((f) => f.variants.map((v) => `${f.name}=${v.name}`));
    assert.deepEqual([...documented.keys()].sort(), real.sort());
  });
});

describe('docs/scenarios.md', () => {
  const text = doc('scenarios.md');
  const specs = readdirSync(join(ROOT, 'specs', 'livepatch')).filter((f) => f.endsWith('.yaml')).sort();
  it('there are bundled scenarios to describe', () => assert.ok(specs.length >= 8, `${specs.length} files`));
  for (const file of specs) {
    it(`names specs/livepatch/${file} and each of its variants`, () => {
      assert.ok(text.includes(`specs/livepatch/${file}`), `specs/livepatch/${file} is not named`);
      for (const v of loadScenario(join(ROOT, 'specs', 'livepatch', file)).variants) {
        assert.ok(text.includes(`\`${v.name}\``), `variant ${v.name} of ${file} is not named`);
      }
    });
  }
  const ids = new Set([...text.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]!));
  it('has an anchor for every scenario S1..S13 and S1a..S1d', () => {
    const want = [...Array.from({ length: 13 }, (_, i) => `s${i + 1}`), 's1a', 's1b', 's1c', 's1d'];
    assert.deepEqual(want.filter((id) => !ids.has(id)), []);
  });
  it('every link to a scenario anchor (docs, README, comments) resolves', () => {
    const broken: string[] = [];
    for (const file of projectFiles()) {
      const body = readText(file);
      if (body === undefined) continue;
      for (const m of body.matchAll(/scenarios\.md#([a-z0-9-]+)/g)) if (!ids.has(m[1]!)) broken.push(`${file}: #${m[1]}`);
    }
    for (const m of text.matchAll(/\]\(#([a-z0-9-]+)\)/g)) if (!ids.has(m[1]!)) broken.push(`docs/scenarios.md: #${m[1]}`);
    assert.deepEqual(broken, []);
  });
});
