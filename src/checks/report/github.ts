/**
 * GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
 * A step shows at most 10 annotations of each kind (error, warning, notice), so beyond that
 * problems are printed as plain log lines, and a summary line says how many were not annotated.
 */
import type { Diagnostic } from '../../model/diagnostic.ts';

/** Annotations of one kind GitHub shows per step (actions/toolkit docs/problem-matchers.md). */
export const ANNOTATIONS_PER_KIND = 10;

type Kind = 'error' | 'warning' | 'notice';

/** Escapes the message part; properties also escape `:` and `,` (the grammar's separators). */
export function escapeGithub(s: string, property = false): string {
  const out = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return property ? out.replace(/:/g, '%3A').replace(/,/g, '%2C') : out;
}

function kindOf(d: Diagnostic): Kind {
  return d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
}

function text(d: Diagnostic): string {
  return d.hint ? `${d.message} — ${d.hint}` : d.message;
}

export function githubAnnotation(d: Diagnostic, pathPrefix = ''): string {
  const props = [`file=${escapeGithub(pathPrefix + d.file, true)}`];
  if (d.line > 0) props.push(`line=${d.line}`, `col=${Math.max(1, d.column)}`);
  props.push(`title=${escapeGithub(`cairn ${d.rule}`, true)}`);
  return `::${kindOf(d)} ${props.join(',')}::${escapeGithub(text(d))}`;
}

/** Every output line: annotations up to the cap, plain lines beyond it, then one summary line. */
export function githubReport(diagnostics: readonly Diagnostic[], pathPrefix = ''): string[] {
  const shown: Record<Kind, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  let plain = 0;
  for (const d of diagnostics) {
    const kind = kindOf(d);
    if (shown[kind] < ANNOTATIONS_PER_KIND) {
      shown[kind]++;
      lines.push(githubAnnotation(d, pathPrefix));
    } else {
      plain++;
      const where = d.line > 0 ? `${pathPrefix}${d.file}:${d.line}:${d.column}` : `${pathPrefix}${d.file}`;
      // One line each, and never starting with `::`, so the runner does not read it as a command.
      lines.push(`${where} ${d.severity} ${d.rule}: ${text(d).replace(/[\r\n]+/g, ' ')}`);
    }
  }
  const count = (k: Kind, word: string) => `${diagnostics.filter((d) => kindOf(d) === k).length} ${word}`;
  lines.push(
    `cairn check: ${count('error', 'error(s)')}, ${count('warning', 'warning(s)')}, ${count('notice', 'note(s)')}` +
      (plain ? `; ${plain} not shown as annotations (GitHub shows ${ANNOTATIONS_PER_KIND} of each kind per step), listed above` : ''),
  );
  return lines;
}
