/**
 * Whole answers on top of the parse cache: a command whose output depends only on the project's
 * files and the day (status) keeps its last output per mode, keyed by the stamp of the tree it
 * read (signature.ts). When the stamp, the build, the root and the UTC day are all the same, the
 * answer is printed without loading a reader; anything else, and the command runs in full through
 * the parse cache, which re-parses only the files that changed. Same rules as the parse cache:
 *
 * - A stamp that is racy (a file changed within RACY_MS) is never stored: its signatures prove
 *   nothing yet. The stamp is taken before the files are read, so a file edited while the answer
 *   was computed makes the next stamp differ.
 * - The stamp is compared in full, never through a hash.
 * - A missing, corrupt, foreign or unreadable answers file is a miss; one that cannot be written
 *   is skipped. Never an error. `CAIRN_NO_CACHE=1` turns it off.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cairnBuild } from '../model/version.ts';
import { stampTree, type TreeStamp } from './signature.ts';

const FORMAT = 'cairn-answers/1';
const DAY_MS = 86_400_000;

export function cacheDisabled(): boolean {
  return !!process.env.CAIRN_NO_CACHE && process.env.CAIRN_NO_CACHE !== '0';
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cairn');
}

/** Two 32-bit FNV-1a hashes: a short file name per project without loading node:crypto at startup. */
export function projectFileName(root: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < root.length; i++) {
    const c = root.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

interface AnswersFile {
  format: string;
  build: string;
  root: string;
  tree: string;
  /** Output by mode (`json`, `brief`, `text`, `text+color`), each for the UTC day it was computed on. */
  answers: Record<string, { day: number; output: string }>;
}

/** A lookup: the stamp taken, and the stored output when it still holds. */
export interface AnswerLookup {
  stamp: TreeStamp | null;
  output: string | null;
}

export class AnswerCache {
  constructor(
    private readonly dir: string = defaultCacheDir(),
    private readonly build: string = cairnBuild,
    /** The clock racy stamps are judged by (tests move it forward instead of sleeping). */
    private readonly clock: () => number = Date.now,
  ) {}

  fileFor(root: string): string {
    return join(this.dir, `answers-${projectFileName(root)}.json`);
  }

  /** Stamps the tree of `root` and returns the stored output for `mode` if nothing changed. */
  lookup(root: string, mode: string, now: Date = new Date()): AnswerLookup {
    const stamp = stampTree(root, this.clock());
    if (!stamp || stamp.racy) return { stamp, output: null };
    const file = this.read(root);
    const hit = file && file.tree === stamp.text ? file.answers[mode] : undefined;
    return { stamp, output: hit && hit.day === utcDay(now) ? hit.output : null };
  }

  /** Keeps `output` for `mode` under the stamp taken before the answer was computed. */
  store(root: string, mode: string, stamp: TreeStamp | null, output: string, now: Date = new Date()): void {
    if (!stamp || stamp.racy) return;
    const old = this.read(root);
    const answers = old && old.tree === stamp.text ? old.answers : {};
    answers[mode] = { day: utcDay(now), output };
    const data: AnswersFile = { format: FORMAT, build: this.build, root, tree: stamp.text, answers };
    try {
      mkdirSync(this.dir, { recursive: true });
      const target = this.fileFor(root);
      const tmp = `${target}.${process.pid}.tmp`;
      // No fsync: a lost answer is recomputed; a torn file fails to parse and is a miss.
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, target);
    } catch {
      // An answer that cannot be kept only costs time.
    }
  }

  private read(root: string): AnswersFile | null {
    try {
      const data = JSON.parse(readFileSync(this.fileFor(root), 'utf8')) as Partial<AnswersFile> | null;
      if (data?.format !== FORMAT || data.build !== this.build || data.root !== root) return null;
      if (typeof data.tree !== 'string' || typeof data.answers !== 'object' || data.answers === null) return null;
      for (const a of Object.values(data.answers)) {
        if (typeof a?.day !== 'number' || typeof a.output !== 'string') return null;
      }
      return data as AnswersFile;
    } catch {
      return null;
    }
  }
}

function utcDay(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS);
}
