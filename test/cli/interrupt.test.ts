// SIGINT and SIGTERM during a long run (Lamport's mutex takes minutes), with one
// thread or with --workers: the run stops within a second, prints the header, the figures so far and
// "incomplete (interrupted)", writes its --out files whole, and exits 14.
// And --timeout holds while the model is built, before any search.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROOT, runCli } from '../support/runCli.ts';

const BIN = fileURLToPath(new URL('../../bin/klpcheck.js', import.meta.url));

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the signal to the exit. */
  afterSignalMs: number;
}

function interruptAfterFirstProgress(signal: NodeJS.Signals, out: string, extra: readonly string[] = []): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'check', 'specs/examples/lamport-mutex.ts', '--progress', '--out', out, ...extra], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (sentAt === 0 && /^Progress\(/m.test(stderr)) {
        sentAt = Date.now();
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, afterSignalMs: sentAt === 0 ? -1 : Date.now() - sentAt });
    });
  });
}

describe('SIGINT with --workers 2', () => {
  it('the coordinator stops the searchers: incomplete (interrupted), exit 14, the worker thread closed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'klpcheck-interrupt-'));
    const r = await interruptAfterFirstProgress('SIGINT', out, ['--workers', '2']);
    assert.equal(r.code, 14, r.stderr);
    assert.ok(r.afterSignalMs >= 0 && r.afterSignalMs < 5_000, `exited ${r.afterSignalMs} ms after the signal`);
    assert.match(r.stdout, /^Model checking incomplete \(interrupted\): SIGINT stopped the search; the figures are those so far\.$/m);
    const summary = JSON.parse(readFileSync(join(out, 'lamport-mutex.summary.json'), 'utf8')) as { verdict: string; exitCode: number };
    assert.deepEqual([summary.verdict, summary.exitCode], ['incomplete', 14]);
  });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  describe(`${signal} during a long run`, () => {
    it('stops incomplete (interrupted), exit 14, --out files complete', async () => {
      const out = mkdtempSync(join(tmpdir(), 'klpcheck-interrupt-'));
      const r = await interruptAfterFirstProgress(signal, out);
      assert.equal(r.code, 14, r.stderr);
      assert.ok(r.afterSignalMs >= 0, 'no progress line was printed');
      assert.match(r.stdout, /^klpcheck \S+: checking LamportMutex /);
      assert.match(r.stdout, new RegExp(`^Model checking incomplete \\(interrupted\\): ${signal} stopped the search; the figures are those so far\\.$`, 'm'));
      assert.match(r.stdout, /^[\d,]+ states generated, [\d,]+ distinct states found, [\d,]+ states left on queue\.$/m);
      assert.deepEqual(readdirSync(out), ['lamport-mutex.summary.json']);
      const summary = JSON.parse(readFileSync(join(out, 'lamport-mutex.summary.json'), 'utf8')) as { verdict: string; exitCode: number; bound: unknown };
      assert.deepEqual([summary.verdict, summary.exitCode, summary.bound], ['incomplete', 14, { kind: 'interrupted', limit: 0, signal }]);
    });
  });
}

describe('--timeout while building the model', () => {
  it('a deadline that passes before the search ends the run incomplete with no state, exit 14', () => {
    // One microsecond is over before the spec file is even loaded.
    const r = runCli(['check', 'specs/examples/twophase.ts', '--timeout', '0.000001', '--no-timing']);
    assert.equal(r.code, 14);
    assert.match(r.stdout, /^Model checking incomplete: the time limit of \S+ \(--timeout\) was reached while building the model\.$/m);
    assert.match(r.stdout, /^0 states generated, 0 distinct states found, 0 states left on queue\.$/m);
  });
});
