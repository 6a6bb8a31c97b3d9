/**
 * `plan done <plan-id>`: the plan's SUMMARY must exist and be filled in; records `plan.completed`
 * with the minutes the engine measured since `plan start`, and writes those measured fields
 * (`duration`, `completed`) into the SUMMARY's frontmatter by splicing — every other byte stays.
 * Idempotent: once the ledger holds the completion, running it again changes nothing.
 */
import { PreconditionError } from '../model/errors.ts';
import { parseMarkdown, applyEdits, type MarkdownDocument } from '../markdown/index.ts';
import type { Edit } from '../markdown/types.ts';
import { DiagnosticSink } from '../model/diagnostic.ts';
import { roundTo1 } from '../model/duration.ts';
import { readFrontmatter } from '../formats/frontmatter-fields.ts';
import { readSummary, summaryPlaceholders } from '../formats/summary.ts';
import type { Parsed, Workspace } from '../workspace/types.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { findPlan, isoSeconds, planLedger } from './plan-lookup.ts';

export interface PlanDoneInput {
  plan: string | undefined;
}

/** `12min`: GSD's own spelling of a SUMMARY duration, one decimal when under a minute matters. */
export function durationText(minutes: number): string {
  return `${roundTo1(minutes)}min`;
}

export function planDone(ctx: Context, input: PlanDoneInput): Change {
  const { ws, now } = ctx;
  const ref = findPlan(ws, input.plan, 'cairn plan done 02-01');
  const { entry } = ref;
  const ledger = planLedger(ws, entry.key);
  const change = emptyChange();

  if (ledger.completed) {
    change.summary = [`Plan ${entry.id} was already recorded done at ${ledger.completed.at}; nothing changed.`];
    change.result = { plan: entry.id, phase: ref.phase, completed: ledger.completed.at, minutes: ledger.completed.minutes ?? null, alreadyDone: true };
    return change;
  }
  const summary = entry.summary;
  if (!summary) {
    const expected = `${ref.dir.path}/${entry.id}-SUMMARY.md`;
    throw new PreconditionError(`plan ${entry.id} has no SUMMARY yet: expected ${expected}`, `write the SUMMARY, then run \`cairn plan done ${entry.id}\``);
  }
  refuseUneditable(ws, summary);

  const startedAt = ledger.started ? Date.parse(ledger.started.at) : NaN;
  const minutes = Number.isFinite(startedAt) ? roundTo1(Math.max(0, now.getTime() - startedAt) / 60_000) : null;
  const completed = isoSeconds(now);
  const fields: [string, string][] = [];
  if (minutes !== null) fields.push(['duration', durationText(minutes)]);
  fields.push(['completed', completed]);
  const text = setFrontmatterFields(summary.doc, summary.path, fields);

  // Fields cairn fills itself are not the author's to fill; anything else left from the template is.
  const after = parseMarkdown(text);
  const left = summaryPlaceholders(after);
  if (left.length) {
    const where = left.slice(0, 10).map((p) => {
      const at = summary.doc.text.indexOf(p);
      return `line ${at < 0 ? '?' : summary.doc.position(at).line}: ${JSON.stringify(p)}`;
    });
    throw new PreconditionError(
      `the SUMMARY of plan ${entry.id} (${summary.path}) still holds template placeholders — ${where.join('; ')}${left.length > 10 ? `; … ${left.length - 10} more` : ''}`,
      `fill the SUMMARY, then run \`cairn plan done ${entry.id}\``,
    );
  }
  verifyReadBack(after, summary.path, minutes, completed);

  if (text !== summary.doc.text) change.files.set(summary.path, text);
  const e = addEvent(change, ws, { type: 'plan.completed', plan: entry.id, phase: ref.phase, ...(minutes !== null ? { minutes } : {}) }, now);
  change.summary = [
    minutes !== null
      ? `Completed plan ${entry.id} (phase ${ref.phase}) in ${durationText(minutes)}, measured from \`cairn plan start\`.`
      : `Completed plan ${entry.id} (phase ${ref.phase}). No duration was measured: \`cairn plan start ${entry.id}\` was never recorded.`,
  ];
  change.result = { plan: entry.id, phase: ref.phase, completed: e.at, minutes, alreadyDone: false, summaryFile: summary.path, event: e.id };
  return change;
}

function refuseUneditable(ws: Workspace, p: Parsed<unknown>): void {
  if (!p.lossless) {
    throw new PreconditionError(`refusing to edit ${p.path}: it is not valid UTF-8, so its bytes cannot be kept`, `save it as UTF-8, then run \`cairn check\``);
  }
  const errors = ws.diagnostics.filter((d) => d.file === p.path && d.severity === 'error');
  if (errors.length) {
    throw new PreconditionError(
      `refusing to edit ${p.path}: it did not parse cleanly (${errors.map((d) => `line ${d.line}: ${d.message}`).join('; ')})`,
      `fix the file by hand, then run \`cairn check\``,
    );
  }
}

