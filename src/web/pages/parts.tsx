/** Small pieces shared by the views. Each shows a value derive() computed; none computes one. */
import type { Diagnostic } from '../../model/diagnostic.ts';
import { PlanText } from '../text.tsx';

export function Progress({ percent, estimated, label }: { percent: number | null; estimated: boolean; label: string }) {
  const text = percent === null ? 'no plans counted' : `${percent}%${estimated ? ' (estimated)' : ''}`;
  return (
    <span class="progress">
      <progress max={100} value={percent ?? 0} aria-label={`${label}: ${text}`}></progress>
      <span class="pct">{text}</span>
    </span>
  );
}

const STATUS_TONE: Record<string, string> = {
  'in progress': 'info',
  'ready to execute': 'info',
  planning: 'info',
  'phase complete': 'ok',
  'milestone complete': 'ok',
  blocked: 'bad',
  paused: 'warn',
  'not started': 'muted',
};

export function StatusBadge({ status }: { status: string | null }) {
  if (!status) return null;
  return <span class={`badge ${STATUS_TONE[status] ?? 'muted'}`}>{status}</span>;
}

export function Severity({ severity }: { severity: Diagnostic['severity'] }) {
  return <span class={`badge ${severity === 'error' ? 'bad' : severity === 'warning' ? 'warn' : 'muted'}`}>{severity}</span>;
}

export function where(d: Diagnostic): string {
  return d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
}

export function DiagnosticList({ items, limit }: { items: Diagnostic[]; limit?: number }) {
  const shown = limit === undefined ? items : items.slice(0, limit);
  if (items.length === 0) return <p class="muted">No problems found in the files.</p>;
  return (
    <>
      <ul class="diags">
        {shown.map((d) => (
          <li>
            <Severity severity={d.severity} /> <code class="loc">{where(d)}</code> <PlanText text={d.message} />{' '}
            <span class="muted">({d.rule})</span>
            {d.hint ? (
              <div class="hint">
                → <PlanText text={d.hint} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {shown.length < items.length ? <p class="muted">… {items.length - shown.length} more on the Checks view.</p> : null}
    </>
  );
}

export function minutes(n: number | null): string {
  if (n === null) return '—';
  if (n >= 60) {
    const h = Math.floor(n / 60);
    const m = Math.round(n - h * 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${n} min`;
}
