/**
 * Reads a phase declaration from a heading (`### Phase 2.1: Name (INSERTED)`) or a list line
 * (`**Phase 1: Name** - description (completed 2026-01-24)`, `Phase 3: Name (2/3 plans) — completed 2026-01-24`,
 * `Auth-Debt (Phase 1) — description`).
 */
import { normalizePhaseId } from '../../model/ids.ts';
import { findPlanCountInLine } from './fields.ts';
import { dashSegments, firstIsoDate, parentheticals, statusWords, stripLeadingMarks, type StatusWords } from './text.ts';

export interface PhaseHead {
  rawId: string;
  id: string;
  name: string;
  status: StatusWords | null;
  /** A date with no status word (`*(2026-02-28)*`), read as the completion date of a checked phase. */
  bareDate: string | null;
  inserted: boolean;
}

const PHASE_WORD = String.raw`(?:Phase|Fase|阶段|단계)`;
const ID = String.raw`(\d{1,6}[A-Za-z]?(?:\.\d{1,6})*)`;
// The id must be followed by a separator, the end, or a parenthetical, so "Phase 1 Summary" is no phase.
const HEAD = new RegExp(String.raw`^${PHASE_WORD}\s*${ID}(?![\d.]*\d)\s*(?:[:：]|\.(?!\d)|[-–—](?=\s)|$|(?=\())\s*`, 'i');
// A heading that looks like a phase but has no readable id ("Phase: Setup", "Phase X: Setup", "Phase TBD: …").
const HEAD_WITHOUT_ID = new RegExp(String.raw`^${PHASE_WORD}\b\s*(?!\d)[^:：\s]{0,12}\s*[:：]\s*\S`, 'i');
const NAME_THEN_PHASE = new RegExp(String.raw`^(.+?)\s*\(\s*${PHASE_WORD}\s*${ID}\s*\)\s*(.*)$`, 'i');

export function looksLikePhaseWithoutId(text: string): boolean {
  const s = stripLeadingMarks(text);
  return !HEAD.test(s) && HEAD_WITHOUT_ID.test(s);
}

const INSERTED = /\bINSERTED\b|\(\s*inserted\b/;

function cleanName(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .replace(/^[\s:：—–-]+|[\s:：—–-]+$/g, '')
    .trim();
}

/** Strips trailing parentheticals and dash clauses that carry status, dates, counts or INSERTED. */
function trimDecorations(name: string, found: (s: StatusWords | null, date: string | null) => void): string {
  let s = name.trim();
  for (let guard = 0; guard < 8; guard++) {
    const groups = parentheticals(s);
    const last = groups[groups.length - 1];
    if (last && s.slice(last.end).trim() === '') {
      const inner = last.inner;
      const status = statusWords(inner, false);
      const decorative =
        status !== null ||
        /^inserted\b/i.test(inner) ||
        /^\d{4}-\d{2}-\d{2}\b/.test(inner) ||
        /\bplans?\b/i.test(inner) ||
        /^\d+(?:\.\d+)?\s*(?:h|m|min|minutes?|hours?)\b/i.test(inner);
      if (decorative) {
        found(status, status ? status.date : firstIsoDate(inner));
        s = s.slice(0, last.start).trim();
        continue;
      }
    }
    const segs = dashSegments(s);
    if (segs.length > 1) {
      const tail = segs[segs.length - 1]!;
      const status = statusWords(tail, true);
      if (status || /^INSERTED\b/.test(tail)) {
        found(status, status ? status.date : null);
        s = s.slice(0, s.length - tail.length).replace(/\s+(?:—|--|–|-)\s*$/u, '');
        continue;
      }
    }
    break;
  }
  return s;
}

/**
 * Reads a phase declaration. `form` says where the text comes from: a heading holds only the
 * name and its decorations; a list line may continue with a description after a dash.
 * `allowTrailingId` also accepts `Name (Phase 1) — description` (plain bullets under "## Phases").
 */
export function parsePhaseHead(text: string, form: 'heading' | 'list', allowTrailingId = false): PhaseHead | null {
  const src = stripLeadingMarks(text.replace(/^\s+/, ''));
  let status: StatusWords | null = null;
  let bareDate: string | null = null;
  const found = (s: StatusWords | null, date: string | null) => {
    if (s && !status) status = s;
    else if (!s && date && !bareDate) bareDate = date;
  };

  let rawId: string;
  let name: string;
  let rest: string;
  const bold = /^(\*\*|__)/.exec(text.replace(/^\s+/, '').replace(/^[✅✓✔☑🚧📋⏸❌]\uFE0F?\s*/u, ''));
  const boldClose = bold ? src.indexOf(bold[1]!) : -1;
  const boldInner = bold && boldClose > 0 ? src.slice(0, boldClose) : null;
  const head = HEAD.exec(boldInner ?? src);
  if (head) {
    rawId = head[1]!;
    if (boldInner !== null) {
      name = boldInner.slice(head[0].length);
      rest = src.slice(boldClose + 2);
      if (name.trim() === '') {
        // `**Phase 5**: Name - description`
        const m = /^\s*[:：]?\s*(.*)$/.exec(rest)!;
        const segs = dashSegments(m[1]!);
        name = segs[0]!;
        rest = m[1]!.slice(segs[0]!.length);
      }
    } else {
      const after = src.slice(head[0].length);
      if (form === 'heading') {
        name = after;
        rest = '';
      } else {
        const count = findPlanCountInLine(after);
        if (count) {
          name = after.slice(0, count.start);
          rest = after.slice(count.start);
        } else {
          const segs = dashSegments(after);
          name = segs[0]!;
          rest = after.slice(segs[0]!.length);
        }
      }
    }
  } else if (form === 'list' && allowTrailingId) {
    const m = NAME_THEN_PHASE.exec(src.replace(/\*\*|__/g, ''));
    if (!m) return null;
    rawId = m[2]!;
    name = m[1]!;
    rest = m[3]!;
  } else return null;

  const id = normalizePhaseId(rawId);
  if (!id) return null;
  const inserted = INSERTED.test(text);
  name = trimDecorations(name, found);

  // The rest of a list line: parentheticals and dash clauses that are status words, not description.
  for (const p of parentheticals(rest)) {
    const s = statusWords(p.inner, false);
    if (s) found(s, s.date);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(p.inner)) found(null, p.inner);
  }
  for (const seg of dashSegments(rest.replace(/^\s*(?:—|--|–|-)\s*/u, '')).map((x) => x.trim())) {
    if (!seg) continue;
    const s = statusWords(seg, true);
    if (s) found(s, s.date);
  }

  return {
    rawId,
    id,
    name: cleanName(name.replace(/\*\*|__/g, '')),
    status,
    bareDate,
    inserted,
  };
}
