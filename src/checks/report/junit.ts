/**
 * JUnit XML, the format most CI systems render as test results: one test case per planning file
 * Cairn read, failing when the file has an error; warnings and notes go to the case's
 * `system-out`. Problems not tied to a readable file still get their own case.
 */
import type { Diagnostic } from '../../model/diagnostic.ts';

/** XML 1.0 text: the five entities escaped, characters XML cannot carry dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function line(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${where} ${d.severity} ${d.rule}: ${d.message}${d.hint ? ` (next: ${d.hint})` : ''}`;
}

export function junitReport(diagnostics: readonly Diagnostic[], files: readonly string[]): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of files) byFile.set(f, []);
  for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const cases: string[] = [];
  let failures = 0;
  for (const [file, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const errors = list.filter((d) => d.severity === 'error');
    const rest = list.filter((d) => d.severity !== 'error');
    let body = '';
    if (errors.length) {
      failures++;
      const rules = [...new Set(errors.map((d) => d.rule))].join(' ');
      body += `<failure type="${xmlEscape(rules)}" message="${xmlEscape(`${errors.length} error(s): ${errors[0]!.message}`)}">${xmlEscape(errors.map(line).join('\n'))}</failure>`;
    }
    if (rest.length) body += `<system-out>${xmlEscape(rest.map(line).join('\n'))}</system-out>`;
    const open = `    <testcase classname="cairn.check" name="${xmlEscape(file)}" file="${xmlEscape(file)}" time="0"`;
    cases.push(body ? `${open}>${body}</testcase>` : `${open}/>`);
  }
  const attrs = `name="cairn check" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `  <testsuite ${attrs}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
