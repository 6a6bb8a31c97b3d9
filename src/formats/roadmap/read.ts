/**
 * ROADMAP.md reader: one pass over the document's blocks (headings inside fences and HTML
 * comments are never blocks), tolerant of every dialect in the corpus, never throws.
 *
 * Milestone context: a phase belongs to the innermost enclosing milestone, where a milestone is
 * opened by a heading (`### 🚧 v1.1 Growth`, until the next heading of the same or a higher
 * level that is not a phase heading), by a `<details><summary>✅ v1.0 …</summary>` block (until
 * its `</details>`), by an archive title (`# Milestone v1.0: MVP`) or a `**Milestone:**` field
 * (whole document). Phases without one are matched to a milestone's "Phases N-M" range.
 *
 * Phase keys: a phase declared in the checkbox list and again as a details heading is one phase
 * with two declarations. An id declared again under a DIFFERENT milestone (numbering restarted,
 * archived blocks kept in the file — GSD bugs #2445/#2805) is a separate phase: all of them keep
 * `id`, and `key` is `id` for the one in the unshipped (else the last declared) milestone and
 * `<milestone>/<id>` for the others.
 */
import type { MarkdownDocument } from '../../markdown/index.ts';
import type { Block, Heading, List, ListItem, Span, Table } from '../../markdown/types.ts';
import { DiagnosticSink, type Diagnostic } from '../../model/diagnostic.ts';
import { comparePhaseIds, isBacklogPhase, normalizePhaseId, planKey } from '../../model/ids.ts';
import {
  findPlanCountInLine,
  parseDependsOn,
  parseLabelLine,
  parsePlanCountValue,
  parseRequirements,
  planRefId,
  type DependencyRef,
  type LabelLine,
  type PlanCountValue,
} from './fields.ts';
import { parseMilestoneText, sectionMilestoneHint, type MilestoneHead } from './milestone-line.ts';
import { looksLikePhaseWithoutId, parsePhaseHead, type PhaseHead } from './phase-line.ts';
import { progressTableShape, readProgressRow } from './progress-table.ts';
import { firstIsoDate, statusWords, stripInline, type StatusWords } from './text.ts';
import type {
  MilestoneStatus,
  PhaseDeclarationKind,
  ProgressRow,
  ProgressTable,
  RoadmapMilestone,
  RoadmapPhase,
  RoadmapReadResult,
  RoadmapRecord,
} from './types.ts';

interface MilestoneBuilder {
  key: string;
  out: RoadmapMilestone;
}

interface PhaseBuilder {
  out: RoadmapPhase;
  milestone: MilestoneBuilder | null;
  /** Milestone written in a progress-table cell, for phases no milestone block groups. */
  tableMilestone: string | null;
  deps: DependencyRef[];
  /** Offsets of `out.declarations`, same order (for diagnostics). */
  declOffsets: number[];
  /** Plan id as written → index in `out.plans`. */
  planByRaw: Map<string, number>;
  /** planKey → index, built once a plain (checkbox-less) plan line is seen. */
  planByKey: Map<string, number> | null;
  planCountRank: number;
  statusFromLine: boolean;
}

interface Scope {
  kind: 'heading' | 'details';
  depth: number;
  milestone: MilestoneBuilder | null;
  /** The milestone declaration this scope opened, whose span ends when the scope closes. */
  span: Span | null;
  hint: MilestoneStatus | null;
}

interface CurrentPhase {
  phase: PhaseBuilder;
  depth: number;
  details: number;
}

interface TableCandidate {
  table: ProgressTable;
  inDetails: boolean;
  underProgressHeading: boolean;
}

const PHASE_WORD = /Phase|Fase|阶段|단계/i;
const PROGRESS_HEADING = /progress|进度|진행|progresso|fortschritt|avance/i;
const PHASES_HEADING = /\bphases\b|\bfases\b|阶段|단계/i;
// "## Milestones", "## Completed Milestones", "## Previous Milestone", "## Milestones Shipped" — not "## Milestone Summary".
const MILESTONES_HEADING =
  /^[^\p{L}\p{N}]*(?:(?:completed|shipped|active|current|previous|past|planned|upcoming|future|archived)\s+)?(?:milestones?|里程碑|marcos?|meilensteine?)(?:\s+(?:shipped|completed|history|overview|roadmap))?[^\p{L}\p{N}]*$/iu;

class RoadmapReader {
  private readonly text: string;
  private readonly sink: DiagnosticSink;

  private title: string | null = null;
  private readonly milestones: MilestoneBuilder[] = [];
  private readonly milestoneByKey = new Map<string, MilestoneBuilder>();
  private readonly phases: PhaseBuilder[] = [];
  private readonly byId = new Map<string, PhaseBuilder[]>();
  private readonly tables: TableCandidate[] = [];

