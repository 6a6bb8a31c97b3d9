/**
 * The `cairn` executable (dist/cairn.cjs). CommonJS on purpose: Node's ESM loader costs a few
 * milliseconds of every start before any code runs, more than the whole of an answer kept for an
 * unchanged tree. So the launcher first tries that answer (fast-status.ts: a stat of each file of
 * `.planning/` and one read of the answers file) and only when there is none imports the full
 * command-line program, dist/cairn.mjs, which then reads argv as usual.
 */
import { answerFromCache } from './fast-status.ts';

if (!answerFromCache(process.argv.slice(2))) {
  // The ESM entry runs main() when evaluated; it reports its own errors and sets the exit code.
  // node:url and node:path are required here, on the way to the program, not before the answer.
  const { join } = require('node:path') as typeof import('node:path');
  const { pathToFileURL } = require('node:url') as typeof import('node:url');
  void import(pathToFileURL(join(__dirname, 'cairn.mjs')).href);
}
