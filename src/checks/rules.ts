/**
 * What each diagnostic rule means, for reports that carry rule metadata (SARIF's `rules`, help
 * in code scanning). Ids are stable: a rule is never renamed, only added. A rule missing here
 * still reports, with a generic description.
 */
export interface RuleInfo {
  /** One line: what the rule finds. */
  short: string;
  /** What to do about it. */
  help: string;
}

const CHECK = 'Run `cairn check` to list every problem with its file and line.';

export const RULES: Record<string, RuleInfo> = {
  'lossless-read': { short: 'A planning file cannot be read back byte for byte (not valid UTF-8).', help: 'Re-save the file as UTF-8. Cairn never edits a file it cannot reproduce exactly.' },
  'symlink-skipped': { short: 'A symbolic link inside .planning/ was not followed.', help: 'Replace the link with the file itself if Cairn should read it.' },
  'state-drift': { short: 'STATE.md or the ROADMAP progress says something the files do not.', help: 'Run `cairn sync` to re-render the views from the files (`cairn sync --dry-run` shows the diff).' },
  'summary-missing': { short: 'A plan counts as done because its phase or milestone was explicitly completed, but its SUMMARY file is missing.', help: 'Write the SUMMARY the warning names (what was built, key decisions, duration), or reopen the phase if the plan was not done.' },
  'state-read-failed': { short: 'STATE.md could not be parsed.', help: `Fix the file by hand; ${CHECK}` },
  'state-field-missing': { short: 'A field STATE.md usually has is missing.', help: 'Run `cairn sync` to render it from the files.' },
  'state-field-unreadable': { short: 'A STATE.md field has a value Cairn cannot read.', help: 'Write the value in one of the documented forms, or run `cairn sync`.' },
  'state-frontmatter-invalid': { short: 'The YAML frontmatter of STATE.md is invalid.', help: 'Fix the YAML; `cairn sync` re-renders the frontmatter cache.' },
  'state-metrics-plan-row': { short: 'A row of the STATE.md metrics table cannot be read.', help: 'Run `cairn sync` to re-render the table.' },
  'state-section-missing': { short: 'A section STATE.md usually has is missing.', help: 'Run `cairn sync` to add it.' },
  'state-status-unmapped': { short: 'The STATE.md status is not one of the known statuses.', help: 'Use one of the statuses in the README (`cairn status --help`).' },
  'state-position-missing': { short: 'STATE.md has no current position.', help: 'Run `cairn sync` to render it.' },
  'roadmap-read-failed': { short: 'ROADMAP.md could not be parsed.', help: `Fix the file by hand; ${CHECK}` },
  'roadmap-no-phases': { short: 'ROADMAP.md lists no phases.', help: 'Add phases with `cairn phase add "<name>"`.' },
  'phase-heading-without-id': { short: 'A ROADMAP phase heading has no phase number.', help: 'Write the heading as `### Phase N: Name`.' },
  'plan-count-unreadable': { short: 'A phase plan count in ROADMAP.md cannot be read.', help: 'Write it as `**Plans:** N plans` or list the plans.' },
  'progress-table-unknown-column': { short: 'The ROADMAP progress table has a column Cairn does not know.', help: 'Cairn keeps the column as written; rename it if it should be rendered.' },
  'duplicate-phase-id': { short: 'Two phases share one id (often two branches each created it).', help: 'Renumber one of them with `cairn phase renumber <id> <free id> --slug <its folder name after the number>` (the diagnostic names the exact command and a free id; `--dry-run` shows the diff), then run `cairn check`. `cairn phase add` / `insert` check other local branches and worktrees first, so this happens only with work from other clones.' },
  'duplicate-plan-id': { short: 'Two plan files share one plan id.', help: 'Rename or remove one of them; ids are NN-MM from the file name.' },
  'milestone-duplicate-id': { short: 'Two milestones share one version.', help: 'Give each milestone its own version.' },
  'milestones-none-found': { short: 'MILESTONES.md lists no milestone.', help: 'Write milestones as `## vX.Y Name (Shipped: date)`.' },
  'requirement-duplicate-id': { short: 'Two requirements share one id.', help: 'Give each requirement its own id.' },
  'requirements-none-found': { short: 'REQUIREMENTS.md lists no requirement.', help: 'Write requirements as `- [ ] **ID**: text`.' },
  'traceability-duplicate-id': { short: 'A requirement appears twice in the traceability table.', help: 'Keep one row per requirement.' },
  'project-name-missing': { short: 'PROJECT.md has no project name.', help: 'Start PROJECT.md with `# <name>`.' },
  'project-core-value-missing': { short: 'PROJECT.md has no core value.', help: 'Add a `## Core Value` section.' },
  'frontmatter-unterminated': { short: 'A YAML frontmatter block is not closed.', help: 'End the frontmatter with a `---` line.' },
  'frontmatter-invalid': { short: 'A YAML frontmatter block is invalid.', help: 'Fix the YAML.' },
  'frontmatter-duplicate-key': { short: 'A frontmatter key appears twice.', help: 'Keep one of the two values.' },
  'frontmatter-not-at-start': { short: 'A frontmatter block does not start on the first line.', help: 'Move the `---` block to the top of the file.' },
  'duration-unknown': { short: 'A SUMMARY duration cannot be read.', help: 'Write durations like `12min`, `1h 5m` or `PT12M`; `cairn plan done` writes measured ones.' },
  'summary-completed-invalid': { short: 'A SUMMARY `completed` value is not a date.', help: 'Write an ISO date (2026-01-31).' },
  'plan-wave-invalid': { short: 'A PLAN `wave` value is not a number.', help: 'Write the wave as a positive integer.' },
  'schedule-cycle': { short: 'Phases or plans depend on each other in a cycle.', help: 'Remove one of the dependencies in the cycle (`cairn next` shows what waits).' },
  'schedule-dangling-dependency': { short: 'A dependency names a phase or plan that does not exist.', help: 'Fix the "Depends on" value.' },
  'schedule-self-dependency': { short: 'A phase or plan depends on itself.', help: 'Remove the dependency.' },
  'ledger-torn-line': { short: 'The last line of events.jsonl was cut off by an interrupted write.', help: 'The next cairn command starts a new line; delete the fragment if it stays.' },
  'ledger-invalid-line': { short: 'A line of events.jsonl is not valid JSON.', help: 'Only cairn writes this file: restore the line from git (`git log -p .planning/events.jsonl`).' },
  'ledger-invalid-event': { short: 'A line of events.jsonl is not a valid event.', help: 'Only cairn writes this file: restore the line from git (`git log -p .planning/events.jsonl`).' },
  'ledger-duplicate-id': { short: 'An event appears twice in events.jsonl (a union merge or a cherry-pick); the repeat is ignored.', help: 'Nothing to do: the repeat is counted once.' },
  'stale-plan': { short: 'A plan was started and is not done after more than 3× its phase\'s median plan duration.', help: 'Finish it (`cairn plan done <plan>` once its SUMMARY is written) or record what holds it up with `cairn block "<what>"`.' },
  'blocker-age': { short: 'A blocker has been open for more than 7 days.', help: 'Resolve it (`cairn unblock <n>`) or escalate it.' },
  'scope-growth': { short: 'Plans in scope grew by more than 20 % since the milestone started.', help: 'Check the milestone still fits (`cairn burnup` shows when it grew); move extra work to a later milestone or the backlog.' },
  'idle-project': { short: 'No activity for more than 14 days while work is left.', help: 'Pick it up (`cairn next`), or park it with `cairn session save --stopped-at "<where>"`.' },
};

export function ruleInfo(rule: string): RuleInfo {
  return RULES[rule] ?? { short: `Cairn rule ${rule}.`, help: CHECK };
}
