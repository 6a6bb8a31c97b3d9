// The floor under a cold `cairn status` (bench/gsd.ts): a Node process that lists `.planning/` as
// the loader does and reads the bytes of the files status reads (ROADMAP, STATE, PLAN, SUMMARY,
// todos…; the list is made by the bench with the loader's own classify), parsing nothing. GSD's
// `progress json` counts PLAN and SUMMARY names and reads none of them; status must read their
// frontmatter, so on a large project this floor alone can exceed GSD's whole run.
// Usage: node bench/read-floor.mjs <project dir> <file listing the paths to read, one per line>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, listFile] = process.argv.slice(2);
const wanted = new Set(readFileSync(listFile, 'utf8').split('\n'));
let bytes = 0;
const visit = (abs, rel) => {
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const childRel = `${rel}/${e.name}`;
    if (e.isDirectory()) visit(join(abs, e.name), childRel);
    else if (wanted.has(childRel)) bytes += readFileSync(join(abs, e.name)).length;
  }
};
visit(join(root, '.planning'), '.planning');
process.stderr.write(`read-floor-bytes=${bytes}\n`);
