/**
 * `Label: value` fields, whatever the dialect: plain lines (`Phase: 6 of 6`), bold labels
 * (`**Phase:** 8 of 8`, `**Phase**: 8`), bullets (`- Total plans completed: 10`,
 * `- **Phase:** 3`) and full-width colons (`**最后更新：**`). Labels are mapped to keys through one
 * alias table so translations and the GSD "bold dialect" names land on the same field.
 */
import type { Block, Section, Span } from '../../markdown/types.ts';
import { normalizeLabel, parseFieldLine } from './text.ts';

export type FieldKey =
  | 'phase' | 'phaseName' | 'totalPhases' | 'plan' | 'plansInPhase' | 'status' | 'lastActivity'
  | 'lastActivityDescription' | 'progress' | 'milestone' | 'pausedAt'
  | 'coreValue' | 'currentFocus' | 'see'
  | 'plansCompleted' | 'averageDuration' | 'totalTime' | 'trend' | 'recent'
  | 'lastSession' | 'stoppedAt' | 'resumeFile' | 'completed';

const ALIASES: Record<FieldKey, string[]> = {
  phase: ['phase', 'current phase', '阶段', '当前阶段', 'fase', 'fase atual', 'fase actual', 'phase actuelle', 'aktuelle phase'],
  phaseName: ['phase name', 'current phase name', '阶段名称', 'nome da fase', 'nombre de fase'],
  totalPhases: ['total phases', '总阶段数', '阶段总数'],
  plan: ['plan', 'current plan', '计划', '当前计划', 'plano', 'plano atual'],
  plansInPhase: ['total plans in phase', '阶段计划数'],
  status: ['status', '状态', '当前状态', 'estado', 'statut'],
  lastActivity: ['last activity', '最后活动', '最近活动', 'última atividade', 'última actividad', 'letzte aktivität', 'dernière activité'],
  lastActivityDescription: ['last activity description'],
  progress: ['progress', '进度', '总进度', 'progresso', 'progreso', 'fortschritt', 'progression'],
  milestone: ['milestone', 'current milestone', '当前里程碑', '里程碑', 'marco', 'marco atual'],
  pausedAt: ['paused at'],
  coreValue: ['core value', '核心价值', '核心价值主张', 'valor central', 'kernwert'],
  currentFocus: ['current focus', '当前焦点', '当前重点', 'foco atual', 'foco actual', 'aktueller fokus'],
  see: ['see', '参见', '参考', 'ver', 'siehe', 'voir'],
  plansCompleted: ['total plans completed', 'plans completed', '已完成计划', '已完成计划数', '完成计划数'],
  averageDuration: ['average duration', 'avg duration', 'average plan duration', '平均时长', '平均耗时', 'duração média', 'duración media'],
  totalTime: ['total execution time', 'total time', '总执行时间', '总耗时', 'tempo total de execução'],
  trend: ['trend', '趋势', 'tendência', 'tendencia'],
  recent: ['recent plans', '最近计划'],
  lastSession: ['last session', 'last date', '上次会话', '最后会话', 'última sessão', 'última sesión', 'letzte sitzung'],
  stoppedAt: ['stopped at', '停止于', '停在', 'parou em', 'detenido en'],
  resumeFile: ['resume file', '恢复文件', 'arquivo de retomada'],
  completed: ['completed', 'shipped', 'completed on', '完成时间'],
};

const KEY_OF = new Map<string, FieldKey>();
for (const [key, labels] of Object.entries(ALIASES)) for (const l of labels) KEY_OF.set(l, key as FieldKey);

export function fieldKey(label: string): FieldKey | null {
  const n = normalizeLabel(label);
  const k = KEY_OF.get(n);
  if (k) return k;
  if (/^last \d+ plans?$/.test(n)) return 'recent';
  return null;
}

export interface FieldHit {
  key: FieldKey;
  label: string;
  /** The value as written (trimmed); for an empty value, the next line of the same paragraph. */
  value: string;
  span: Span;
  line: number;
}

export interface LineRef {
  text: string;
  /** Offset of `text[0]` in the document. */
  start: number;
  line: number;
}

/** The lines of a block that can carry a field: paragraph lines and each top-level item's first line. */
export function* fieldLines(block: Block): Generator<LineRef> {
  if (block.kind === 'paragraph') {
    for (const l of block.lines) yield { text: l.text.replace(/\r$/, ''), start: l.span.start, line: l.line };
  } else if (block.kind === 'list') {
    for (const item of block.items) {
      const nl = item.text.indexOf('\n');
      const first = (nl < 0 ? item.text : item.text.slice(0, nl)).replace(/\r$/, '');
      yield { text: first, start: item.textSpan.start, line: item.line };
    }
  }
}

/** Blocks of a section and of its descendants (document order), except those `skip` rejects. */
export function* sectionBlocks(section: Section, skip?: (s: Section) => boolean): Generator<{ block: Block; section: Section }> {
  for (const block of section.blocks) yield { block, section };
  for (const child of section.children) {
    if (skip?.(child)) continue;
    yield* sectionBlocks(child, skip);
  }
}

/** Every recognised field in `blocks`, in order (a key may repeat). */
export function collectFields(blocks: Iterable<Block>): FieldHit[] {
  const out: FieldHit[] = [];
  for (const block of blocks) {
    if (block.kind !== 'paragraph' && block.kind !== 'list') continue;
    const lines = [...fieldLines(block)];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      const f = parseFieldLine(l.text);
      if (!f) continue;
      const key = fieldKey(f.label);
      if (!key) continue;
      let value = f.value;
      let start = l.start + f.valueStart;
      let line = l.line;
      // `**核心价值主张：**` with the value on the next line of the same paragraph.
      const next = lines[i + 1];
      if (value === '' && block.kind === 'paragraph' && next && !parseFieldLine(next.text)) {
        value = next.text.trim();
        start = next.start + (next.text.length - next.text.trimStart().length);
        line = next.line;
      }
      out.push({ key, label: f.label, value, span: { start, end: start + value.length }, line });
    }
  }
  return out;
}

/** First hit per key. */
export function firstByKey(hits: FieldHit[]): Map<FieldKey, FieldHit> {
  const m = new Map<FieldKey, FieldHit>();
  for (const h of hits) if (!m.has(h.key)) m.set(h.key, h);
  return m;
}
