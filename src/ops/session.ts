/**
 * `session save [--stopped-at "…"] [--resume-file path] [--plan id]`: records `session.saved`,
 * the handoff the next session reads with `cairn resume`. The resume file must stay inside the
 * project; one that does not exist (yet) is recorded with a warning. Without --plan, the plan in
 * flight (started, not done) is recorded.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../model/errors.ts';
import { confine } from '../store/paths.ts';
import type { Context } from './run.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { requireText } from './input.ts';
import { clipOne } from './decide.ts';
import { findPlan, isPlanDone, planLedger, plansInFlight } from './plan-lookup.ts';

export interface SessionSaveInput {
  stoppedAt?: string | undefined;
  resumeFile?: string | undefined;
  plan?: string | undefined;
}

/** A path the user typed, relative to the project root (an absolute path inside it is accepted). */
export function requireProjectPath(root: string, raw: string, what: string): string {
  const text = raw.trim();
  if (text === '') throw new UsageError(`${what} is empty`, 'e.g. --resume-file .planning/phases/02-auth/.continue-here.md');
  const rel = isAbsolute(text) ? relative(root, text).split(sep).join('/') : text;
  const c = confine(root, rel);
  if (!c.ok || c.rel === '') {
    throw new UsageError(`${what} ${JSON.stringify(clipOne(text, 60))} ${c.ok ? 'is the project folder itself' : c.reason}; it must name a file inside the project`, 'give a path relative to the project folder');
  }
  return c.rel;
}

export function sessionSave(ctx: Context, input: SessionSaveInput): Change {
  const { ws, now, root } = ctx;
  const stoppedAt = input.stoppedAt === undefined ? undefined : requireText(input.stoppedAt, 'the stopped-at text', '--stopped-at "Task 2 of 02-01: wiring the callback"');
  const resumeFile = input.resumeFile === undefined ? undefined : requireProjectPath(root, input.resumeFile, 'the resume file');
  const warnings: string[] = [];
  let plan: string | undefined;
  if (input.plan !== undefined) {
    const ref = findPlan(ws, input.plan, '--plan 02-01');
    plan = ref.entry.id;
    if (isPlanDone(ref.entry, planLedger(ws, ref.entry.key))) warnings.push(`plan ${plan} is already done`);
  } else {
    plan = plansInFlight(ws).at(-1)?.ref.entry.id;
  }
  if (resumeFile !== undefined && !existsSync(join(root, resumeFile))) {
    warnings.push(`the resume file ${resumeFile} does not exist (yet)`);
  }
  const change = emptyChange();
  const e = addEvent(
    change,
    ws,
    {
      type: 'session.saved',
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
      ...(resumeFile !== undefined ? { resumeFile } : {}),
      ...(plan !== undefined ? { plan } : {}),
    },
    now,
  );
  change.summary = [
    `Saved the session at ${e.at}${plan ? ` (plan in flight: ${plan})` : ''}.`,
    ...(stoppedAt ? [`  stopped at: ${clipOne(stoppedAt)}`] : []),
    ...(resumeFile ? [`  resume file: ${resumeFile}`] : []),
    ...warnings.map((w) => `warning: ${w}`),
    'The next session starts with: cairn resume',
  ];
  change.result = { session: e.id, at: e.at, stoppedAt: stoppedAt ?? null, resumeFile: resumeFile ?? null, plan: plan ?? null, warnings };
  return change;
}
