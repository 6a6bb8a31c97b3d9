/**
 * `cairn status` answered from the answer cache without loading the command: only the plain
 * forms `status [dir] [--json | --brief]` are tried here; every other command line, every miss
 * and every error goes to the full program, which gives the same answer or the proper message.
 */
import { AnswerCache, cacheDisabled } from '../workspace/answers.ts';
import { findRootSync } from '../workspace/root.ts';
import { answerMode, handOff } from './status-answer.ts';

/** Prints the kept answer and returns true, or returns false for the full program to run. */
export function answerFromCache(argv: readonly string[]): boolean {
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
  process.stdout.write(found.output);
  return true;
}
