export { derive, renderBar, percentOf, BAR_CELLS } from './derive.ts';
export type { ProjectState, PhaseState, Velocity, Trend } from './types.ts';
