/**
 * The phase dependency DAG, laid out on the server with dagre and sent as SVG: no layout code in
 * the browser, and it prints and scales like text. The edges and states come from derive(); only
 * positions are computed here.
 */
import dagre from '@dagrejs/dagre';

export interface DagNode {
  id: string;
  label: string;
  /** CSS class: done, ready, waiting, blocked, cycle. */
  state: string;
  critical: boolean;
}

export interface DagEdge {
  from: string;
  to: string;
  critical: boolean;
}

/** Beyond this many phases the drawing would be unreadable; the table twin still lists them all. */
export const MAX_DAG_NODES = 300;
const NODE_W = 168;
const NODE_H = 40;

function clipLabel(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function DagSvg({ nodes, edges, title }: { nodes: DagNode[]; edges: DagEdge[]; title: string }) {
  if (nodes.length === 0) return <p class="muted">No phases to draw.</p>;
  if (nodes.length > MAX_DAG_NODES) return <p class="muted">{nodes.length} phases: too many to draw; the table below lists them all.</p>;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(nodes.map((n) => n.id));
  for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  for (const e of drawn) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const graph = g.graph();
  const width = Math.ceil(graph.width ?? NODE_W);
  const height = Math.ceil(graph.height ?? NODE_H);
  return (
    <svg class="dag" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="dag-title">
      <title id="dag-title">{title}</title>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
        </marker>
      </defs>
      {drawn.map((e) => {
        const pts: { x: number; y: number }[] = g.edge(e.from, e.to)?.points ?? [];
        const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
        return <path d={d} class={`edge${e.critical ? ' critical' : ''}`} marker-end="url(#arrow)" />;
      })}
      {nodes.map((n) => {
        const p = g.node(n.id);
        const x = p.x - NODE_W / 2;
        const y = p.y - NODE_H / 2;
        return (
          <g class={`node ${n.state}${n.critical ? ' critical' : ''}`}>
            <title>{`Phase ${n.label} — ${n.state}${n.critical ? ', on the critical path' : ''}`}</title>
            <rect x={x.toFixed(1)} y={y.toFixed(1)} width={NODE_W} height={NODE_H} rx="7" />
            <text x={(x + 10).toFixed(1)} y={(p.y + 5).toFixed(1)}>
              {clipLabel(n.label, 24)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
