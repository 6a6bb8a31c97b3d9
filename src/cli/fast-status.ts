/**
 * `cairn status` answered from the answer cache without loading the command (and `--version`,
 * which needs nothing at all). Only the plain forms `status [dir] [--json | --brief]` are tried
 * here; every other command line, every miss and every error goes to the full program, which
 * gives the same answer or the proper message.
 */
import { writeSync } from 'node:fs';
import { AnswerCache, cacheDisabled } from '../workspace/answers.ts';
import { findRootSync } from '../workspace/root.ts';
import { answerMode, handOff } from './status-answer.ts';
import { isVersionFlag, versionOutput } from './version-output.ts';

/** Prints the kept answer (or the version) and returns true, or returns false for the full program to run. */
export function answerFromCache(argv: readonly string[]): boolean {
  if (isVersionFlag(argv[0])) {
    writeStdout(versionOutput(argv.slice(1)));
    return true;
  }
  if (argv[0] !== 'status' || cacheDisabled()) return false;
  let dir: string | undefined;
  let json = false;
  let brief = false;
  for (const a of argv.slice(1)) {
    if (a === '--json') json = true;
    else if (a === '--brief') brief = true;
    else if (dir === undefined && a !== '' && !a.startsWith('-')) dir = a;
    else return false;
  }
  if (json && brief) return false;
  let root: string;
  try {
    root = findRootSync(dir ?? '.');
  } catch {
    return false; // not a project: the full command says so, with the next command to run
  }
  const mode = answerMode(brief, json);
  const found = new AnswerCache().lookup(root, mode, new Date());
  if (found.output == null) {
    handOff(root, mode, found);
    return false;
  }
  writeStdout(found.output);
  return true;
}

/**
 * Writes straight to file descriptor 1: creating `process.stdout` loads Node's stream modules,
 * about as much time again as the whole lookup. Node gives a child's stdio blocking descriptors;
 * should one be non-blocking anyway (EAGAIN), the rest goes through `process.stdout`. A reader that
 * went away (EPIPE, `| head`) ends the output, as it would for any command-line tool.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  try {
    while (at < bytes.length) at += writeSync(1, bytes, at);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') process.stdout.write(bytes.subarray(at));
    else if (code !== 'EPIPE') throw e;
  }
}
