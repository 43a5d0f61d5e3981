// Runs the real command line (bin/klpcheck.js) in a child process, as a user
// would, and returns its exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/klpcheck.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** True when the text holds a JavaScript stack frame. */
export function hasStack(text: string): boolean {
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(text);
}
