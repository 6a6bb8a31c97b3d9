/**
 * What code this is. `CAIRN_VERSION` (package.json) and `CAIRN_BUILD` (a digest of the sources) are
 * set by scripts/build.mjs; run from source (tests, tsx) they are absent.
 */
declare const CAIRN_VERSION: string;
declare const CAIRN_BUILD: string;

export const cairnVersion: string = typeof CAIRN_VERSION === 'string' ? CAIRN_VERSION : 'dev';

/**
 * The version and the build: every cache keys on this, so a rebuilt binary with an unchanged
 * version number never reuses what another build parsed or answered.
 */
export const cairnBuild: string = `${cairnVersion}+${typeof CAIRN_BUILD === 'string' ? CAIRN_BUILD : 'source'}`;
