/**
 * Free text for `decide`, `todo add` and `block`: the words on the command line (joined by one
 * space, so unquoted words still make one text), or the content of `--text-file FILE` (`-` reads
 * standard input) for texts too long or too awkward to quote. A file is checked before it is
 * decoded: oversized content and invalid UTF-8 are usage errors, never silently mangled.
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { MAX_TEXT_BYTES } from '../ops/input.ts';
import type { FlagSpec, ParsedArgs } from './args.ts';
import { UsageError } from '../model/errors.ts';

export const textFileFlag: Record<string, FlagSpec> = {
  'text-file': { type: 'string', description: 'read the text from FILE (`-` for standard input) instead of the command line' },
};

const strict = new TextDecoder('utf-8', { fatal: true });

/** Reads at most `limit + 1` bytes, so a huge file costs no more than the limit to reject. */
function readCapped(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read --text-file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'give the path of a readable text file');
  }
  try {
    if (path !== '-' && !fstatSync(fd).isFile()) throw new UsageError(`--text-file ${path} is not a file`, 'give the path of a readable text file');
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > limit) break;
    }
    return Buffer.concat(chunks);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/**
 * The text of a command: positionals joined, or the file. Undefined when neither was given (the
 * operation then reports the text as missing). Length and encoding of command-line text are
 * checked by the operation (`requireText`).
 */
export function textFrom(args: ParsedArgs, what: string): string | undefined {
  const file = args.flags['text-file'] as string | undefined;
  if (file === undefined) return args.positionals.length ? args.positionals.join(' ') : undefined;
  if (args.positionals.length) throw new UsageError(`give ${what} either on the command line or with --text-file, not both`, 'drop one of them');
  // Surrounding whitespace is trimmed later, so allow some beyond the limit before refusing.
  const limit = MAX_TEXT_BYTES * 4;
  const bytes = readCapped(file, limit);
  if (bytes.length > limit) {
    throw new UsageError(
      `${what} in ${file === '-' ? 'standard input' : file} is over ${limit.toLocaleString('en')} bytes; the limit is ${MAX_TEXT_BYTES.toLocaleString('en')}`,
      'write the details in a file under .planning/ and reference it in a short sentence',
    );
  }
  try {
    return strict.decode(bytes);
  } catch {
    throw new UsageError(`${what} in ${file === '-' ? 'standard input' : file} is not valid UTF-8`, 'save the file as UTF-8 and try again');
  }
}