  private readonly stack: Scope[] = [];
  private docMilestone: MilestoneBuilder | null = null;
  /** Span of the declaration `upsertMilestone` recorded last. */
  private lastDeclSpan: Span | null = null;
  private current: CurrentPhase | null = null;
  private lastHeading = '';
  private plansListPending = false;
  private requirementsListFor: PhaseBuilder | null = null;

  constructor(
    private readonly doc: MarkdownDocument,
    file: string,
  ) {
    this.text = doc.text;
    this.sink = new DiagnosticSink(file, (offset) => doc.position(offset));
  }

  get diagnostics(): Diagnostic[] {
    return this.sink.items;
  }

  read(): RoadmapRecord {
    for (const block of this.doc.blocks) {
      const plansPending = this.plansListPending;
      const reqFor = this.requirementsListFor;
      this.plansListPending = false;
      this.requirementsListFor = null;
      switch (block.kind) {
        case 'heading':
          this.heading(block);
          break;
        case 'html':
          this.html(block.value, block.span);
          break;
        case 'paragraph':
          // A group label such as "**Metrics (METRICS-01 ~ METRICS-06):**" keeps a requirement list going.
          if (reqFor && /^\s*(?:\*\*|__)[^\n]*[:：]\s*(?:\*\*|__)?\s*$/.test(block.text)) this.requirementsListFor = reqFor;
          this.scanFieldLines(block);
          break;
        case 'list':
          if (reqFor) {
            this.requirementsFromList(block, reqFor);
            this.requirementsListFor = reqFor;
          }
          this.list(block, plansPending);
          this.scanFieldLines(block);
          break;
        case 'table':
          this.table(block);
          break;
        default:
          break;
      }
    }
    while (this.stack.length) this.pop(this.text.length);
    return this.finish();
  }

  // ---- positions -------------------------------------------------------------------------

