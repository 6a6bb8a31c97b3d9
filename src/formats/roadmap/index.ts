export { readRoadmap } from './read.ts';
export type * from './types.ts';
