/**
 * A debounced watcher of `.planning/`: after changes settle, it re-reads each watched resource and
 * reports the ones whose text changed. Hosts may drop `notifications/resources/updated`, so this
 * is only a hint: every read is fresh whether or not a notification arrived.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSource } from './project.ts';
import { resourceText } from './resources.ts';

export const DEBOUNCE_MS = 150;

export class ResourceWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last = new Map<string, string>();

  constructor(
    private readonly source: ProjectSource,
    /** URIs to check on each change. */
    private readonly uris: () => Iterable<string>,
    private readonly onUpdated: (uri: string) => void,
  ) {}

  start(): void {
    try {
      this.watcher = watch(join(this.source.root, '.planning'), { recursive: true }, () => this.schedule());
      this.watcher.on('error', () => this.stop());
    } catch {
      // No watcher (platform or limits): notifications are a hint, reads stay fresh.
    }
  }

  /** Remember the current text of a URI, so only later changes are reported. */
  async remember(uri: string): Promise<void> {
    this.last.set(uri, await this.text(uri));
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), DEBOUNCE_MS);
    this.timer.unref();
  }

  private async text(uri: string): Promise<string> {
    try {
      return resourceText(await this.source.get(), uri);
    } catch (e) {
      return `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private async check(): Promise<void> {
    for (const uri of this.uris()) {
      const now = await this.text(uri);
      if (this.last.get(uri) !== now) {
        this.last.set(uri, now);
        this.onUpdated(uri);
      }
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = null;
  }
}
