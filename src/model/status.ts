/**
 * Cairn's closed status vocabulary, and the mapping from the free-form status strings GSD
 * projects write (`Phase 3 complete — ready for Phase 4`, `Ready to plan`, `verifying`,
 * `✅ Complete`, `MILESTONE SHIPPED`, `Concluído`, `进行中`…).
 *
 * `mapStatus` reads a project-level status (STATE.md `Status:` line or frontmatter `status:`),
 * so a bare "complete" means the milestone is complete. Readers of per-phase cells (ROADMAP
 * progress tables) should treat both `phase complete` and `milestone complete` as "this row is done".
 */

export type Status =
  | 'not started'
  | 'planning'
  | 'ready to execute'
  | 'in progress'
  | 'phase complete'
  | 'milestone complete'
  | 'blocked'
  | 'paused';

export const STATUSES: readonly Status[] = [
  'not started',
  'planning',
  'ready to execute',
  'in progress',
  'phase complete',
  'milestone complete',
  'blocked',
  'paused',
];

// A clause is what lies between punctuation: a subject and its verb must sit in the same clause,
// so `Milestone v2 in progress, phase 3 complete` is not "milestone complete".
const C = '[^.;,:|()（）—–!?]*?';
const DONE_LATIN = '(?:complete[ds]?|shipped|finished|archived|released|done|conclu[ií]d[ao]s?|completad[ao]|terminad[ao]|finalizad[ao]|abgeschlossen|fertig|erledigt|termin[ée]e?)';
const DONE_CJK = '(?:已?完成|완료)';
const DONE = `(?:${DONE_LATIN}|${DONE_CJK})`;
const PHASE_LATIN = '(?:phase|fase|phasen?)';
const PHASE_CJK = '(?:阶段|단계)';
const MILESTONE_LATIN = '(?:milestone|project|projeto|proyecto|projekt|all phases|all plans|full roadmap|roadmap|v\\d+(?:\\.\\d+)*(?:\\.x)?|mvp)';
const MILESTONE_CJK = '(?:里程碑|项目|마일스톤|프로젝트)';

/** `<subject> … <done word>` within one clause, with word boundaries on the Latin words. */
function subjectDone(latin: string, cjk: string): string {
  const done = `(?:\\b${DONE_LATIN}(?![a-z])|${DONE_CJK})`;
  return `\\b${latin}\\b${C}${done}|${cjk}${C}${done}`;
}

interface Rule {
  status: Status;
  test: RegExp;
}

// No `u` flag: every pattern is literal BMP text or whole emoji sequences, and `iu` regexes cost
// ~10 ms to compile at startup (Unicode case folding) for nothing.
// First match wins. Blocked and paused come first so a block is never hidden behind progress
// words; "planning complete" / "plans ready" (ready to execute) are read before "phase … complete".
const RULES: Rule[] = [
  {
    status: 'blocked',
    test: /^(?:⛔|🚫|🛑)|\bblocked\b|\bblocking\b|\bbloquead[oa]\b|\bblockiert\b|\bbloqu[ée]e?\b|阻塞|受阻|차단/i,
  },
  {
    status: 'paused',
    test: /^(?:⏸️?)|\bpaused\b|^stopped\b|\bon hold\b|\bpausad[oa]\b|\bpausiert\b|\ben pause\b|暂停|일시\s*(?:중지|정지)/i,
  },
  {
    status: 'milestone complete',
    test: new RegExp(
      [
        subjectDone(MILESTONE_LATIN, MILESTONE_CJK),
        `\\b(?:awaiting|ready for) (?:the )?next milestone\\b`,
        `\\bbetween milestones\\b`,
        `\\bready for (?:release|distribution|launch|deploy(?:ment)?)\\b`,
        `^${DONE}(?: and verified)?$`,
        `^(?:✅|✓|✔️?|☑️?|🎉)+\\s*(?:${DONE})?$`,
      ].join('|'),
      'i',
    ),
  },
  {
    status: 'ready to execute',
    test: /\bready to (?:execute|implement|build|start execution)\b|\bready for (?:execution|implementation)\b|^planned\b|\bplanning (?:complete|done|finished)\b|\bplans? (?:ready|created|written|complete)\b|\bpronto para executar\b|\blisto para ejecutar\b|\bgeplant\b/i,
  },
  {
    status: 'phase complete',
    test: new RegExp(
      [
        subjectDone(PHASE_LATIN, PHASE_CJK),
        `\\bready for (?:the )?(?:next )?phase\\b`,
        `\\bready to (?:start|begin) phase\\b`,
        `\\bready for (?:verification|audit|review|uat|testing|sign-?off)\\b`,
      ].join('|'),
      'i',
    ),
  },
  {
    status: 'planning',
    test: /\bready to plan\b|\bready for planning\b|\bplanning\b|\bdefining\b|\bresearch(?:ing)?\b|\bdiscuss(?:ing|ion)?\b|\bgathering\b|\brequirements\b|\broadmap (?:created|defined|drafted)\b|\bmilestone initiali[sz]ation\b|\bstarting (?:milestone|v\d)|\bplanejamento\b|\bplanejando\b|\bpronto para planejar\b|\bplanificaci[oó]n\b|\bplanificando\b|\blisto para planificar\b|\bplanung\b|\bplanification\b|规划中|计划中|계획\s*중/i,
  },
  {
    status: 'in progress',
    test: /\bin progress\b|\bin-progress\b|\bexecuting\b|\bexecution\b|\bverifying\b|\bimplementing\b|\bresuming\b|\bactive\b|\bongoing\b|\bwip\b|\btesting\b|\bdebugging\b|\bfixing\b|\bem (?:andamento|progresso|execução)\b|\bexecutando\b|\ben (?:progreso|curso|ejecución)\b|\bejecutando\b|\bin (?:arbeit|bearbeitung)\b|\bläuft\b|\ben cours\b|进行中|执行中|진행\s*중|^(?:⏳|🔄|🚧)/i,
  },
  {
    status: 'not started',
    test: /\bnot (?:yet )?(?:started|planned|begun)\b|^pending\b|^todo\b|^to do\b|\bpendente\b|\bnão iniciad[oa]\b|\bpendiente\b|\bno iniciad[oa]\b|\bsin empezar\b|\bnicht begonnen\b|^offen\b|\bausstehend\b|\bnon commencé\b|\bà faire\b|未开始|待开始|시작\s*전|^대기/i,
  },
];

/**
 * Maps a free-form status to the vocabulary, or null when the text is not recognised
 * (callers report it; nothing is guessed).
 */
export function mapStatus(text: string): Status | null {
  const t = text
    .replace(/[*`]+/g, '')
    .replace(/_/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (t === '') return null;
  for (const r of RULES) if (r.test.test(t)) return r.status;
  return null;
}