  /** Start and end (line ending excluded) of the line holding `offset`. */
  private lineBounds(offset: number): { start: number; end: number } {
    const t = this.text;
    // Scanned by hand: lastIndexOf('\r') would walk back to the start of an LF-only file every time.
    let start = offset;
    while (start > 0) {
      const c = t.charCodeAt(start - 1);
      if (c === 10 || c === 13) break;
      start--;
    }
    let end = offset;
    while (end < t.length) {
      const c = t.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    return { start, end };
  }

  private lineOf(offset: number): number {
    return this.doc.position(offset).line;
  }

  /** Offset of `fragment` that should start at `at`; searched for in the surrounding line when the text moved. */
  private locate(at: number, fragment: string): number | null {
    if (this.text.startsWith(fragment, at)) return at;
    const { start, end } = this.lineBounds(at);
    const found = this.text.indexOf(fragment, start);
    return found >= 0 && found + fragment.length <= end ? found : null;
  }

  // ---- scopes ---------------------------------------------------------------------------

  /** Closes the innermost scope; a milestone block declared by it ends at `end`. */
  private pop(end: number): void {
    const s = this.stack.pop();
    if (!s?.span || s.span.end !== -1) return;
    s.span.end = end;
    const out = s.milestone?.out;
    if (out && out.span.end === -1 && out.span.start === s.span.start) out.span.end = end;
  }

  private contextMilestone(): MilestoneBuilder | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const m = this.stack[i]!.milestone;
      if (m) return m;
    }
    return this.docMilestone;
  }

  private sectionHint(): MilestoneStatus | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const s = this.stack[i]!;
      if (s.hint) return s.hint;
    }
    return null;
  }

  private detailsDepth(): number {
    let n = 0;
    for (const s of this.stack) if (s.kind === 'details') n++;
    return n;
  }

  // ---- milestones -----------------------------------------------------------------------

  private upsertMilestone(head: MilestoneHead, kind: RoadmapMilestone['kind'], line: number, span: Span): MilestoneBuilder {
    const key = head.id ?? head.name;
    const status = head.status ?? this.sectionHint();
    const existing = this.milestoneByKey.get(key);
    if (existing) {
      const o = existing.out;
      o.status ??= status;
      o.shipped ??= head.shipped;
      o.phaseRange ??= head.phaseRange;
      if (o.name === o.id && head.name && head.name !== head.id) o.name = head.name;
      o.declarations.push({ line, kind, span: { ...span } });
      this.lastDeclSpan = o.declarations[o.declarations.length - 1]!.span;
      return existing;
    }
    const out: RoadmapMilestone = {
      id: head.id,
      name: head.name,
      status,
      shipped: head.shipped,
      line,
      span: { ...span },
      phaseIds: [],
      kind,
      phaseRange: head.phaseRange,
      declarations: [{ line, kind, span: { ...span } }],
    };
    const b = { key, out };
    this.lastDeclSpan = out.declarations[0]!.span;
    this.milestones.push(b);
    this.milestoneByKey.set(key, b);
    return b;
  }

  private milestoneField(label: LabelLine): void {
    const m = this.contextMilestone();
    if (!m) return;
    const o = m.out;
    if (label.field === 'status') {
      const st = statusWords(label.value, false);
      if (st?.kind === 'complete') {
        o.status ??= 'shipped';
        o.shipped ??= st.date ?? firstIsoDate(label.value);
      } else if (st && /progress|active|current/i.test(st.text)) o.status ??= 'active';
      else if (st && /plann|not[ -]started/i.test(st.text)) o.status ??= 'planned';
    } else if (label.field === 'shipped' || label.field === 'completed') {
      const d = firstIsoDate(label.value);
      if (d) {
        o.status ??= 'shipped';
        o.shipped ??= d;
      }
    } else if (label.field === 'phases' && !o.phaseRange) {
      // Only a range: a single number is a phase id in some archives and a phase count in others.
      const r = /^(\d{1,6}(?:\.\d{1,6})*)\s*[-–]\s*(\d{1,6}(?:\.\d{1,6})*)(?![\d.])/.exec(label.value);
      const from = r ? normalizePhaseId(r[1]!) : null;
      const to = r ? normalizePhaseId(r[2]!) : null;
      if (from && to) o.phaseRange = { from, to };
    }
  }

  // ---- phases ---------------------------------------------------------------------------

  private newPhase(head: { id: string; rawId: string; name: string }, line: number, milestone: MilestoneBuilder | null): PhaseBuilder {
    const out: RoadmapPhase = {
      id: head.id,
      key: head.id,
      rawId: head.rawId,
      name: head.name,
      milestone: milestone ? milestone.key : null,
      checked: null,
      checkbox: null,
      goal: null,
      dependsOn: [],
      dependsOnLine: null,
      dependsOnText: null,
      requirements: [],
      plans: [],
      planCount: null,
      planCountUnknown: false,
      statusText: null,
      completed: null,
      inserted: false,
      deferred: false,
      backlog: isBacklogPhase(head.id),
      line,
      declarations: [],
    };
    const b: PhaseBuilder = {
      out,
      milestone,
      tableMilestone: null,
      deps: [],
      declOffsets: [],
      planByRaw: new Map(),
      planByKey: null,
      planCountRank: -1,
      statusFromLine: false,
    };
    this.phases.push(b);
    const list = this.byId.get(head.id);
    if (list) list.push(b);
    else this.byId.set(head.id, [b]);
    return b;
  }

  /** The phase an id refers to when no milestone decides: the one in an unshipped milestone, else the last. */
  private primaryOf(list: PhaseBuilder[]): PhaseBuilder {
    for (let i = list.length - 1; i >= 0; i--) {
      const p = list[i]!;
      if (p.milestone?.out.status !== 'shipped') return p;
    }
    return list[list.length - 1]!;
  }

  private declare(head: PhaseHead, kind: PhaseDeclarationKind, line: number, offset: number): PhaseBuilder {
    const ctx = this.contextMilestone();
    const list = this.byId.get(head.id);
    let target: PhaseBuilder | null = null;
    if (list) {
      if (ctx) {
        // An ungrouped phase takes the milestone of a later declaration of its id, unless the names
        // differ under a shipped milestone: numbering restarted (v1 phase 1 "Setup", v3 phase 1 "Scale-out").
        target = list.find((p) => p.milestone === ctx) ?? list.find((p) => p.milestone === null && (ctx.out.status !== 'shipped' || sameName(p.out.name, head.name))) ?? null;
        if (target && target.milestone === null) {
          target.milestone = ctx;
          target.out.milestone = ctx.key;
        }
      } else target = this.primaryOf(list);
    }
    if (target) {
      const sameIndex = target.out.declarations.findIndex((d) => d.kind === kind);
      const same = sameIndex >= 0 ? target.out.declarations[sameIndex]! : null;
      if (same) {
        const label = kind === 'checkbox' ? 'checkbox line' : kind;
        if (target.out.declarations.filter((d) => d.kind === kind).length === 1) {
          this.sink.warn(
            target.declOffsets[sameIndex]!,
            'duplicate-phase-id',
            `Phase ${head.rawId} is declared twice as a ${label} (lines ${same.line} and ${line}).`,
            'Give one of them a new id (cairn phase insert) or remove the duplicate.',
          );
        }
        this.sink.warn(
          offset,
          'duplicate-phase-id',
          `Phase ${head.rawId} is declared again as a ${label} (first at line ${same.line}); fields read from both.`,
          'Give one of them a new id (cairn phase insert) or remove the duplicate.',
        );
      }
    } else target = this.newPhase(head, line, ctx);

    const o = target.out;
    o.declarations.push({ line, kind });
    target.declOffsets.push(offset);
    if (!o.name && head.name) o.name = head.name;
    if (head.inserted) o.inserted = true;
    this.applyStatus(target, head.status, head.bareDate, kind !== 'table');
    return target;
  }

  private applyStatus(p: PhaseBuilder, status: StatusWords | null, bareDate: string | null, fromLine: boolean): void {
    const o = p.out;
    if (status) {
      if (o.statusText === null || (fromLine && !p.statusFromLine)) {
        o.statusText = status.text;
        p.statusFromLine = fromLine;
      }
      if (status.kind === 'deferred') o.deferred = true;
      if (status.kind === 'complete' && (o.completed === null || (o.completed === '' && status.date))) o.completed = status.date ?? bareDate ?? '';
    }
    if (!status && bareDate && o.checked === true && !o.completed) o.completed = bareDate;
  }

  private setPlanCount(p: PhaseBuilder, v: PlanCountValue, at: number, line: number, text: string, rank: number): void {
    if (v.unknown) p.out.planCountUnknown = true;
    if (rank <= p.planCountRank) return;
    p.planCountRank = rank;
    p.out.planCount = {
      done: v.done,
      total: v.total,
      extra: v.extra,
      text,
      line,
      span: { start: at, end: at + text.length },
    };
  }

  // ---- blocks ---------------------------------------------------------------------------

  private heading(h: Heading): void {
    if (h.depth === 1 && this.title === null) this.title = h.text;
    const phaseHead = parsePhaseHead(h.text, 'heading');
    // A phase heading does not close a milestone heading of its own level (`### v4.0 …` then `### Phase 22`).
    while (this.stack.length) {
      const top = this.stack[this.stack.length - 1]!;
      if (top.kind !== 'heading') break;
      if (top.depth > h.depth || (top.depth === h.depth && !(phaseHead && top.milestone))) this.pop(h.span.start);
      else break;
    }
    if (this.current && h.depth <= this.current.depth) this.current = null;
    this.lastHeading = h.text;

    if (phaseHead) {
      const p = this.declare(phaseHead, 'heading', h.line, h.span.start);
      this.current = { phase: p, depth: h.depth, details: this.detailsDepth() };
      const count = findPlanCountInLine(h.text);
      if (count) this.planCountAt(p, count.value, h.text, h.textSpan.start, h.line, 2);
      return;
    }
    if (looksLikePhaseWithoutId(h.text)) {
      this.sink.warn(
        h.span.start,
        'phase-heading-without-id',
        `Heading "${truncate(h.text)}" looks like a phase but has no phase id; it is not read as a phase.`,
        'Write it as "Phase <number>: <name>", e.g. "### Phase 3: Reporting".',
      );
    }
    // A title "# Roadmap: v0.10.1 Food Log Polish" scopes the whole document to that milestone,
    // like an archive title "# Milestone v1.0: MVP" (a version elsewhere in the title does not).
    const text = h.depth === 1 ? h.text.replace(/^\s*roadmap\s*[:：—–-]\s*(?=v\d)/iu, '') : h.text;
    const head = parseMilestoneText(text, 'heading');
    if (head && (h.depth > 1 || head.id !== null)) {
      const m = this.upsertMilestone(head, 'heading', h.line, { start: h.span.start, end: -1 });
      this.stack.push({ kind: 'heading', depth: h.depth, milestone: m, span: this.lastDeclSpan, hint: null });
    } else {
      this.stack.push({ kind: 'heading', depth: h.depth, milestone: null, span: null, hint: sectionMilestoneHint(h.text) });
    }
  }

  private html(value: string, span: Span): void {
    if (value.trimStart().startsWith('<!--')) return;
    const tag = /<(\/?)(details|summary)\b[^>]*>/gi;
    for (let m = tag.exec(value); m; m = tag.exec(value)) {
      const at = span.start + m.index;
      if (m[2]!.toLowerCase() === 'details') {
        if (!m[1]) this.stack.push({ kind: 'details', depth: 0, milestone: null, span: null, hint: null });
        else this.closeDetails(at + m[0].length);
      } else if (!m[1]) {
        const close = value.toLowerCase().indexOf('</summary>', m.index + m[0].length);
        const inner = value.slice(m.index + m[0].length, close < 0 ? undefined : close);
        const top = this.stack[this.stack.length - 1];
        const head = parseMilestoneText(inner.replace(/\s+/g, ' '), 'summary');
        if (top?.kind === 'details' && head && !top.milestone) {
          const start = this.detailsStart(span, value, m.index);
          top.milestone = this.upsertMilestone(head, 'details', this.lineOf(start), { start, end: -1 });
          top.span = this.lastDeclSpan;
        }
        if (close >= 0) tag.lastIndex = close;
      }
    }
  }

  private detailsStart(span: Span, value: string, summaryIndex: number): number {
    const open = value.toLowerCase().lastIndexOf('<details', summaryIndex);
    return open >= 0 ? span.start + open : span.start + summaryIndex;
  }

  private closeDetails(end: number): void {
    let i = this.stack.length - 1;
    while (i >= 0 && this.stack[i]!.kind !== 'details') i--;
    if (i < 0) return;
    while (this.stack.length > i) this.pop(end);
    if (this.current && this.current.details > this.detailsDepth()) this.current = null;
  }

  private list(block: List, plansPending: boolean): void {
    const underPhases = PHASES_HEADING.test(this.lastHeading) && !/detail/i.test(this.lastHeading);
    const underMilestones = MILESTONES_HEADING.test(this.lastHeading);
    for (const item of block.items) this.item(item, null, plansPending, underPhases, underMilestones, true);
  }

  private item(item: ListItem, parent: PhaseBuilder | null, inPlans: boolean, underPhases: boolean, underMilestones: boolean, top: boolean): void {
    const nl = item.text.indexOf('\n');
    const first = nl < 0 ? item.text : item.text.slice(0, nl);
    let owner = parent;
    const boldPhase = /^\s*(?:[✅✓🚧📋]\uFE0F?\s*)?(?:\*\*|__)(?:Phase|Fase|阶段|단계)\s*\d/i.test(first);
    const phaseHead =
      !inPlans && (item.task !== null || underPhases || boldPhase) && PHASE_WORD.test(first)
        ? parsePhaseHead(first, 'list', item.task === null && underPhases)
        : null;
    if (phaseHead) {
      const kind: PhaseDeclarationKind = item.task !== null ? 'checkbox' : 'bullet';
      const p = this.declare(phaseHead, kind, item.line, item.span.start);
      if (item.task !== null && p.out.checkbox === null) {
        p.out.checked = item.task !== ' ';
        p.out.checkbox = this.checkboxSpan(item);
        this.applyStatus(p, null, phaseHead.bareDate, true);
      }
      const count = findPlanCountInLine(first);
      if (count) this.planCountAt(p, count.value, first, item.textSpan.start, item.line, kind === 'checkbox' ? 1 : 0);
      if (top) this.current = null;
      owner = p;
    } else if (top && underMilestones) {
      const head = parseMilestoneText(first, 'bullet');
      // A bare "v2 requirements …" bullet is prose; a milestone bullet is emphasised, linked, dated or ranged.
      const signal = head && (/^[^\p{L}\p{N}]*(?:\*\*|__|\[)v?\d/u.test(first) || head.status || head.phaseRange || item.task !== null);
      if (head && signal) {
        if (head.status === null && item.task !== null && item.task !== ' ') head.status = 'shipped';
        this.upsertMilestone(head, 'bullet', item.line, { ...item.span });
      }
    } else {
      const id = planRefId(first);
      const target = parent ?? this.current?.phase ?? null;
      // In a "Plans:" list a line without an id counts only with a checkbox ("- (built in Phase 1)" is a note).
      if (target && (id !== null || (inPlans && item.task !== null))) {
        if (id === null && /^\s*(?:TBD|To be planned)\b/i.test(first)) target.out.planCountUnknown = true;
        else this.addPlan(target, id, first.trim(), item);
      }
    }
    for (const child of item.children) this.item(child, owner, owner === parent ? inPlans : false, underPhases, false, false);
  }

  /**
   * A plan named twice in a phase (a plain bullet, then its checkbox line) is one plan; the checkbox
   * wins. Ids match as written, and by planKey (`09.1-01` = `9.1-01`) once plain bullets are involved.
   */
  private addPlan(phase: PhaseBuilder, id: string | null, text: string, item: ListItem): void {
    const ref = {
      id,
      text,
      checked: item.task === null ? null : item.task !== ' ',
      line: item.line,
      checkbox: item.task === null ? null : this.checkboxSpan(item),
    };
    const plans = phase.out.plans;
    if (id !== null) {
      let i = phase.planByRaw.get(id);
      if (i === undefined && (ref.checked === null || phase.planByKey !== null)) {
        if (!phase.planByKey) {
          phase.planByKey = new Map();
          plans.forEach((p, k) => p.id !== null && phase.planByKey!.set(planKey(p.id), k));
        }
        i = phase.planByKey.get(planKey(id));
      }
      if (i !== undefined) {
        if (plans[i]!.checked === null && ref.checked !== null) plans[i] = ref;
        return;
      }
      phase.planByRaw.set(id, plans.length);
      phase.planByKey?.set(planKey(id), plans.length);
    }
    plans.push(ref);
  }

  private checkboxSpan(item: ListItem): Span | null {
    const open = this.text.lastIndexOf('[', item.textSpan.start);
    if (open < item.span.start) return null;
    if (this.text[open + 2] !== ']') return null;
    return { start: open + 1, end: open + 2 };
  }

  private planCountAt(p: PhaseBuilder, v: PlanCountValue, lineText: string, textStart: number, line: number, rank: number): void {
    const fragment = lineText.slice(v.index, v.index + v.length);
    const at = this.locate(textStart + v.index, fragment);
    if (at === null) return;
    this.setPlanCount(p, v, at, line, fragment, rank);
  }

  /**
   * Reads `**Label**: value` lines of a paragraph or list, physical line by physical line, because
   * a field line often continues a list item lazily (`  2. criterion` then `**Plans**: 3 plans`).
   * Only lines holding a colon are sliced and parsed.
   */
  private scanFieldLines(block: Block): void {
    const t = this.text;
    const end = Math.min(block.span.end, t.length);
    let pos = this.lineBounds(block.span.start).start;
    let line = block.line;
    let lastWasPlans = false;
    while (pos < end) {
      let i = pos;
      let colon = false;
      let c = 0;
      while (i < t.length) {
        c = t.charCodeAt(i);
        if (c === 10 || c === 13) break;
        if (c === 58 || c === 0xff1a) colon = true;
        i++;
      }
      lastWasPlans = false;
      if (colon && i - pos <= 2000) {
        const label = parseLabelLine(t.slice(pos, i));
        if (label) {
          if (label.field === 'plans') lastWasPlans = true;
          this.field(label, pos, line);
        }
      }
      if (i >= t.length) break;
      pos = i + (c === 13 && t.charCodeAt(i + 1) === 10 ? 2 : 1);
      line++;
    }
    if (lastWasPlans) this.plansListPending = true;
  }

  private field(label: LabelLine, lineStart: number, line: number): void {
    const cur = this.current?.phase ?? null;
    if (label.field === 'milestone') {
      if (!cur && !this.contextMilestone() && this.phases.length === 0) {
        const head = parseMilestoneText(label.value, 'bullet');
        if (head) this.docMilestone = this.upsertMilestone(head, 'field', line, { start: lineStart, end: this.text.length });
      }
      return;
    }
    if (!cur) {
      if (label.field === 'status' || label.field === 'shipped' || label.field === 'completed' || label.field === 'phases') {
        this.milestoneField(label);
      }
      return;
    }
    const o = cur.out;
    const valueAt = lineStart + label.valueIndex;
    switch (label.field) {
      case 'goal':
        if (o.goal === null && label.value) o.goal = label.value;
        break;
      case 'depends':
        if (o.dependsOnLine === null) {
          o.dependsOnLine = line;
          o.dependsOnText = label.value;
          cur.deps = parseDependsOn(label.value);
        }
        break;
      case 'requirements':
        if (o.requirements.length === 0) {
          if (label.value) o.requirements = parseRequirements(label.value);
          else this.requirementsListFor = cur;
        }
        break;
      case 'plans': {
        if (!label.value) break;
        const v = parsePlanCountValue(label.value);
        if (v) this.setPlanCount(cur, v, valueAt + v.index, line, label.value.slice(v.index, v.index + v.length), 3);
        else {
          this.sink.warn(
            valueAt,
            'plan-count-unreadable',
            `Phase ${o.rawId}: cannot read the plan count "${truncate(label.value)}".`,
            'Write "**Plans**: 3 plans", "**Plans**: 2/3 plans complete" or "**Plans**: TBD".',
          );
        }
        break;
      }
      case 'status': {
        const st = statusWords(label.value, false);
        this.applyStatus(cur, st, null, false);
        if (st?.kind === 'complete' && !o.completed) o.completed = firstIsoDate(label.value) ?? o.completed;
        const count = /(\d{1,6})\s*\/\s*(\d{1,6})\s*plans?/i.exec(label.value);
        if (count) {
          const v = parsePlanCountValue(label.value.slice(count.index));
          if (v) this.setPlanCount(cur, v, valueAt + count.index + v.index, line, label.value.slice(count.index + v.index, count.index + v.index + v.length), 0);
        }
        break;
      }
      case 'completed': {
        const d = firstIsoDate(label.value);
        if (d && !o.completed) o.completed = d;
        break;
      }
      default:
        break;
    }
  }

  private requirementsFromList(block: List, phase: PhaseBuilder): void {
    const ids: string[] = [];
    for (const item of block.items) {
      const lead = /^\s*(?:\*\*)?([A-Z][A-Z0-9]*(?:[._][A-Z0-9]+)*-\d+[a-z]?)\b/.exec(item.text);
      if (lead) ids.push(lead[1]!);
    }
    for (const id of ids) if (!phase.out.requirements.includes(id)) phase.out.requirements.push(id);
  }

  private table(block: Table): void {
    const shape = progressTableShape(block);
    if (!shape) return;
    for (const [index, text] of shape.unknown) {
      const cell = block.header.cells[index];
      this.sink.info(
        cell ? cell.span.start : block.span.start,
        'progress-table-unknown-column',
        `Progress table column "${truncate(text)}" is not a known column; it is kept but not read.`,
        'Known columns: Phase, Milestone, Plans Complete, Status, Completed.',
      );
    }
    const rows = block.rows.map((r) => readProgressRow(r, shape));
    const table: ProgressTable = { span: { ...block.span }, line: block.line, columns: shape.columns, header: block.header.cells.map((c) => ({ ...c.span })), rows };
    this.tables.push({ table, inDetails: this.detailsDepth() > 0, underProgressHeading: PROGRESS_HEADING.test(this.lastHeading) });
    this.tableDeclarations(table);
  }

  private tableDeclarations(table: ProgressTable): void {
    const seen = new Map<string, number>();
    for (const row of table.rows) {
      if (row.phaseSpan) this.spanningRow(row, row.phaseSpan);
      if (!row.phaseId) continue;
      const firstLine = seen.get(row.phaseId);
      if (firstLine !== undefined) {
        this.sink.warn(
          row.span.start,
          'duplicate-phase-id',
          `Phase ${row.phaseId} has two rows in the progress table (lines ${firstLine} and ${row.line}).`,
          'Remove one of the rows; cairn sync rewrites the table from the facts.',
        );
        continue;
      }
      seen.set(row.phaseId, row.line);
      const list = this.byId.get(row.phaseId);
      let p: PhaseBuilder;
      if (list) {
        p = (row.milestone ? list.find((x) => x.milestone && (x.milestone.out.id === row.milestone || x.milestone.key === row.milestone)) : undefined) ?? this.primaryOf(list);
      } else {
        const rawId = /\d[\w.]*/.exec(stripInline(row.phaseText))?.[0] ?? row.phaseId;
        const ctx = this.contextMilestone();
        const byCell = row.milestone ? this.milestoneByKey.get(row.milestone) ?? null : null;
        p = this.newPhase({ id: row.phaseId, rawId: rawId.replace(/\.$/, ''), name: row.name }, row.line, byCell ?? ctx);
        if (!byCell && !ctx && row.milestone) {
          p.tableMilestone = row.milestone;
          p.out.milestone = row.milestone;
        }
      }
      const o = p.out;
      o.declarations.push({ line: row.line, kind: 'table' });
      p.declOffsets.push(row.span.start);
      if (!o.name && row.name) o.name = row.name;
      if (row.statusText) {
        const st = statusWords(row.statusText, false);
        if (st?.kind === 'deferred') o.deferred = true;
        if (o.statusText === null) o.statusText = row.statusText;
        if (st?.kind === 'complete' && o.completed === null) o.completed = row.completed ?? '';
      }
    }
  }

  /**
   * A row covering several phases says nothing about one phase's plan count; a Complete status
   * completes each declared phase of the range (of the row's milestone when it names one).
   */
  private spanningRow(row: ProgressRow, span: { from: string; to: string }): void {
    const st = row.statusText ? statusWords(row.statusText, false) : null;
    if (st?.kind !== 'complete') return;
    for (const [id, list] of this.byId) {
      if (comparePhaseIds(span.from, id) > 0 || comparePhaseIds(id, span.to) > 0) continue;
      const p = (row.milestone ? list.find((x) => x.milestone && (x.milestone.out.id === row.milestone || x.milestone.key === row.milestone)) : undefined) ?? this.primaryOf(list);
      if (p.out.completed === null) p.out.completed = row.completed ?? '';
      if (p.out.statusText === null) p.out.statusText = row.statusText;
    }
  }

  // ---- result ---------------------------------------------------------------------------

  private finish(): RoadmapRecord {
    // Phases no block grouped: the milestone whose "Phases N-M" range holds them. Overlapping ranges
    // (v1 "Phases 1-6", v2 "Phases 1-3") mean numbering restarts, so a range alone says nothing.
    const ranges = this.milestones.flatMap((x) => (x.out.phaseRange ? [x.out.phaseRange] : []));
    const restarts = ranges.some((a, i) => ranges.some((b, j) => j > i && comparePhaseIds(a.from, b.to) <= 0 && comparePhaseIds(b.from, a.to) <= 0));
    for (const p of this.phases) {
      if (p.milestone || p.tableMilestone) continue;
      // A milestone whose own block already declares this id holds a different phase of that number.
      const holdsId = (x: MilestoneBuilder) => (this.byId.get(p.out.id) ?? []).some((q) => q !== p && q.milestone === x);
      const inRange = this.milestones.filter(
        (x) => x.out.phaseRange && comparePhaseIds(x.out.phaseRange.from, p.out.id) <= 0 && comparePhaseIds(p.out.id, x.out.phaseRange.to) <= 0,
      );
      const m = !restarts && inRange.length === 1 && !holdsId(inRange[0]!) ? inRange[0] : undefined;
      if (m) {
        p.milestone = m;
        p.out.milestone = m.key;
      }
    }

    for (const [id, list] of this.byId) {
      if (list.length < 2) continue;
      const primary = this.primaryOf(list);
      for (const p of list) p.out.key = p === primary ? id : `${p.milestone?.key ?? '?'}/${id}`;
    }

    const known = [...this.byId.keys()];
    for (const p of this.phases) p.out.dependsOn = expandDependencies(p.deps, known);

    for (const p of this.phases) {
      if (p.milestone) p.milestone.out.phaseIds.push(p.out.id);
    }
    // A shipped heading after the last phase that groups none and gives no range ("## v1.0 Complete"
    // above a closing summary) is a closing note, not a milestone: it would scope nothing.
    const lastPhaseLine = Math.max(-1, ...this.phases.map((p) => p.out.line));
    const closing = (m: MilestoneBuilder) =>
      m.out.kind === 'heading' && m.out.declarations.length === 1 && m.out.status === 'shipped' && m.out.phaseIds.length === 0 &&
      m.out.phaseRange === null && this.phases.length > 0 && m.out.line > lastPhaseLine;
    for (let i = this.milestones.length - 1; i >= 0; i--) if (closing(this.milestones[i]!)) this.milestones.splice(i, 1);
    for (const m of this.milestones) {
      if (m.out.span.end === -1) m.out.span.end = this.text.length;
      for (const d of m.out.declarations) if (d.span.end === -1) d.span.end = this.text.length;
    }

    if (this.phases.length === 0) {
      this.sink.at(
        null,
        'roadmap-no-phases',
        this.milestones.length ? 'info' : 'warning',
        'No phases found in this roadmap (expected "### Phase 1: Name" headings or "- [ ] **Phase 1: Name**" lines).',
        'Add a phase with: cairn phase add "<name>"',
      );
    }

    return {
      title: this.title,
      milestones: this.milestones.map((m) => m.out),
      phases: this.phases.map((p) => p.out),
      progressTable: pickProgressTable(this.tables),
      progressTables: this.tables.map((t) => t.table),
    };
  }
}

