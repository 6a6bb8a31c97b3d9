/** The project view: where it stands. Renders statusDocument() (= `cairn status --json`). */
import type { ProjectState } from '../../derive/types.ts';
import type { Diagnostic } from '../../model/diagnostic.ts';
import type { Forecast } from '../../derive/forecast.ts';
import { PlanText } from '../text.tsx';
import { DiagnosticList, minutes, Progress, StatusBadge } from './parts.tsx';

type StatusDoc = ProjectState & { root: string; diagnostics: Diagnostic[]; forecast: Forecast };

function phaseName(s: StatusDoc, id: string) {
  const p = s.phases.find((x) => x.id === id);
  return (
    <>
      Phase {id}
      {p?.name ? (
        <>
          : <PlanText text={p.name} />
        </>
      ) : null}
    </>
  );
}

export function ProjectView({ s }: { s: StatusDoc }) {
  const p = s.position;
  const sc = s.schedule;
  return (
    <>
      <h1>
        <PlanText text={s.project.name ?? 'Project'} />
      </h1>
      {s.project.coreValue ? (
        <p class="lede">
          <PlanText text={s.project.coreValue} />
        </p>
      ) : null}
      <section class="hero" aria-labelledby="h-position">
        <h2 id="h-position" class="sr-only">
          Position and progress
        </h2>
        <div class="stat">
          <span class="label">Position</span>
          <span class="value">
            {p.phase ? (
              <>
                Phase {p.phase.id ?? '?'}
                {p.phase.name ? (
                  <>
                    : <PlanText text={p.phase.name} />
                  </>
                ) : null}
              </>
            ) : (
              'No current phase'
            )}
          </span>
          <span class="sub">
            {p.phase?.total ? `${p.phase.index ?? '?'} of ${p.phase.total} phases` : ''}
            {p.plan ? ` · plan ${p.plan.index} of ${p.plan.total}` : ''} <StatusBadge status={p.status} />
          </span>
        </div>
        <div class="stat">
          <span class="label">Progress{s.scope.milestone ? ` · ${s.scope.milestone}` : ''}</span>
          <Progress percent={s.progress.percent} estimated={s.progress.estimated} label="Plans done" />
          <span class="sub">
            {s.progress.plans.done}/{s.progress.plans.total} plans · {s.progress.phases.done}/{s.progress.phases.total} phases
          </span>
        </div>
        <div class="stat">
          <span class="label">Velocity</span>
          <span class="value">{s.velocity ? `${minutes(s.velocity.averageMinutes)} / plan` : '—'}</span>
          <span class="sub">{s.velocity ? `${s.velocity.plansCompleted} plans · trend ${s.velocity.trend}` : 'no completed plan with a duration yet'}</span>
        </div>
      </section>

      <section aria-labelledby="h-forecast" class="panel">
        <h2 id="h-forecast">Forecast</h2>
        <ForecastText f={s.forecast} />
      </section>

      <section aria-labelledby="h-next" class="panel">
        <h2 id="h-next">Next</h2>
        <p>
          <PlanText text={s.next.text} />
          {s.next.file ? (
            <>
              {' '}
              <code>{s.next.file}</code>
            </>
          ) : null}
        </p>
      </section>

      <div class="grid">
        <section aria-labelledby="h-ready" class="panel">
          <h2 id="h-ready">Can start now</h2>
          {sc.readyPhases.length === 0 ? <p class="muted">Nothing can start now.</p> : null}
          <ul>
            {sc.readyPhases.map((id) => (
              <li>{phaseName(s, id)}</li>
            ))}
          </ul>
          {sc.readyPlans.length ? (
            <>
              <h3>Plans of phase {sc.currentPhase}</h3>
              <ul>
                {sc.readyPlans.map((w) => (
                  <li>
                    <span class="muted">{w.wave === null ? 'No wave' : `Wave ${w.wave}`}:</span> {w.plans.join(', ')}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {sc.waiting.length ? (
            <p class="muted">
              {sc.waiting.length} phase(s) waiting — see <a href={`./roadmap`}>the roadmap</a>.
            </p>
          ) : null}
        </section>

        <section aria-labelledby="h-blockers" class="panel">
          <h2 id="h-blockers">
            Blockers <span class="count">{s.blockers.open}</span>
          </h2>
          {s.blockers.items.length === 0 ? <p class="muted">No open blocker.</p> : null}
          <ol>
            {s.blockers.items.map((b) => (
              <li class="long">
                <PlanText text={b} />
              </li>
            ))}
          </ol>
        </section>

        <section aria-labelledby="h-todos" class="panel">
          <h2 id="h-todos">
            Todos <span class="count">{s.todos.pending}</span>
          </h2>
          {s.todos.items.length === 0 ? <p class="muted">No pending todo.</p> : null}
          <ul>
            {s.todos.items.map((t) => (
              <li class="long">
                <PlanText text={t} />
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="h-decisions" class="panel">
          <h2 id="h-decisions">
            Recent decisions <span class="count">{s.decisions.total}</span>
          </h2>
          {s.decisions.recent.length === 0 ? <p class="muted">No decision recorded.</p> : null}
          <ul class="decisions">
            {[...s.decisions.recent].reverse().map((d) => (
              <li class="long">
                {d.tag ? <span class="tag">{d.tag}</span> : null} <PlanText text={d.text} />
                {d.rationale ? (
                  <div class="muted">
                    <PlanText text={d.rationale} />
                  </div>
                ) : null}
                {d.date ? <div class="muted">{d.date}</div> : null}
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="h-session" class="panel">
          <h2 id="h-session">Last handoff</h2>
          {s.session ? (
            <dl class="facts">
              <div>
                <dt>When</dt>
                <dd>{s.session.last ?? 'date unknown'}</dd>
              </div>
              <div>
                <dt>Stopped at</dt>
                <dd class="long">
                  <PlanText text={s.session.stoppedAt ?? '—'} />
                </dd>
              </div>
              <div>
                <dt>Resume</dt>
                <dd>{s.session.resumeFile ? <code>{s.session.resumeFile}</code> : '—'}</dd>
              </div>
            </dl>
          ) : (
            <p class="muted">No session recorded.</p>
          )}
        </section>

        <section aria-labelledby="h-diags" class="panel">
          <h2 id="h-diags">
            Diagnostics <span class="count">{s.diagnostics.length}</span>
          </h2>
          <DiagnosticList items={s.diagnostics.filter((d) => d.severity !== 'info')} limit={8} />
        </section>
      </div>
    </>
  );
}

export function ForecastText({ f }: { f: Forecast }) {
  if (f.status === 'done') return <p>Nothing left in scope.</p>;
  if (f.status === 'not enough data' || !f.completion) {
    return (
      <p class="muted">
        Not enough data for a range yet: {f.inputs.durations} completed plan(s) with a duration, {f.inputs.datedPlans} with a date; {f.inputs.minimumSample} needed.
      </p>
    );
  }
  const plans = f.remaining.plans;
  return (
    <p class="forecast-range">
      Done between <strong>{f.completion.p50}</strong> (P50) and <strong>{f.completion.p85}</strong> (P85) ·{' '}
      {plans && plans.p85 !== plans.p50 ? `${plans.p50}–${plans.p85} plans left (estimated)` : `${f.remaining.knownPlans} plans left`}
      {f.workHours ? ` · ${f.workHours.p50}–${f.workHours.p85} h of work` : ''}
    </p>
  );
}
