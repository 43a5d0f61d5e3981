// A plug-in loaded where the typescript package cannot be imported: it is
// loaded without its type check, and a run that uses it says so (KLP507) in
// every format (and `rules --plugin` too); --strict makes that exit 15. The missing package is
// simulated in-process with setTypeScriptImport (a rejecting import).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadPlugin, setTypeScriptImport } from '../../src/livepatch/pluginLoader.ts';
import { runMain } from '../support/runMain.ts';

const SCENARIO = 'specs/proposals/s2-immediate-replace.yaml';
const PLUGIN = 'specs/proposals/through-immediates.plugin.ts';
const KLP507 = `plug-in ${PLUGIN} was loaded without a type check (the typescript package is not installed): only the run-time checks of its values applied`;

describe('a plug-in without the typescript package', () => {
  before(() => setTypeScriptImport(() => Promise.reject(new Error("Cannot find package 'typescript'"))));
  after(() => setTypeScriptImport(undefined));

  it('is loaded, marked as not type-checked', async () => {
    const p = await loadPlugin(PLUGIN, PLUGIN);
    assert.equal(p.typeChecked, false);
    assert.deepEqual(p.variants.map((v) => `${v.family}=${v.variant.name}`), ['stack-check=through-immediates']);
  });

  it('a run using its variant warns KLP507 in text, JSON and mail; --strict exits 15', async () => {
    const args = ['check', SCENARIO, '--variant', 'through-immediates', '--no-timing'];
    const text = await runMain([...args, '--format', 'text']);
    assert.equal(text.code, 0, text.err);
    assert.ok(text.out.includes(`Warning KLP507: ${KLP507}\n`), text.out);
    const json = await runMain([...args, '--format', 'json', '--strict']);
    assert.equal(json.code, 15);
    assert.deepEqual((JSON.parse(json.out) as { warnings: unknown }).warnings, [{ code: 'KLP507', message: KLP507 }]);
    const mail = await runMain([...args, '--format', 'mail']);
    assert.match(mail.out.replace(/\n {13}/g, ' '), /^ {11}Warning KLP507: plug-in specs\/proposals\/through-immediates\.plugin\.ts was loaded without a type check/m);
  });

  it('rules --plugin lists its variants, then the same KLP507 line', async () => {
    const r = await runMain(['rules', '--plugin', PLUGIN]);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.endsWith(`\n\nWarning KLP507: ${KLP507}\n`), r.out.slice(-300));
  });

  it('a variant of the same scenario that does not use the plug-in does not warn', async () => {
    const r = await runMain(['check', SCENARIO, '--variant', 'all-predecessors', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as { warnings: unknown }).warnings, []);
  });

  it('suite: the run expected safe that warns is NOT MET (exit 1), as any warning makes it', async () => {
    const r = await runMain(['suite', SCENARIO]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^s2-immediate-replace\.yaml +through-immediates +.* safe \(vacuous: 1 warning\) +62 +NOT MET: expected safe, got safe \(vacuous: 1 warning\)$/m);
    assert.ok(r.out.includes(`  Warning KLP507: ${KLP507}\n`));
  });
});

describe('a plug-in with the typescript package', () => {
  it('is type-checked and a run using it does not warn', async () => {
    setTypeScriptImport(undefined);
    const r = await runMain(['check', SCENARIO, '--variant', 'through-immediates', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as { warnings: unknown }).warnings, []);
  });
});
