/**
 * `cairn init`: a new project. Writes PROJECT.md (GSD's skeleton with the name, what it is and
 * the core value), ROADMAP.md (title, the first milestone when given, the sections phase commands
 * fill, the progress table header) and a STATE.md holding only its title — the runner renders
 * STATE.md's owned sections like for every other operation. A first milestone is recorded in the
 * ledger (`milestone.started`), which also sets up `.gitattributes`. Refuses an existing project.
 */
import { parseMarkdown } from '../markdown/index.ts';
import { readProject } from '../formats/project.ts';
import { LEDGER_FILE } from '../ledger/index.ts';
import { UsageError } from '../model/errors.ts';
import { addEvent, emptyChange, type Change } from './change.ts';
import { conflict, requireText } from './input.ts';
import type { Context } from './run.ts';
import { ROADMAP_PATH, readBack, requireLine, requireMilestoneName, requireVersion, roadmapSkeleton } from './milestone-new.ts';

export const PROJECT_PATH = '.planning/PROJECT.md';
export const STATE_PATH = '.planning/STATE.md';
/** What init writes; any of them already present means the project exists. */
export const INIT_FILES = [PROJECT_PATH, ROADMAP_PATH, STATE_PATH, LEDGER_FILE];

export interface InitInput {
  name: string;
  coreValue: string;
  description: string | null;
  milestone: { version: string; name: string } | null;
}

export interface RawInitInput {
  name?: string;
  coreValue?: string;
  description?: string;
  milestone?: string;
  milestoneName?: string;
}

/** Checks what the user typed; every problem is a UsageError (exit 2) naming the flag. */
export function validateInitInput(raw: RawInitInput): InitInput {
  const name = requireLine(raw.name, 'the project name (--name)', 'cairn init --name "Moonlight" --core-value "…"');
  const coreValue = requireLine(raw.coreValue, 'the core value (--core-value)', 'cairn init --name "Moonlight" --core-value "Anyone can look up tonight\'s moon"');
  const description = raw.description === undefined ? null : requireText(raw.description, 'the description (--description)', '--description "A static site of moon phases for our astronomy club"');
  if (raw.milestoneName !== undefined && raw.milestone === undefined) {
    throw new UsageError('--milestone-name needs --milestone (its version)', 'e.g. --milestone v1.0 --milestone-name "First Light"');
  }
  let milestone: InitInput['milestone'] = null;
  if (raw.milestone !== undefined) {
    const version = requireVersion(raw.milestone, '--milestone v1.0 --milestone-name "First Light"');
    const mName = requireMilestoneName(raw.milestoneName, 'the milestone name (--milestone-name)', `--milestone ${version} --milestone-name "First Light"`);
    milestone = { version, name: mName };
  }
  const input = { name, coreValue, description, milestone };
  checkReadsBack(input);
  return input;
}

export function projectText(input: InitInput, date: string): string {
  return [
    `# ${input.name}`,
    '',
    '## What This Is',
    '',
    input.description ?? '<!-- What this project is and who it is for, in two or three sentences. -->',
    '',
    '## Core Value',
    '',
    input.coreValue,
    '',
    '## Requirements',
    '',
    '### Validated',
    '',
    '(None yet: ship to validate)',
    '',
    '### Active',
    '',
    '(None yet: list what the first milestone must deliver, one `- [ ] …` line each)',
    '',
    '### Out of Scope',
    '',
    '(None yet)',
    '',
    '## Key Decisions',
    '',
    '| Decision | Rationale | Outcome |',
    '|----------|-----------|---------|',
    '',
    '---',
    `*Last updated: ${date} after initialization*`,
    '',
  ].join('\n');
}

/**
 * Text that Markdown would read as something else (a core value starting with "- " becomes a
 * list, a description line starting with "#" a heading) is refused rather than stored altered.
 */
function checkReadsBack(input: InitInput): void {
  const doc = parseMarkdown(projectText(input, '2000-01-01'));
  const { record } = readProject(doc, PROJECT_PATH);
  const titles = doc.allSections().map((s) => s.title);
  const expected = ['What This Is', 'Core Value', 'Requirements', 'Validated', 'Active', 'Out of Scope', 'Key Decisions'];
  if (record.name === null || titles[0] !== input.name) {
    throw new UsageError(`the project name would not read back from PROJECT.md as written (${JSON.stringify(input.name)})`, 'drop trailing "#" characters from the name');
  }
  if (input.description !== null && parseMarkdown(input.description).allSections().length > 0) {
    throw new UsageError('the description contains a Markdown heading (a line starting with "#", or a line underlined with "---"), which would split PROJECT.md', 'write the description as plain sentences');
  }
  const core = record.coreValue ?? '';
  const emphasised = /^([*_]{1,2}).+\1$/.test(input.coreValue);
  if (core !== input.coreValue && !(emphasised && input.coreValue.includes(core) && core !== '')) {
    throw new UsageError(
      `the core value would not read back as one sentence (${JSON.stringify(input.coreValue.slice(0, 40))} starts with Markdown syntax)`,
      'rephrase it so it does not start with "-", "#", ">", "|", "1." or a code fence',
    );
  }
  if (titles.length !== expected.length + 1) {
    throw new UsageError('the text given would add headings to PROJECT.md and split its sections', 'write the name, core value and description as plain sentences');
  }
  if (input.milestone) {
    const back = readBack(roadmapSkeleton(input.name, input.milestone), ROADMAP_PATH, input.milestone.version);
    if (back?.status !== 'active') {
      throw new UsageError(`the milestone name ${JSON.stringify(input.milestone.name)} would not read back from ROADMAP.md`, 'use a plain name such as "First Light"');
    }
  }
}

export function decideInit(ctx: Context, input: InitInput): Change {
  const { ws, now } = ctx;
  const present = INIT_FILES.filter((f) => ws.files.includes(f));
  if (present.length) {
    conflict(
      `this folder already has a project: ${present.join(', ')} exist${present.length === 1 ? 's' : ''}`,
      `run \`cairn adopt\` to take over an existing GSD project, or \`cairn status\` to see it`,
    );
  }
  const date = now.toISOString().slice(0, 10);
  const change = emptyChange();
  change.files.set(PROJECT_PATH, projectText(input, date));
  change.files.set(ROADMAP_PATH, roadmapSkeleton(input.name, input.milestone));
  change.files.set(STATE_PATH, '# Project State\n');
  if (input.milestone) addEvent(change, ws, { type: 'milestone.started', milestone: input.milestone.version, name: input.milestone.name }, now);
  change.summary.push(`Started project ${input.name} in ${ctx.root}/.planning/.`);
  if (input.milestone) change.summary.push(`First milestone: ${input.milestone.version} ${input.milestone.name} (in progress).`);
  change.summary.push('Next: add the first phase with `cairn phase add "<name>"`, then see where you stand with `cairn status`.');
  change.result = { root: ctx.root, name: input.name, milestone: input.milestone, files: [...change.files.keys()] };
  return change;
}
