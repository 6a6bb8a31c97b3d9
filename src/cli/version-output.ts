/** What `cairn --version` prints; shared by the launcher (which answers it alone) and main.ts. */
import { cairnBuild, cairnVersion } from '../model/version.ts';

export const isVersionFlag = (arg: string | undefined): boolean => arg === '--version' || arg === '-v';

/** --json adds the build (a digest of the sources) that every cache keys on, for bug reports. */
export function versionOutput(rest: readonly string[]): string {
  return rest.includes('--json') ? `${JSON.stringify({ version: cairnVersion, build: cairnBuild })}\n` : `${cairnVersion}\n`;
}
