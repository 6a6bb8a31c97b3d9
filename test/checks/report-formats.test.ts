/**
 * `cairn check --format github|sarif|junit` on real corpus repositories, each output checked
 * against its format's own definition: the workflow-command grammar and the per-step annotation
 * limits, the SARIF 2.1.0 JSON schema (from an npm package, read from node_modules), and an XML
 * parser for JUnit.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
// CommonJS default export: the class sits on .default under ESM interop.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: typeof AjvDraft04Module }).default ?? AjvDraft04Module) as unknown as new (o: object) => import('ajv').default;
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cairn } from '../support/cli.ts';
import { corpusDir, hasCorpus } from '../support/corpus.ts';
import { ANNOTATIONS_PER_KIND, escapeGithub, githubReport } from '../../src/checks/report/github.ts';
import { RULES } from '../../src/checks/rules.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';

const require = createRequire(import.meta.url);
const schemaFile = join(require.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

// Many errors (over the annotation cap), warnings and notes, a few, and none at all.
const REPOS = ['VitalPointAI__Hopper', 'Gochiri__Focus-Os', 'merlinkraemer__prunr', 'mbarnson__caseycraps'];

function expected(repo: string): { diagnostics: Diagnostic[]; counts: Record<string, number> } {
  return JSON.parse(cairn(['check', '--json', join(corpusDir!, repo)]).stdout);
}

/** `::cmd k=v,k=v::data` — properties from the documented set, with `,` `:` `%` CR LF escaped. */
const PROP = '(?:file|line|col|endLine|endColumn|title)=(?:[^,:%\\r\\n]|%25|%0D|%0A|%3A|%2C)*';
const COMMAND = new RegExp(`^::(error|warning|notice)(?: ${PROP}(?:,${PROP})*)?::((?:[^%\\r\\n]|%25|%0D|%0A)*)$`);

function unescape(s: string): string {
  return s.replace(/%(25|0D|0A|3A|2C)/g, (_m: string, code: string) => String.fromCharCode(parseInt(code, 16)));
}

describe.skipIf(!hasCorpus())('check --format on the corpus', () => {
  it.each(REPOS)('github: %s', (repo) => {
    const want = expected(repo);
    const r = cairn(['check', '--format', 'github', join(corpusDir!, repo)]);
    expect(r.code).toBe(want.counts.error ? 1 : 0);
    const lines = r.stdout.trimEnd().split('\n');
    const commands = lines.filter((l) => l.startsWith('::'));
    for (const l of commands) expect(l).toMatch(COMMAND);
    const perKind = { error: 0, warning: 0, notice: 0 };
    for (const l of commands) perKind[COMMAND.exec(l)![1] as keyof typeof perKind]++;
    expect(perKind.error).toBe(Math.min(ANNOTATIONS_PER_KIND, want.counts.error!));
    expect(perKind.warning).toBe(Math.min(ANNOTATIONS_PER_KIND, want.counts.warning!));
    expect(perKind.notice).toBe(Math.min(ANNOTATIONS_PER_KIND, want.counts.info!));
    // Every problem is in the log, annotated or not, and the last line sums them up.
    expect(lines.length - 1).toBe(want.diagnostics.length);
    const summary = lines.at(-1)!;
    expect(summary).toContain(`cairn check: ${want.counts.error} error(s), ${want.counts.warning} warning(s), ${want.counts.info} note(s)`);
    const capped = want.diagnostics.length - commands.length;
    if (capped) expect(summary).toContain(`${capped} not shown as annotations`);
    else expect(summary).not.toContain('not shown');
    // The first annotation decodes back to the first diagnostic.
    const first = want.diagnostics[0];
    if (first) {
      const data = unescape(COMMAND.exec(commands[0]!)![2]!);
      expect(data.startsWith(first.message)).toBe(true);
      expect(commands[0]).toContain(`file=${escapeGithub(first.file, true)}`);
    }
  });

  it.each(REPOS)('sarif validates against the SARIF 2.1.0 schema: %s', (repo) => {
    const want = expected(repo);
    const r = cairn(['check', '--format', 'sarif', join(corpusDir!, repo)]);
    expect(r.code).toBe(want.counts.error ? 1 : 0);
    const log = JSON.parse(r.stdout);
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator does reject what the schema forbids.
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal', message: {} }] }] })).toBe(false);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('cairn');
    expect(run.results).toHaveLength(want.diagnostics.length);
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toEqual([...new Set(want.diagnostics.map((d) => d.rule))].sort());
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text.length).toBeGreaterThan(0);
      // Rules Cairn emits on the corpus all carry their own help, not the generic one.
      expect(RULES[rule.id], rule.id).toBeDefined();
    }
    run.results.forEach((res: any, i: number) => {
      const d = want.diagnostics[i]!;
      expect(res.ruleId).toBe(d.rule);
      expect(ruleIds[res.ruleIndex]).toBe(d.rule);
      expect(res.level).toBe(d.severity === 'info' ? 'note' : d.severity);
      expect(decodeURIComponent(res.locations[0].physicalLocation.artifactLocation.uri)).toBe(d.file);
      if (d.line > 0) expect(res.locations[0].physicalLocation.region.startLine).toBe(d.line);
    });
  });

  it.each(REPOS)('junit parses as JUnit XML: %s', (repo) => {
    const want = expected(repo);
    const r = cairn(['check', '--format', 'junit', join(corpusDir!, repo)]);
    expect(r.code).toBe(want.counts.error ? 1 : 0);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(r.stdout);
    const suite = doc.testsuites.testsuite[0];
    const cases = suite.testcase as any[];
    expect(Number(suite.tests)).toBe(cases.length);
    const errorFiles = new Set(want.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
    const failing = cases.filter((c) => c.failure !== undefined);
    expect(Number(suite.failures)).toBe(errorFiles.size);
    expect(new Set(failing.map((c) => c.name))).toEqual(errorFiles);
    for (const c of failing) {
      const mine = want.diagnostics.filter((d) => d.severity === 'error' && d.file === c.name);
      expect(c.failure['#text']).toContain(mine[0]!.message.slice(0, 40).replace(/\s+$/, ''));
    }
  });
});

describe('github annotation cap', () => {
  const diag = (i: number, severity: Diagnostic['severity']): Diagnostic => ({ rule: 'state-drift', severity, file: `.planning/f,${i}:x.md`, line: i + 1, column: 1, message: `problem 100% ${i}\nsecond line` });
  it('annotates 10 of each kind and lists the rest as plain lines that are not commands', () => {
    const list = [...Array.from({ length: 13 }, (_, i) => diag(i, 'error')), ...Array.from({ length: 4 }, (_, i) => diag(i, 'warning'))];
    const lines = githubReport(list, 'app/');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(4);
    const plain = lines.slice(0, -1).filter((l) => !l.startsWith('::'));
    expect(plain).toHaveLength(3);
    for (const l of plain) expect(l).toMatch(/^app\/\.planning\/f,1[0-2]:x\.md:1[1-3]:1 error state-drift: problem 100% 1[0-2] second line$/);
    for (const l of lines.filter((x) => x.startsWith('::'))) {
      expect(l).toMatch(COMMAND);
      expect(l).toContain('file=app/.planning/f%2C');
      expect(l).toContain('%0Asecond line');
    }
    expect(lines.at(-1)).toBe('cairn check: 13 error(s), 4 warning(s), 0 note(s); 3 not shown as annotations (GitHub shows 10 of each kind per step), listed above');
  });
});
