// The compile cache first: it applies to every module loaded after it (the command chunks).
import './compile-cache.ts';
import { main, report } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = report(e);
  },
);
