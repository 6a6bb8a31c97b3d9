/**
 * The projects a dashboard shows, by id (routes never take a path). Each project is loaded on
 * demand and kept until the watcher says a file under its `.planning/` changed; the reload then
 * parses only the files that changed (the workspace cache, in memory).
 */
import { projectId, type LoadedProject } from '../views/portfolio.ts';
import { loadProject } from '../views/load.ts';
import { WorkspaceCache } from '../workspace/index.ts';

export interface ProjectRef {
  id: string;
  root: string;
}

export class Projects {
  private readonly byId = new Map<string, ProjectRef>();
  private readonly loaded = new Map<string, Promise<LoadedProject>>();
  private readonly cache = new WorkspaceCache();
  private readonly loadedOn = new Map<string, string>();

  constructor(
    roots: readonly string[],
    /** Keep loads until invalidate() (a watcher runs); false re-reads on every request. */
    private readonly keep: boolean,
  ) {
    for (const root of roots) {
      const id = projectId(root);
      if (!this.byId.has(id)) this.byId.set(id, { id, root });
    }
  }

  list(): ProjectRef[] {
    return [...this.byId.values()];
  }

  /** Only ids this server was started with resolve; anything else is not found. */
  get(id: string): ProjectRef | undefined {
    return this.byId.get(id);
  }

  byRoot(root: string): ProjectRef | undefined {
    return this.byId.get(projectId(root));
  }

  load(root: string): Promise<LoadedProject> {
    const read = (r: string) => this.cache.loadRoot(r);
    if (!this.keep) return loadProject(root, new Date(), read);
    // The forecast counts from today: a load of an earlier day is stale even if no file changed.
    const day = new Date().toISOString().slice(0, 10);
    if (this.loadedOn.get(root) !== day) this.loaded.delete(root);
    this.loadedOn.set(root, day);
    let p = this.loaded.get(root);
    if (!p) {
      p = loadProject(root, new Date(), read);
      this.loaded.set(root, p);
      p.catch(() => this.loaded.delete(root));
    }
    return p;
  }

  invalidate(root: string): void {
    this.loaded.delete(root);
  }
}
