/** The portfolio: every project at a glance. Renders portfolioDocument() (= `cairn status --all --json`). */
import type { PortfolioEntry } from '../../views/portfolio.ts';
import { PlanText } from '../text.tsx';
import { Progress, StatusBadge } from './parts.tsx';

export function PortfolioView({ projects }: { projects: PortfolioEntry[] }) {
  return (
    <>
      <h1>Projects</h1>
      {projects.length === 0 ? (
        <p>
          No project here and none registered. Register one with <code>cairn projects add &lt;dir&gt;</code>, or start{' '}
          <code>cairn serve &lt;dir…&gt;</code>.
        </p>
      ) : null}
      <ul class="cards" aria-label="Projects">
        {projects.map((p) => (
          <li class={`card${p.stale ? ' stale' : ''}`}>
            {p.error !== null || !p.progress ? (
              <>
                <h2>{p.root}</h2>
                <p class="bad-text">Cannot be read: {p.error}</p>
              </>
            ) : (
              <>
                <h2>
                  <a href={`/p/${p.id}`}>{p.name ?? p.root}</a>
                </h2>
                <p class="meta">
                  {p.scope?.milestone ? (
                    <span>
                      {p.scope.milestone}
                      {p.scope.name ? ` ${p.scope.name}` : ''}
                    </span>
                  ) : null}
                  <StatusBadge status={p.status} />
                  {p.stale ? (
                    <span class="badge warn" title="STATE.md or the ROADMAP progress is behind the files: run cairn sync">
                      stale
                    </span>
                  ) : null}
                </p>
                <Progress percent={p.progress.percent} estimated={p.progress.estimated} label={`${p.name ?? 'project'} progress`} />
                <dl class="facts">
                  <div>
                    <dt>Plans</dt>
                    <dd>
                      {p.progress.plans.done}/{p.progress.plans.total}
                    </dd>
                  </div>
                  <div>
                    <dt>Phase</dt>
                    <dd>
                      {p.phase?.id ?? '—'}
                      {p.phase?.name ? (
                        <>
                          {' '}
                          <PlanText text={p.phase.name} />
                        </>
                      ) : null}
                    </dd>
                  </div>
                  <div>
                    <dt>Open blockers</dt>
                    <dd class={p.blockers && p.blockers.open ? 'bad-text' : ''}>{p.blockers?.open ?? 0}</dd>
                  </div>
                  <div>
                    <dt>Forecast</dt>
                    <dd class="forecast-range">
                      {p.forecast?.completion
                        ? `${p.forecast.completion.p50} – ${p.forecast.completion.p85}`
                        : p.forecast?.status === 'done'
                          ? 'done'
                          : 'not enough data'}
                    </dd>
                  </div>
                  <div>
                    <dt>Last activity</dt>
                    <dd>
                      <PlanText text={p.lastActivity ?? '—'} />
                    </dd>
                  </div>
                </dl>
                {p.next ? (
                  <p class="next">
                    <span class="muted">Next:</span> <PlanText text={p.next} />
                  </p>
                ) : null}
                <p class="path muted">{p.root}</p>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
