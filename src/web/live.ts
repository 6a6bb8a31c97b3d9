/**
 * Live updates: one chokidar watcher per project's `.planning/`, debounced, fanned out to every
 * open page over Server-Sent Events. The event only names the project; the page then fetches its
 * view again, so the server stays the one place that renders.
 */
import { watch, type FSWatcher } from 'chokidar';
import { join } from 'node:path';
import type { ProjectRef } from './projects.ts';
import { LOCK_FILE } from '../store/lock.ts';
import { JOURNAL_FILE } from '../store/transaction.ts';
import { TEMP_MARK } from '../store/atomic.ts';

/** Editors and cairn itself write a file in a few steps (temp file, rename): wait for them to settle. */
export const DEBOUNCE_MS = 60;

export type Listener = (projectId: string) => void;

export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onChange: (p: ProjectRef) => void = () => undefined) {}

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Resolves once every watcher has finished its initial scan (so no change is missed after). */
  async watch(projects: ProjectRef[]): Promise<void> {
    await Promise.all(
      projects.map(
        (p) =>
          new Promise<void>((resolve) => {
            const w = watch(join(p.root, '.planning'), {
              ignoreInitial: true,
              followSymlinks: false,
              depth: 6,
              // Cairn's own lock and temp files come and go inside every write.
              ignored: (path: string) => path.includes(TEMP_MARK) || path.endsWith(LOCK_FILE) || path.endsWith(JOURNAL_FILE),
            });
            w.on('all', () => this.changed(p));
            w.on('ready', () => resolve());
            w.on('error', () => resolve());
            this.watchers.push(w);
          }),
      ),
    );
  }

  changed(p: ProjectRef): void {
    clearTimeout(this.timers.get(p.id));
    this.timers.set(
      p.id,
      setTimeout(() => {
        this.timers.delete(p.id);
        this.onChange(p);
        for (const l of this.listeners) l(p.id);
      }, DEBOUNCE_MS),
    );
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    await Promise.all(this.watchers.map((w) => w.close()));
  }
}
