import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { corpusDir, corpusRelative, hasCorpus, walkFiles } from '../support/corpus.ts';
import { checkDocument } from './invariants.ts';

describe.skipIf(!hasCorpus())('markdown: every corpus file round-trips', () => {
  const files = corpusDir ? walkFiles(corpusDir) : [];
  // The BOM is content: a decoder that strips it would break the byte-for-byte promise.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

  it('covers the whole corpus, not a sample', () => {
    expect(files.length).toBeGreaterThan(3800);
    expect(files.some((f) => f.endsWith('.json'))).toBe(true);
    expect(files.some((f) => f.includes('/seeds/'))).toBe(true);
  });

  it('parses every file without throwing and re-encodes it to the same bytes', () => {
    const invalidUtf8: string[] = [];
    const lossy: string[] = [];
    let bytes = 0;
    let parseMs = 0;
    for (const file of files) {
      const original = readFileSync(file);
      bytes += original.length;
      const text = decoder.decode(original);
      const t0 = performance.now();
      const doc = parseMarkdown(text);
      void doc.blocks;
      doc.sections();
      parseMs += performance.now() - t0;
      if (!Buffer.from(doc.toString(), 'utf8').equals(original)) {
        let valid = true;
        try {
          strict.decode(original);
        } catch {
          valid = false;
        }
        (valid ? lossy : invalidUtf8).push(corpusRelative(file));
      }
    }
    console.log(
      `[markdown] ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB parsed in ${parseMs.toFixed(0)} ms ` +
        `(${(bytes / 1e6 / (parseMs / 1000)).toFixed(1)} MB/s); ${invalidUtf8.length} not valid UTF-8${invalidUtf8.length ? `: ${invalidUtf8.join(', ')}` : ''}`,
    );
    // A valid UTF-8 file that does not round-trip is a bug in the document layer.
    expect(lossy).toEqual([]);
  });

  it('gives every file in-order, non-overlapping spans inside the text', () => {
    const failures: string[] = [];
    for (const file of files) {
      const doc = parseMarkdown(decoder.decode(readFileSync(file)));
      const problems = checkDocument(doc);
      if (problems.length > 0) failures.push(`${corpusRelative(file)}: ${problems.slice(0, 3).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});
