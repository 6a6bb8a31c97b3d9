/** Terminal output helpers: colour only on a TTY and never when NO_COLOR is set. */
import type { Diagnostic } from '../model/diagnostic.ts';

export const useColor = (stream: NodeJS.WriteStream) => stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';

function paint(open: number, close: number) {
  return (s: string, stream: NodeJS.WriteStream = process.stdout) => (useColor(stream) ? `\u001b[${open}m${s}\u001b[${close}m` : s);
}

export const c = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  cyan: paint(36, 39),
};

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `file:line:col severity rule message` — the format editors and CI log parsers understand. */
export function formatDiagnostic(d: Diagnostic, stream: NodeJS.WriteStream = process.stdout): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const sev = d.severity === 'error' ? c.red('error', stream) : d.severity === 'warning' ? c.yellow('warning', stream) : c.dim('info', stream);
  return `${where} ${sev} ${d.message} ${c.dim(`(${d.rule})`, stream)}${d.hint ? `\n  ${c.dim('→', stream)} ${d.hint}` : ''}`;
}

// Moved down to the model so the web shell and the CLI count the same way.
export { countBySeverity } from '../model/diagnostic.ts';

/** Truncates to `max` characters on one line, marking the cut. */
export function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
