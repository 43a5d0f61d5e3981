// Runs the command line in-process, through main(argv, io) with a captured
// Io, from the repository root: much faster than a child process, for tests
// that run many command lines (the fuzz test).
import type { Io } from '../../src/cli/checkCommand.ts';
import { main } from '../../src/cli/main.ts';
import { ROOT } from './runCli.ts';

export interface MainRun {
  code: number;
  out: string;
  err: string;
  /** Wall-clock milliseconds (only to catch a hang, never asserted as a figure). */
  ms: number;
}

export async function runMain(argv: readonly string[]): Promise<MainRun> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isErrTty: false, colour: false };
  const cwd = process.cwd();
  process.chdir(ROOT);
  const t0 = Date.now();
  try {
    const code = await main(argv, io);
    return { code, out, err, ms: Date.now() - t0 };
  } finally {
    process.chdir(cwd);
  }
}
