/**
 * `phase insert <after> "<name>"`: urgent work between two phases, numbered as the next decimal of
 * `<after>` (2 → 2.1, then 2.2) and placed after the last existing `2.x` entry in every list, so a
 * second insert lands below the first (GSD put the newest above the older ones). Marked INSERTED.
 */
import type { RoadmapPhase } from '../formats/roadmap/types.ts';
import type { Context } from './run.ts';
import type { Change } from './change.ts';
import { requireKnownPhase } from './input.ts';
import { milestoneOf } from './roadmap-edit.ts';
import { createPhase, knownPhaseIds, nextDecimalPhase, requireDependsOn, requireGoal, requirePhaseName, slugFor } from './phase-add.ts';

export interface PhaseInsertInput {
  after: string | undefined;
  name: string | undefined;
  slug?: string | undefined;
  goal?: string | undefined;
  dependsOn?: string | undefined;
}

export function phaseInsert(ctx: Context, input: PhaseInsertInput): Change {
  const { ws } = ctx;
  const known = knownPhaseIds(ws);
  const after = requireKnownPhase(input.after, known, 'cairn phase insert 2 "Hotfix auth"');
  const name = requirePhaseName(input.name, `cairn phase insert ${after} "Hotfix auth"`);
  const slug = slugFor(name, input.slug);
  const goal = requireGoal(input.goal);
  const dependsOn = input.dependsOn !== undefined ? requireDependsOn(input.dependsOn, known) : [after];
  const id = nextDecimalPhase(ws, after);

  const record = ws.roadmap?.record ?? null;
  const afterPhase = record?.phases.find((p) => p.key === p.id && p.id === after) ?? null;
  const group = afterPhase?.milestone ?? null;
  const milestone = record ? milestoneOf(record, group) : null;
  // The new phase joins its parent's milestone; anchors are the parent's neighbours there.
  const neighbours = (p: RoadmapPhase) => (p.milestone ?? null) === group;
  return createPhase(ctx, { id, name, slug, goal, dependsOn, inserted: true, milestone, neighbours, command: 'phase insert' });
}
