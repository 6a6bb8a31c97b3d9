/**
 * Burn-up: plans done per day against the scope line, and the forecast's P50–P85 completion window.
 * Renders burnupDocument() (= `cairn burnup --json`) and the forecast of `cairn forecast --json`.
 */
import type { Burnup } from '../../derive/burnup.ts';
import type { Forecast } from '../../derive/forecast.ts';
import { ForecastText } from './project.tsx';

const epoch = (date: string) => Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) / 1000;

export function BurnupView({ series, forecast }: { series: Burnup; forecast: Forecast }) {
  const band = forecast.completion;
  return (
    <>
      <h1>Burn-up</h1>
      <section class="panel" aria-labelledby="h-burnup">
        <h2 id="h-burnup">Plans done and plans in scope, per day</h2>
        <ForecastText f={forecast} />
        {series.points.length === 0 ? <p class="muted">No dated completion yet: the burn-up starts with the first SUMMARY or ledger event that has a date.</p> : null}
        <figure
          class="chart"
          data-chart="burnup"
          data-x-kind="time"
          data-for="t-burnup"
          {...(band ? { 'data-p50': epoch(band.p50), 'data-p85': epoch(band.p85) } : {})}
          aria-hidden="true"
        ></figure>
        <p class="muted legend">
          <span>Solid: plans done · dashed: scope</span>
          {band ? <span>Shaded: forecast window, P50 {band.p50} to P85 {band.p85}</span> : null}
          <span>Sources: {[series.sources.git ? 'git history' : null, series.sources.ledger ? 'ledger' : null].filter(Boolean).join(' and ') || 'files'}</span>
        </p>
        <details>
          <summary>Table of the {series.points.length} days</summary>
          <div class="scroll" tabindex={0} role="region" aria-label="Burn-up (table)">
            <table id="t-burnup">
              <caption class="sr-only">Plans done and plans in scope per day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Done</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {series.points.map((p) => (
                  <tr data-x={epoch(p.date)} data-y={p.done} data-y2={p.scope}>
                    <th scope="row">{p.date}</th>
                    <td>{p.done}</td>
                    <td>
                      {p.scope}
                      {p.roadmapChanged ? ' (roadmap changed)' : ''}
                    </td>
                    <td>{p.source === p.scopeSource ? p.source : `${p.source}; scope: ${p.scopeSource}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
        {series.milestones.length ? (
          <>
            <h3>Milestones</h3>
            <ul>
              {series.milestones.map((m) => (
                <li>
                  {m.milestone} {m.event} {m.date}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
