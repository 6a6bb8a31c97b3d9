/**
 * Validation of everything a user types into an operation. Bad input is a UsageError (exit 2)
 * that says what was wrong, what is expected, and shows the received text (clipped); a conflict
 * with the project (duplicate id) is a PreconditionError (exit 3). Nothing here touches the disk.
 */
import { PreconditionError, UsageError } from '../model/errors.ts';
import { isSafeSlug, normalizePhaseId } from '../model/ids.ts';

/** One decision, todo or blocker: generous for prose, small enough to keep STATE.md readable. */
export const MAX_TEXT_BYTES = 4096;

function shown(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 59)}…` : one);
}

/** Free text (decision, todo, blocker...). Kept exactly as given apart from surrounding whitespace. */
export function requireText(raw: string | undefined, what: string, example: string): string {
  if (raw === undefined) throw new UsageError(`${what} is missing`, `e.g. ${example}`);
  const text = raw.trim();
  if (text === '') throw new UsageError(`${what} is empty`, `e.g. ${example}`);
  if (text.includes('\uFFFD')) {
    throw new UsageError(`${what} is not valid UTF-8 (received ${shown(text)})`, 'pass the text in UTF-8');
  }
  // C0 controls other than tab/newline/CR would corrupt the Markdown views.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) {
    throw new UsageError(`${what} contains control characters (received ${shown(text)})`, 'remove them and try again');
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new UsageError(
      `${what} is ${bytes.toLocaleString('en')} bytes; the limit is ${MAX_TEXT_BYTES.toLocaleString('en')}`,
      'write the details in a file under .planning/ and reference it in a short sentence',
    );
  }
  return text;
}

/** A phase id typed by the user, checked against the grammar (`2`, `02`, `2.1`). */
export function requirePhaseIdSyntax(raw: string | undefined, example = 'cairn phase complete 2'): string {
  if (raw === undefined || raw.trim() === '') throw new UsageError('a phase id is missing', `e.g. ${example}`);
  const id = normalizePhaseId(raw);
  if (id === null) throw new UsageError(`"${raw}" is not a phase id; expected a number with optional dot parts such as 2, 02 or 2.1`, `e.g. ${example}`);
  return id;
}

/** A phase id that must exist in the project. */
export function requireKnownPhase(raw: string | undefined, known: string[], example?: string): string {
  const id = requirePhaseIdSyntax(raw, example);
  if (!known.includes(id)) {
    const list = known.length ? known.join(', ') : 'none yet';
    throw new UsageError(`unknown phase ${id}; the phases are ${list}`, '`cairn status` lists them; `cairn phase add "<name>"` adds one');
  }
  return id;
}

/** A slug for a folder or file name: lowercase ASCII, digits and dashes only — never a path. */
export function requireSlug(raw: string, what = 'slug'): string {
  if (raw.includes('/') || raw.includes('\\') || raw.includes('..')) {
    throw new UsageError(`${what} ${shown(raw)} looks like a path; expected a name such as "auth-hardening"`, 'use letters, digits and dashes');
  }
  if (!isSafeSlug(raw)) {
    throw new UsageError(`${what} ${shown(raw)} is not valid; expected lowercase letters, digits and dashes, at most 60 characters`, 'e.g. --slug auth-hardening');
  }
  return raw;
}

export function conflict(message: string, hint: string): never {
  throw new PreconditionError(message, hint);
}
