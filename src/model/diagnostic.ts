/**
 * A problem found in a user's file. Problems in user content are reported, never thrown:
 * a reader always returns what it could read plus the diagnostics explaining what it could not.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable rule id, kebab-case (`lossless-read`, `duration-unknown`, `state-drift`...). */
  rule: string;
  severity: Severity;
  /** Path relative to the project root with `/` separators, e.g. `.planning/STATE.md`. */
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  column: number;
  message: string;
  /** The next thing the user can do about it, ideally a command. */
  hint?: string;
  /** For drift: which value disagrees, what the file says and what derive() computes. */
  field?: string;
  written?: string | number | null;
  derived?: string | number | null;
}

/** Collects diagnostics for one file, turning offsets into line/column on demand. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  constructor(
    readonly file: string,
    private readonly locate: (offset: number) => { line: number; column: number } = () => ({ line: 0, column: 0 }),
  ) {}

  at(offset: number | null, rule: string, severity: Severity, message: string, hint?: string): void {
    const pos = offset === null ? { line: 0, column: 0 } : this.locate(offset);
    this.items.push({ rule, severity, file: this.file, line: pos.line, column: pos.column, message, ...(hint ? { hint } : {}) });
  }

  error(offset: number | null, rule: string, message: string, hint?: string): void {
    this.at(offset, rule, 'error', message, hint);
  }
  warn(offset: number | null, rule: string, message: string, hint?: string): void {
    this.at(offset, rule, 'warning', message, hint);
  }
  info(offset: number | null, rule: string, message: string, hint?: string): void {
    this.at(offset, rule, 'info', message, hint);
  }
}

const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Deterministic order for output: file, line, column, then severity. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      order[a.severity] - order[b.severity],
  );
}

export function countBySeverity(list: readonly Diagnostic[]): Record<Severity, number> {
  const out = { error: 0, warning: 0, info: 0 };
  for (const d of list) out[d.severity]++;
  return out;
}
