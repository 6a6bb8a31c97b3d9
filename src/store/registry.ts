/**
 * The project registry: the projects `cairn serve` and `cairn status --all` show, kept in the
 * user's config folder (`$XDG_CONFIG_HOME/cairn/projects.json`, else `~/.config/cairn/`), never in
 * a project. A file that cannot be parsed is reported and never overwritten: the user's list is
 * worth more than our write.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PreconditionError } from '../model/errors.ts';
import { ensureDir, writeFileAtomic } from './atomic.ts';

export interface RegisteredProject {
  /** Absolute path of the folder that holds `.planning/`. */
  root: string;
  /** When it was added (ISO date-time). */
  added: string;
}

export interface Registry {
  version: 1;
  projects: RegisteredProject[];
}

export function registryPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'cairn', 'projects.json');
}

function unreadable(file: string, why: string): PreconditionError {
  return new PreconditionError(`cannot read the project registry ${file}: ${why}`, `fix or delete ${file}, then run \`cairn projects list\``);
}

/** The registry, or an empty one when the file does not exist yet. */
export async function readRegistry(file = registryPath()): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, projects: [] };
    throw unreadable(file, (e as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw unreadable(file, `not JSON (${(e as Error).message})`);
  }
  const list = (data as { projects?: unknown })?.projects;
  if (!Array.isArray(list)) throw unreadable(file, 'no "projects" list');
  const projects: RegisteredProject[] = [];
  for (const [i, p] of list.entries()) {
    const root = (p as { root?: unknown })?.root;
    if (typeof root !== 'string' || !root.startsWith('/')) throw unreadable(file, `projects[${i}] has no absolute "root"`);
    const added = (p as { added?: unknown }).added;
    projects.push({ root, added: typeof added === 'string' ? added : '' });
  }
  return { version: 1, projects };
}

async function save(file: string, registry: Registry): Promise<void> {
  await ensureDir(resolve(file, '..'));
  await writeFileAtomic(file, `${JSON.stringify(registry, null, 2)}\n`);
}

/** Adds `root` (absolute); returns false when it was already registered. */
export async function addProject(root: string, now: Date, file = registryPath()): Promise<boolean> {
  const reg = await readRegistry(file);
  if (reg.projects.some((p) => p.root === root)) return false;
  reg.projects.push({ root, added: now.toISOString() });
  await save(file, reg);
  return true;
}

/** Removes `root`; returns false when it was not registered. */
export async function removeProject(root: string, file = registryPath()): Promise<boolean> {
  const reg = await readRegistry(file);
  const kept = reg.projects.filter((p) => p.root !== root);
  if (kept.length === reg.projects.length) return false;
  await save(file, { version: 1, projects: kept });
  return true;
}
