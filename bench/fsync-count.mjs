// Preloaded with `node --import` by the bench: counts fsync/fdatasync calls of one cairn process
// and prints the total to stderr as `cairn-bench-fsyncs=N` when it exits.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
let n = 0;
for (const name of ['fsync', 'fsyncSync', 'fdatasync', 'fdatasyncSync']) {
  const orig = fs[name];
  fs[name] = function (...args) { n++; return orig.apply(this, args); };
}
const fh = Object.getPrototypeOf(await fs.promises.open(new URL(import.meta.url), 'r').then(async (h) => { await h.close(); return h; }));
for (const name of ['sync', 'datasync']) {
  const orig = fh[name];
  fh[name] = function (...args) { n++; return orig.apply(this, args); };
}
syncBuiltinESMExports();
process.on('exit', () => process.stderr.write(`cairn-bench-fsyncs=${n}\n`));
