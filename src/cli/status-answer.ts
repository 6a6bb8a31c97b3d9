/**
 * What `cairn status` and the launcher (launch.ts) agree on: which kept answer a command line
 * asks for, and the hand-off of a lookup the launcher already made, so that a miss does not
 * stamp the tree a second time in the full command.
 */
import { cairnBuild } from '../model/version.ts';
import type { AnswerLookup } from '../workspace/answers.ts';
import { useColor } from './output.ts';

export type AnswerMode = 'json' | 'brief' | 'text' | 'text+color';

export function answerMode(brief: boolean, json: boolean): AnswerMode {
  return brief ? 'brief' : json ? 'json' : useColor(process.stdout) ? 'text+color' : 'text';
}

interface HandOff {
  root: string;
  mode: AnswerMode;
  build: string;
  lookup: AnswerLookup;
}

// A registered symbol: the launcher and the command are separate bundles with separate copies of
// this module, and this is the one name both see.
const KEY = Symbol.for('cairn.status.lookup');
type Slot = { [KEY]?: HandOff };

export function handOff(root: string, mode: AnswerMode, lookup: AnswerLookup): void {
  (globalThis as Slot)[KEY] = { root, mode, build: cairnBuild, lookup };
}

/** The launcher's lookup for this root and mode, taken once; null when there is none. */
export function takeHandOff(root: string, mode: AnswerMode): AnswerLookup | null {
  const slot = globalThis as Slot;
  const h = slot[KEY];
  delete slot[KEY];
  return h && h.root === root && h.mode === mode && h.build === cairnBuild ? h.lookup : null;
}
