/** History: the `cairn log` entries, newest first, searchable. Renders logDocument() (= `cairn log --json`). */
import type { LogEntry } from '../../views/log.ts';
import { PlanText } from '../text.tsx';

const KIND_TONE: Record<string, string> = { decision: 'info', blocker: 'bad', todo: 'warn', session: 'muted', plan: 'ok', phase: 'ok', milestone: 'ok' };

export function HistoryView({ entries, total }: { entries: LogEntry[]; total: number }) {
  return (
    <>
      <h1>History</h1>
      <p class="muted">
        {total} entr{total === 1 ? 'y' : 'ies'}, newest first: decisions, blockers, todos, sessions, plans, phases and milestones.
      </p>
      <div data-search-for="log"></div>
      {entries.length === 0 ? (
        <p>
          No history yet. <code>cairn decide</code>, <code>cairn block</code>, <code>cairn todo add</code> and <code>cairn session save</code> record it.
        </p>
      ) : null}
      <ol id="log" class="log">
        {entries.map((e) => (
          <li>
            <div class="log-head">
              <span class={`badge ${KIND_TONE[e.kind] ?? 'muted'}`}>
                {e.kind} {e.action}
              </span>
              {e.tag ? <span class="tag">{e.tag}</span> : null}
              <time class="muted" {...(e.date ? { datetime: e.date } : {})}>
                {e.date ? e.date.replace('T', ' ').replace(/:\d\d(?:\.\d+)?Z$/, 'Z') : 'date unknown'}
              </time>
            </div>
            <div class="long">
              <PlanText text={e.text} />
            </div>
            {e.detail ? (
              <div class="muted long">
                <PlanText text={e.detail} />
              </div>
            ) : null}
            {e.group ? <div class="muted">{e.group}</div> : null}
            {e.file ? (
              <div class="muted">
                <code class="loc">
                  {e.file}
                  {e.line ? `:${e.line}` : ''}
                </code>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
