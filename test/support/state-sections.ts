/**
 * Which parts of a STATE.md Cairn renders and which it must leave alone, for acceptance tests that
 * check the free sections survive `sync`/`adopt` byte for byte.
 */
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readState } from '../../src/formats/state/read.ts';
import { undrivenSessionLines } from '../../src/views/state/render.ts';

const OWNED = new Set(['projectReference', 'currentPosition', 'performanceMetrics', 'decisions', 'pendingTodos', 'blockers', 'sessionContinuity']);
/** List sections own everything under them (their items may sit under sub-headings); field sections keep free sub-sections. */
const OWNS_SUBSECTIONS = new Set(['decisions', 'pendingTodos', 'blockers']);

interface Sec { kind: string; title: string; span: { start: number; end: number } }
const inside = (a: Sec, b: Sec) => a !== b && b.span.start <= a.span.start && a.span.end <= b.span.end;

function sections(text: string): Sec[] {
  return readState(parseMarkdown(text), '.planning/STATE.md').record.sections;
}

/** Is this section rendered by Cairn (itself owned, or under a section that owns its sub-sections)? */
function isOwned(s: Sec, all: Sec[]): boolean {
  return OWNED.has(s.kind) || all.some((o) => OWNS_SUBSECTIONS.has(o.kind) && inside(s, o));
}

/** Text of a section with the given nested sections cut out. */
function cut(text: string, s: Sec, holes: Sec[]): string {
  let t = text.slice(s.span.start, s.span.end);
  for (const h of [...holes].sort((a, b) => b.span.start - a.span.start)) {
    if (!holes.some((o) => o !== h && inside(h, o))) t = t.slice(0, h.span.start - s.span.start) + t.slice(h.span.end - s.span.start);
  }
  return t;
}

/** Every section Cairn does not own, with owned sub-sections cut out, in document order. */
export function freeSections(text: string): string[] {
  const all = sections(text);
  return all
    .filter((s) => !isOwned(s, all) && s.kind !== 'accumulatedContext')
    .map((s) => `${s.title}\n${cut(text, s, all.filter((o) => inside(o, s) && isOwned(o, all))).trimEnd()}`);
}

/** Lines of the owned part: outermost owned sections minus the free sections kept inside them. */
export function ownedLines(text: string): number {
  const all = sections(text);
  let lines = 0;
  for (const s of all) {
    if (!OWNED.has(s.kind) || all.some((o) => OWNED.has(o.kind) && inside(s, o))) continue;
    lines += cut(text, s, all.filter((o) => inside(o, s) && !isOwned(o, all))).split('\n').length;
  }
  // Session Continuity lines Cairn does not derive are the user's, kept as written.
  const doc = parseMarkdown(text);
  const user = undrivenSessionLines(doc, readState(doc, '.planning/STATE.md').record).filter((l) => l.trim() !== '');
  return lines - user.length;
}
