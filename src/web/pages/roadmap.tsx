/** The roadmap: milestones → phases → plans with their state, and the dependency DAG. Renders statusDocument(). */
import type { PhaseState, ProjectState } from '../../derive/types.ts';
import type { WaitingItem } from '../../derive/schedule.ts';
import { DagSvg, type DagEdge, type DagNode } from '../dag.tsx';
import { PlanText } from '../text.tsx';
import { minutes } from './parts.tsx';

/** The state of a phase as the schedule gives it. */
function phaseState(p: PhaseState, s: ProjectState, waiting: Map<string, WaitingItem>): { key: string; text: string } {
  if (p.complete) return { key: 'done', text: 'complete' };
  const w = waiting.get(p.id);
  if (w) {
    if (w.reason === 'blocker') return { key: 'blocked', text: `blocked: ${w.waitingOn.join('; ')}` };
    if (w.reason === 'cycle') return { key: 'cycle', text: `in a dependency cycle with ${w.waitingOn.join(', ')}` };
    return { key: 'waiting', text: `waits for ${w.waitingOn.map((x) => `phase ${x}`).join(', ')}` };
  }
  if (s.schedule.readyPhases.includes(p.id)) {
    return p.id === s.schedule.currentPhase ? { key: 'current', text: 'in progress' } : { key: 'ready', text: 'can start' };
  }
  return { key: 'muted', text: 'outside the schedule' };
}

function groups(s: ProjectState): { id: string | null; title: string; status: string | null; phases: PhaseState[] }[] {
  const out = new Map<string | null, { id: string | null; title: string; status: string | null; phases: PhaseState[] }>();
  for (const m of s.milestones) out.set(m.id, { id: m.id, title: `${m.id}${m.name ? ` ${m.name}` : ''}`, status: m.status, phases: [] });
  for (const p of s.phases) {
    // Phases name their milestone by id or by name, as the roadmap writes it.
    const m = s.milestones.find((x) => x.id === p.milestone || (x.name !== null && x.name === p.milestone));
    const key = m ? m.id : p.milestone;
    if (!out.has(key)) out.set(key, { id: key, title: key ?? 'Phases', status: null, phases: [] });
    out.get(key)!.phases.push(p);
  }
  return [...out.values()].filter((g) => g.phases.length > 0 || g.status !== null);
}

export function RoadmapView({ s }: { s: ProjectState }) {
  const waiting = new Map(s.schedule.waiting.map((w) => [w.id, w]));
  const path = s.criticalPath.phases.path;
  const onPath = new Set(path);
  const slack = new Map(s.criticalPath.phases.nodes.map((n) => [n.id, n]));
  // The graph derive() resolved: the phases in scope and their dependencies.
  const byId = new Map(s.phases.map((p) => [p.id, p]));
  const scoped = s.phaseGraph.flatMap((g) => (byId.has(g.id) ? [byId.get(g.id)!] : []));
  const nodes: DagNode[] = scoped.map((p) => ({
    id: p.id,
    label: `${p.id}${p.name ? ` ${p.name}` : ''}`,
    state: phaseState(p, s, waiting).key,
    critical: onPath.has(p.id),
  }));

  const pathEdges = new Set(path.slice(1).map((id, i) => `${path[i]}→${id}`));
  const edges: DagEdge[] = s.phaseGraph.flatMap((g) => g.deps.map((d) => ({ from: d, to: g.id, critical: pathEdges.has(`${d}→${g.id}`) })));
  const unit = s.criticalPath.unit;
  const amount = (n: number) => (unit === 'minutes' ? minutes(n) : `${n} plan(s)`);
  return (
    <>
      <h1>Roadmap</h1>
      <section class="panel" aria-labelledby="h-dag">
        <h2 id="h-dag">
          Dependencies{s.scope.milestone ? ` · ${s.scope.milestone}` : ''}
        </h2>
        <p class="muted legend">
          <span class="key done">complete</span> <span class="key current">in progress</span> <span class="key ready">can start</span>{' '}
          <span class="key waiting">waiting</span> <span class="key blocked">blocked</span>
          {path.length ? <span class="key critical">critical path</span> : null}
        </p>
        {path.length ? (
          <p>
            Critical path: {path.map((id) => `phase ${id}`).join(' → ')} · {amount(s.criticalPath.phases.minutes)} of work left
            {s.criticalPath.phases.estimated.length ? ` (estimated for ${s.criticalPath.phases.estimated.join(', ')})` : ''}.
          </p>
        ) : null}
        <div class="scroll" tabindex={0} role="region" aria-label="Dependency graph (scrolls sideways)">
          <DagSvg nodes={nodes} edges={edges} title={`Phase dependency graph, ${nodes.length} phases`} />
        </div>
      </section>
      {groups(s).map((g) => (
        <section class="panel" aria-label={`Milestone ${g.title}`}>
          <h2>
            <PlanText text={g.title} /> {g.status ? <span class={`badge ${g.status === 'shipped' ? 'ok' : g.status === 'active' ? 'info' : 'muted'}`}>{g.status}</span> : null}
          </h2>
          {g.phases.length === 0 ? (
            <p class="muted">{g.status === 'shipped' ? 'Shipped; its phases are archived.' : 'No phases yet.'}</p>
          ) : (
          <div class="scroll" tabindex={0} role="region" aria-label={`Phases of ${g.title}`}>
            <table>
              <caption class="sr-only">Phases of {g.title}: state, plans done, dependencies</caption>
              <thead>
                <tr>
                  <th scope="col">Phase</th>
                  <th scope="col">State</th>
                  <th scope="col">Plans</th>
                  <th scope="col">Depends on</th>
                  <th scope="col">Slack</th>
                  <th scope="col">Plans left</th>
                </tr>
              </thead>
              <tbody>
                {g.phases.map((p) => {
                  const st = phaseState(p, s, waiting);
                  return (
                    <tr class={onPath.has(p.id) ? 'critical' : ''}>
                      <th scope="row">
                        {p.id}
                        {p.name ? (
                          <>
                            {' '}
                            <PlanText text={p.name} />
                          </>
                        ) : null}
                      </th>
                      <td>
                        <span class={`badge state-${st.key}`}>{st.text}</span>
                      </td>
                      <td>
                        {p.plans.done}/{p.plans.total}
                        {p.estimated ? ' (not planned yet)' : ''}
                      </td>
                      <td>{p.dependsOn.length ? p.dependsOn.join(', ') : '—'}</td>
                      <td>{slack.has(p.id) ? (onPath.has(p.id) ? 'critical' : amount(slack.get(p.id)!.slackMinutes)) : '—'}</td>
                      <td class="plans">
                        {p.pendingPlans.length === 0 ? '—' : p.pendingPlans.map((f) => f.slice(f.lastIndexOf('/') + 1)).join(', ')}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          )}
        </section>
      ))}
    </>
  );
}
