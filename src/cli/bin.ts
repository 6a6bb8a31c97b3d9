// The compile cache first: it applies to every module loaded after it (the command chunks).
import './compile-cache.ts';
import { main, report } from './main.ts';

// A reader that goes away (`cairn log | head`) ends the output quietly, as for any command-line
// tool; without this Node reports the EPIPE as an unhandled error with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = report(e);
  },
);
