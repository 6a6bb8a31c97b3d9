/**
 * `cairn resume [dir] [--json]` — the last handoff and what the files now contradict. Read-only:
 * no lock, no writes (loadWorkspace + derive, like `status`).
 */
import { parseArgs, type FlagSpec } from '../args.ts';
import { loadWorkspace } from '../../workspace/index.ts';
import { derive } from '../../derive/index.ts';
import { resumeReport, type ResumeReport } from '../../ops/resume.ts';
import { c, printJson } from '../output.ts';
import { ExitCode, UsageError } from '../../model/errors.ts';

const flags: Record<string, FlagSpec> = {
  dir: { type: 'string', short: 'C', description: 'the project folder (default: the current folder)' },
  json: { type: 'boolean', description: 'print one JSON document' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const help = `Usage: cairn resume [dir] [--json]

Prints the handoff of the last session — when it was saved, where it stopped, the resume file,
the plan in flight — and the next step computed from the files. Then it flags what the files now
contradict: a resume file that no longer exists, a plan in flight that has been completed since,
a position that moved on (plans or phases completed after the handoff). Writes nothing.

Options:
  -C, --dir DIR   the project folder (default: the current folder)
  --json          { session, planInFlight, position, focus, next, contradictions: [{ kind, message }] }
  -h, --help

Save a handoff with: cairn session save --stopped-at "…" --resume-file <path>`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, flags, 'resume');
  if (args.flags.help) {
    process.stdout.write(`${help}\n`);
    return ExitCode.ok;
  }
  if (args.positionals.length > 1 || (args.positionals.length === 1 && args.flags.dir !== undefined)) {
    throw new UsageError('resume takes one folder', 'cairn resume [dir]');
  }
  const ws = await loadWorkspace((args.flags.dir as string | undefined) ?? args.positionals[0] ?? '.');
  const report = resumeReport(ws, derive(ws, new Date()));
  if (args.flags.json) printJson(report);
  else process.stdout.write(`${renderResume(report).join('\n')}\n`);
  return ExitCode.ok;
}

function row(label: string, value: string): string {
  return `${c.bold(label.padEnd(15))}${value}`;
}

export function renderResume(r: ResumeReport): string[] {
  const out: string[] = [];
  const s = r.session;
  if (!s) {
    out.push('No session has been saved yet (`cairn session save` records one).');
  } else {
    out.push(row('Last session', `${s.last ?? 'time unknown'}${s.source === 'state' ? c.dim('  (from STATE.md)') : ''}`));
    out.push(row('Stopped at', s.stoppedAt ?? '—'));
    out.push(row('Resume file', s.resumeFile ?? '—'));
    const p = r.planInFlight;
    out.push(row('Plan in flight', p ? `${p.plan}${p.phase ? ` (phase ${p.phase})` : ''}${p.started ? `, started ${p.started}` : ''}` : (s.plan ?? '—')));
  }
  const pos = r.position;
  const where = pos.phase ? `Phase ${pos.phase.id ?? '?'}${pos.phase.name ? `: ${pos.phase.name}` : ''}${pos.plan ? ` · plan ${pos.plan.index} of ${pos.plan.total}` : ''}` : 'no current phase';
  out.push(row('Now', `${where} · ${pos.status}`));
  out.push(row('Next', `${r.next.text}${r.next.file ? c.dim(`  (${r.next.file})`) : ''}`));
  if (r.contradictions.length) {
    out.push('', c.yellow('The files now say otherwise:'));
    for (const x of r.contradictions) out.push(`  ! ${x.message}`);
  }
  return out;
}
