/** Running git: argument arrays, never a shell, so no path or text is ever interpreted. */
import { spawnSync } from 'node:child_process';
import { PreconditionError } from '../model/errors.ts';

export interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function git(args: string[], cwd: string, input?: string): GitResult {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) throw new PreconditionError(`cannot run git: ${r.error.message}`, 'install git and make sure it is on PATH');
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** stdout of a git command that must succeed, trimmed of its final newline. */
export function gitOut(args: string[], cwd: string): string {
  const r = git(args, cwd);
  if (r.status !== 0) throw new PreconditionError(`git ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.status}`}`, 'run it yourself to see why');
  return r.stdout.replace(/\r?\n$/, '');
}
