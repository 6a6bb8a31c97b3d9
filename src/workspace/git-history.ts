/**
 * The history of `.planning/` as git recorded it, read in ONE `git log` pass (dates and
 * `--name-status`, renames off so an archive move reads as a delete plus an add in one commit).
 * This is I/O, so it lives here; derive/burnup.ts turns it into a series. `git` is spawned with
 * an argument array, never through a shell. No git, not a repository, or no commit touching
 * `.planning/`: null, and the burn-up falls back to the ledger.
 */
import { spawn } from 'node:child_process';

export interface GitChange {
  /** `A` added, `D` deleted, `M` modified (other letters kept as read). */
  status: string;
  /** Path relative to the project root (`.planning/phases/…`). */
  path: string;
}

export interface GitCommit {
  hash: string;
  /** Committer date, ISO 8601 with offset. */
  date: string;
  changes: GitChange[];
}

export interface GitHistory {
  /** Oldest first. */
  commits: GitCommit[];
}

const RS = '\u001e';
const US = '\u001f';

export function parseGitLog(text: string): GitCommit[] {
  const commits: GitCommit[] = [];
  for (const chunk of text.split(RS)) {
    if (chunk.trim() === '') continue;
    const lines = chunk.split('\n');
    const [hash, date] = lines[0]!.split(US);
    if (!hash || !date) continue;
    const changes: GitChange[] = [];
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      // With renames off only single-path statuses occur; a C/R line (forced by config) keeps its new path.
      const parts = line.split('\t');
      changes.push({ status: line.slice(0, tab).charAt(0), path: parts[parts.length - 1]! });
    }
    commits.push({ hash, date: date.trim(), changes });
  }
  return commits;
}

export function readGitHistory(root: string): Promise<GitHistory | null> {
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(
        'git',
        ['log', '--reverse', '--no-renames', '--no-color', '--relative', '--name-status', `--format=${RS}%H${US}%cI`, '--', '.planning'],
        { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' } },
      );
    } catch {
      resolve(null);
      return;
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      if (code !== 0) return resolve(null);
      const commits = parseGitLog(out);
      resolve(commits.length ? { commits } : null);
    });
  });
}
