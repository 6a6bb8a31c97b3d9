export { loadWorkspace, reloadWithOverlay, pendingEntries, findRoot, decode } from './load.ts';
export { WorkspaceCache, cacheDisabled, defaultCacheDir, RACY_MS, type CacheOptions, type CacheStats } from './cache.ts';
export type { Workspace, PhaseDir, PlanEntry, Parsed, TodoEntry } from './types.ts';
export { gitPlace, sharedLockPath, type GitPlace } from './root.ts';
export { phaseIdsElsewhere, type TakenIds } from './elsewhere.ts';
export { nextFreeInteger } from './renumber-hint.ts';
