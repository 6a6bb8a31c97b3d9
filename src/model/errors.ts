/**
 * The closed set of command errors. Problems inside user files are diagnostics (see
 * model/diagnostic.ts); these are for the command itself, and each maps to one exit code.
 */
export const ExitCode = {
  ok: 0,
  problems: 1,
  usage: 2,
  precondition: 3,
  lock: 4,
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class CairnError extends Error {
  abstract readonly exitCode: ExitCode;
  abstract readonly code: string;
  constructor(
    message: string,
    /** The next command or action that gets the user unstuck. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad arguments or unusable input given on the command line. */
export class UsageError extends CairnError {
  readonly exitCode = ExitCode.usage;
  readonly code = 'usage';
}

/** The project is not in a state where the command can run (missing files, unparseable file to edit, conflict). */
export class PreconditionError extends CairnError {
  readonly exitCode = ExitCode.precondition;
  readonly code = 'precondition';
}

/** The `.planning/` lock could not be acquired before the deadline. */
export class LockError extends CairnError {
  readonly exitCode = ExitCode.lock;
  readonly code = 'lock';
}

export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError;
}
