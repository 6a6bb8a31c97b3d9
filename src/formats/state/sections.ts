/**
 * Recognises STATE.md sections by heading text. Headings vary by writer and language
 * ("Blockers/Concerns", "Open Issues", "## 核心决策记录"…), so titles are normalised
 * (emphasis, leading emoji, trailing colon and parenthetical removed) and looked up in one table.
 */
import type { StateSectionKind } from './types.ts';

const KINDS: Record<Exclude<StateSectionKind, 'other'>, string[]> = {
  projectReference: [
    'project reference', 'project summary', 'reference', '项目参考信息', '项目参考', '项目信息',
    'referência do projeto', 'referencia del proyecto', 'projektreferenz', 'référence du projet',
  ],
  currentPosition: [
    'current position', 'position', '当前位置', '当前进度', 'posição atual', 'posición actual',
    'aktuelle position', 'position actuelle',
  ],
  performanceMetrics: [
    'performance metrics', 'metrics', 'velocity', '性能指标', '绩效指标', '执行指标',
    'métricas de desempenho', 'métricas de rendimiento', 'métricas', 'leistungskennzahlen',
  ],
  accumulatedContext: ['accumulated context', '累积背景信息', '累积上下文', 'contexto acumulado', 'akkumulierter kontext'],
  decisions: [
    'decisions', 'recent decisions', 'decisions made', 'key decisions', 'decision log',
    '核心决策记录', '决策', '决策记录', '关键决策', 'decisões', 'decisiones', 'entscheidungen', 'décisions',
  ],
  pendingTodos: [
    'pending todos', 'todos', 'todo', 'to do', 'to-do', 'pending', 'pending tasks',
    '待办事项', '待办', 'pendências', 'tareas pendientes', 'offene aufgaben',
  ],
  blockers: [
    'blockers/concerns', 'blockers / concerns', 'blockers and concerns', 'blockers', 'concerns',
    'open issues', 'blockers/risks', '阻塞', '阻塞问题', '阻碍', '阻塞/关注', 'bloqueios', 'bloqueadores', 'blocker',
  ],
  sessionContinuity: ['session continuity', 'session', 'last session', '会话连续性要点', '会话连续性', '会话', 'continuidade da sessão', 'continuidad de sesión'],
  milestoneHistory: [
    'milestone history', 'completed milestones', 'milestones shipped', 'shipped milestones', 'milestones',
    '里程碑历史', '已完成里程碑', 'marcos concluídos', 'histórico de marcos',
  ],
};

const LOOKUP = new Map<string, StateSectionKind>();
for (const [kind, titles] of Object.entries(KINDS)) for (const t of titles) LOOKUP.set(t, kind as StateSectionKind);

/** Heading titles that hold the position block when no "Current Position" section exists. */
const POSITION_FALLBACK = new Set(['current status', 'current state', 'status', '当前状态', 'estado actual', 'status atual']);

export function normalizeTitle(title: string): string {
  let t = title.replace(/[*_`]/g, '').trim();
  // Leading emoji or symbols (`📍 Current Position`), trailing colon and parenthetical.
  t = t.replace(/^[^\p{L}\p{N}]+/u, '');
  t = t.replace(/\s*[:：]\s*$/, '');
  t = t.replace(/\s*[(（][^()（）]*[)）]\s*$/, '');
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function classifyTitle(title: string): StateSectionKind {
  return LOOKUP.get(normalizeTitle(title)) ?? 'other';
}

export function isPositionFallbackTitle(title: string): boolean {
  return POSITION_FALLBACK.has(normalizeTitle(title));
}

/** `Milestone v1.0 Complete`, `Milestone: v4.0 — Name`: a section about one milestone. */
export function milestoneHeading(title: string): { id: string; rest: string } | null {
  const m = /^milestone\s*[:：]?\s+(v?\d+(?:\.\d+)*[a-z]?)(?![\w.])\s*(.*)$/iu.exec(title.replace(/[*_`]/g, '').trim());
  if (!m) return null;
  return { id: m[1]!, rest: m[2]!.replace(/^[-–—:：\s]+/, '').trim() };
}
