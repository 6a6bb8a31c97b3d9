/** Velocity: per phase, the trend, and the plans' cycle times. Renders statusDocument()'s velocity. */
import type { Velocity } from '../../derive/types.ts';
import { PlanText } from '../text.tsx';
import { minutes } from './parts.tsx';

export interface CycleTime {
  planId: string;
  phase: string;
  minutes: number;
  /** Completion time (epoch ms), null when unknown: such plans are plotted in completion order. */
  at: number | null;
}

export function VelocityView({ v, cycle }: { v: Velocity | null; cycle: CycleTime[] }) {
  if (!v) {
    return (
      <>
        <h1>Velocity</h1>
        <p class="muted">No completed plan with a duration yet: velocity appears once a plan's SUMMARY records one (or `cairn plan done` measures it).</p>
      </>
    );
  }
  const dated = cycle.length > 0 && cycle.every((c) => c.at !== null);
  return (
    <>
      <h1>Velocity</h1>
      <section class="hero" aria-label="Velocity figures">
        <div class="stat">
          <span class="label">Average</span>
          <span class="value">{minutes(v.averageMinutes)}</span>
          <span class="sub">per plan with a known duration</span>
        </div>
        <div class="stat">
          <span class="label">Completed</span>
          <span class="value">{v.plansCompleted}</span>
          <span class="sub">plans · {minutes(v.totalMinutes)} in total</span>
        </div>
        <div class="stat">
          <span class="label">Trend</span>
          <span class="value">{v.trend}</span>
          <span class="sub">last five plans against the five before</span>
        </div>
      </section>
      <section class="panel" aria-labelledby="h-byphase">
        <h2 id="h-byphase">Average minutes per plan, by phase</h2>
        <figure class="chart" data-chart="bars" data-for="t-byphase" aria-hidden="true"></figure>
        <div class="scroll" tabindex={0} role="region" aria-label="Velocity by phase (table)">
          <table id="t-byphase">
            <caption class="sr-only">Velocity by phase</caption>
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">Plans</th>
                <th scope="col">Total</th>
                <th scope="col">Average</th>
              </tr>
            </thead>
            <tbody>
              {v.byPhase.map((r) => (
                <tr data-label={r.phase} data-y={r.averageMinutes ?? ''}>
                  <th scope="row">
                    {r.phase}
                    {r.name ? (
                      <>
                        {' '}
                        <PlanText text={r.name} />
                      </>
                    ) : null}
                  </th>
                  <td>{r.plans}</td>
                  <td>{minutes(r.totalMinutes)}</td>
                  <td>{minutes(r.averageMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="panel" aria-labelledby="h-cycle">
        <h2 id="h-cycle">Cycle time per plan</h2>
        {cycle.length === 0 ? <p class="muted">No plan with a measured duration.</p> : null}
        <figure class="chart" data-chart="scatter" data-x-kind={dated ? 'time' : 'index'} data-for="t-cycle" aria-hidden="true"></figure>
        <details>
          <summary>Table of the {cycle.length} plans</summary>
        <div class="scroll" tabindex={0} role="region" aria-label="Cycle times (table)">
          <table id="t-cycle">
            <caption class="sr-only">Minutes per completed plan, in completion order</caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Phase</th>
                <th scope="col">Completed</th>
                <th scope="col">Minutes</th>
              </tr>
            </thead>
            <tbody>
              {cycle.map((c, i) => (
                <tr data-x={dated ? c.at! / 1000 : i + 1} data-y={c.minutes} data-label={c.planId}>
                  <th scope="row">{c.planId}</th>
                  <td>{c.phase}</td>
                  <td>{c.at === null ? '—' : new Date(c.at).toISOString().slice(0, 16).replace('T', ' ')}</td>
                  <td>{c.minutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        </details>
      </section>
    </>
  );
}