/**
 * The table cairn keeps in sync: the last one under a "Progress" heading outside `<details>`,
 * else the first under a "Progress" heading, else the first recognised one.
 */
function pickProgressTable(tables: TableCandidate[]): ProgressTable | null {
  const under = tables.filter((t) => t.underProgressHeading);
  const open = under.filter((t) => !t.inDetails);
  return (open[open.length - 1] ?? under[0] ?? tables[0])?.table ?? null;
}

const MAX_RANGE = 1000;

function expandDependencies(refs: DependencyRef[], known: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  };
  for (const r of refs) {
    if (r.to === null || comparePhaseIds(r.to, r.from) <= 0) {
      add(r.from);
      continue;
    }
    const ids = new Set<string>([r.from, r.to]);
    const a = /^\d+$/.test(r.from) ? Number(r.from) : null;
    const b = /^\d+$/.test(r.to) ? Number(r.to) : null;
    if (a !== null && b !== null && b - a <= MAX_RANGE) for (let n = a; n <= b; n++) ids.add(String(n));
    for (const k of known) if (comparePhaseIds(r.from, k) <= 0 && comparePhaseIds(k, r.to) <= 0) ids.add(k);
    for (const id of [...ids].sort(comparePhaseIds)) add(id);
  }
  return out;
}

/** Two phase names are the same phase unless both are given and neither starts the other (case, spacing, emphasis aside). */
function sameName(a: string, b: string): boolean {
  const norm = (x: string) => stripInline(x).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const x = norm(a);
  const y = norm(b);
  return x === '' || y === '' || x.startsWith(y) || y.startsWith(x);
}

function truncate(s: string, n = 80): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Reads a ROADMAP.md (current or archived). Never throws: problems are diagnostics. */
export function readRoadmap(doc: MarkdownDocument, file: string): RoadmapReadResult {
  const reader = new RoadmapReader(doc, file);
  try {
    const record = reader.read();
    return { record, diagnostics: reader.diagnostics };
  } catch (err) {
    const diagnostics = reader.diagnostics;
    diagnostics.push({
      rule: 'roadmap-read-failed',
      severity: 'error',
      file,
      line: 0,
      column: 0,
      message: `Internal error while reading the roadmap: ${err instanceof Error ? err.message : String(err)}.`,
      hint: 'Report this with the file attached: https://github.com/cairn/cairn/issues',
    });
    return { record: { title: null, milestones: [], phases: [], progressTable: null, progressTables: [] }, diagnostics };
  }
}
