/**
 * Finds every duration value the corpus states in a metric position: frontmatter `duration:`
 * keys (nested ones included), `Duration:` / `Average duration:` / `Total execution time:` lines
 * outside code fences, and the Total and Avg/Plan cells of By-Phase tables.
 */
import { readFileSync } from 'node:fs';

export interface DurationSource {
  file: string;
  line: number;
  where: 'frontmatter' | 'line' | 'table';
  value: string;
}

const FM_KEY = /^\s*duration:\s*(.*?)\s*$/;
const LINE = /^\s*(?:[-*+]\s+)?[*_]{0,2}(Duration|Average duration|Total execution time|Avg duration)[*_]{0,2}\s*:\s*[*_]{0,2}\s*(.*?)\s*$/i;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

function cells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Files whose body states plan/phase durations: summaries, state files (seeds too), milestone logs, handoffs. */
export function statesDurations(rel: string): boolean {
  return /(?:SUMMARY\.md|STATE\.md|MILESTONES\.md|RETROSPECTIVE\.md|\.continue-here\.md|\.txt)$/.test(rel);
}

export function durationSources(path: string, rel: string, opts: { bodyLines?: boolean } = {}): DurationSource[] {
  const bodyToo = opts.bodyLines ?? statesDurations(rel);
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const out: DurationSource[] = [];
  let i = 0;
  if (lines[0] === '---') {
    let end = lines.indexOf('---', 1);
    if (end < 0) end = 0;
    for (i = 1; i < end; i++) {
      const m = FM_KEY.exec(lines[i]!);
      if (m && m[1] !== '') out.push({ file: rel, line: i + 1, where: 'frontmatter', value: m[1]! });
    }
    i = end + 1;
  }
  if (!bodyToo) return out;
  let fence: string | null = null;
  let tableCols: number[] | null = null;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    const f = FENCE.exec(l);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    if (l.trim().startsWith('|')) {
      const c = cells(l);
      if (tableCols === null) {
        const lower = c.map((x) => x.toLowerCase());
        const total = lower.indexOf('total');
        const avg = lower.findIndex((x) => x === 'avg/plan' || x === 'average');
        if (lower[0] === 'phase' && (total >= 0 || avg >= 0)) tableCols = [total, avg].filter((n) => n >= 0);
      } else if (!/^[\s|:-]+$/.test(l)) {
        for (const col of tableCols) {
          const v = c[col];
          if (v !== undefined && v !== '') out.push({ file: rel, line: i + 1, where: 'table', value: v });
        }
      }
      continue;
    }
    tableCols = null;
    const m = LINE.exec(l);
    if (m && m[2] !== '') out.push({ file: rel, line: i + 1, where: 'line', value: m[2]! });
  }
  return out;
}