/** Top-level `key:` at column 0, optionally quoted; keys are our own constants, never user text. */
function keyLine(line: string, key: string): number {
  for (const q of ['', '"', "'"]) {
    const k = `${q}${key}${q}`;
    if (!line.startsWith(k)) continue;
    let i = k.length;
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === ':') return i + 1;
  }
  return -1;
}

/**
 * Sets top-level frontmatter keys by splicing: a present key gets only its value replaced (its
 * spacing and a trailing comment kept), an absent key is added before the closing `---`, and a
 * file without frontmatter gets a minimal block prepended. Values are cairn's own (no quoting needed).
 */
export function setFrontmatterFields(doc: MarkdownDocument, file: string, fields: [string, string][]): string {
  const view = readFrontmatter(doc, new DiagnosticSink(file));
  const fm = view.fmDoc.frontmatter;
  const eol = doc.eol;
  if (!fm) {
    if (doc.frontmatterProblem) {
      throw new PreconditionError(`refusing to edit ${file}: ${doc.frontmatterProblem.message}`, 'close the frontmatter with a `---` line, then rerun');
    }
    const at = doc.hasBom ? 1 : 0;
    const rest = doc.text.slice(at);
    const block = `---${eol}${fields.map(([k, v]) => `${k}: ${v}${eol}`).join('')}---${eol}${/^\r?\n/.test(rest) ? '' : eol}`;
    return applyEdits(doc.text, [{ offset: at, length: 0, text: block }]);
  }
  if (view.data === null && fm.raw.trim() !== '') {
    throw new PreconditionError(`refusing to edit ${file}: its frontmatter is not a list of \`key: value\` lines`, 'rewrite the frontmatter as `key: value` lines, then rerun');
  }
  const base = view.shift + fm.contentSpan.start;
  const raw = fm.raw;
  const edits: Edit[] = [];
  const found = new Set<string>();
  let pos = 0;
  while (pos < raw.length) {
    const nl = raw.indexOf('\n', pos);
    const next = nl < 0 ? raw.length : nl + 1;
    const lineEnd = nl < 0 ? raw.length : raw[nl - 1] === '\r' ? nl - 1 : nl;
    const line = raw.slice(pos, lineEnd);
    for (const [key, value] of fields) {
      const colon = keyLine(line, key);
      if (colon < 0) continue;
      found.add(key);
      let start = colon;
      while (line[start] === ' ' || line[start] === '\t') start++;
      let end = line.length;
      // A value continued on indented lines (block scalar, folded plain scalar) is replaced whole.
      let cont = next;
      let contEnd = -1;
      while (cont < raw.length && (raw[cont] === ' ' || raw[cont] === '\t')) {
        const cnl = raw.indexOf('\n', cont);
        const ce = cnl < 0 ? raw.length : raw[cnl - 1] === '\r' ? cnl - 1 : cnl;
        if (raw.slice(cont, ce).trim() === '') break;
        contEnd = ce;
        cont = cnl < 0 ? raw.length : cnl + 1;
      }
      if (contEnd < 0 && line[start] !== '"' && line[start] !== "'") {
        const comment = line.slice(start).search(/[ \t]#/);
        if (comment >= 0) end = start + comment;
      }
      if (start === line.length && contEnd < 0) {
        edits.push({ offset: base + pos + colon, length: line.length - colon, text: ` ${value}` });
      } else {
        const from = start === line.length ? colon : start;
        const to = contEnd >= 0 ? contEnd : pos + end;
        edits.push({ offset: base + pos + from, length: to - (pos + from), text: from === colon ? ` ${value}` : value });
      }
    }
    pos = next;
  }
  const missing = fields.filter(([k]) => !found.has(k));
  if (missing.length) {
    const needsBreak = raw !== '' && !raw.endsWith('\n');
    const text = `${needsBreak ? eol : ''}${missing.map(([k, v]) => `${k}: ${v}${eol}`).join('')}`;
    edits.push({ offset: view.shift + fm.contentSpan.end, length: 0, text });
  }
  return applyEdits(doc.text, edits);
}

/** Never write a SUMMARY that does not read back as what was measured. */
function verifyReadBack(doc: MarkdownDocument, file: string, minutes: number | null, completed: string): void {
  const { record } = readSummary(doc, file);
  const okDuration = minutes === null || (record.durationMinutes !== null && Math.abs(record.durationMinutes - minutes) < 0.05);
  const okCompleted = record.completed !== null && Date.parse(record.completed) === Date.parse(completed);
  if (!okDuration || !okCompleted) {
    throw new PreconditionError(
      `refusing to edit ${file}: after writing duration and completed into its frontmatter they would not read back (read ${String(record.duration)}, ${String(record.completed)})`,
      `set \`completed: ${completed}\`${minutes !== null ? ` and \`duration: ${durationText(minutes)}\`` : ''} by hand, then run \`cairn check\``,
    );
  }
}
