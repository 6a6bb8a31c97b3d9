/** Checks: every diagnostic grouped by rule, with file:line. Renders checkDocument() (= `cairn check --json`). */
import type { Diagnostic } from '../../model/diagnostic.ts';
import { PlanText } from '../text.tsx';
import { Severity, where } from './parts.tsx';

export function ChecksView({ diagnostics, counts }: { diagnostics: Diagnostic[]; counts: Record<Diagnostic['severity'], number> }) {
  const byRule = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byRule.set(d.rule, [...(byRule.get(d.rule) ?? []), d]);
  return (
    <>
      <h1>Checks</h1>
      <p class="summary">
        <span class={`badge ${counts.error ? 'bad' : 'ok'}`}>{counts.error} error(s)</span> <span class="badge warn">{counts.warning} warning(s)</span>{' '}
        <span class="badge muted">{counts.info} note(s)</span>
        {diagnostics.some((d) => d.rule === 'state-drift') ? (
          <>
            {' '}
            Fix drift with <code>cairn sync</code> (<code>cairn sync --dry-run</code> shows the diff first).
          </>
        ) : null}
      </p>
      {diagnostics.length === 0 ? <p>No problems found in the files.</p> : null}
      {[...byRule.entries()].map(([rule, items]) => (
        <section class="panel" aria-label={`Rule ${rule}`}>
          <h2>
            <code>{rule}</code> <span class="count">{items.length}</span>
          </h2>
          <ul class="diags">
            {items.map((d) => (
              <li>
                <Severity severity={d.severity} /> <code class="loc">{where(d)}</code> <PlanText text={d.message} />
                {d.hint ? (
                  <div class="hint">
                    → <PlanText text={d.hint} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
