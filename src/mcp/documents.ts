/**
 * Documents by id, never by path: `state`, `roadmap`, `project`, `requirements`, `milestones`,
 * `phase:<id>`, `plan:<id>`, `summary:<id>`. An id resolves only to a file the workspace already
 * read from inside `.planning/`, so no input can name a file elsewhere.
 */
import type { Snapshot } from './project.ts';
import type { Parsed } from '../workspace/types.ts';
import { planKey } from '../model/ids.ts';
import { UsageError } from '../model/errors.ts';

export interface Document {
  id: string;
  /** Project-relative path of the file (shown, never taken as input). */
  path: string | null;
  text: string;
}

const PLAN_ID = /^\d+(?:\.\d+)*-\d+[A-Za-z0-9-]*$/;

function fromParsed(id: string, p: Parsed<unknown> | null, what: string): Document {
  if (!p) throw new UsageError(`this project has no ${what}`, 'cairn_status shows what the project has; cairn_list kind "phases" lists phase and plan ids');
  return { id, path: p.path, text: p.doc.text };
}

function canonicalPhase(raw: string): string {
  return raw.replace(/^0+(?=\d)/, '').replace(/\.0+(?=\d)/g, '.');
}

export function resolveDocument(snap: Snapshot, rawId: string): Document {
  const id = rawId.trim();
  const { ws, state } = snap;
  switch (id) {
    case 'state':
      return fromParsed(id, ws.state, '.planning/STATE.md');
    case 'roadmap':
      return fromParsed(id, ws.roadmap, '.planning/ROADMAP.md');
    case 'project':
      return fromParsed(id, ws.project, '.planning/PROJECT.md');
    case 'requirements':
      return fromParsed(id, ws.requirements, '.planning/REQUIREMENTS.md');
    case 'milestones':
      return fromParsed(id, ws.milestonesFile, '.planning/MILESTONES.md');
  }
  const [kind, ...rest] = id.split(':');
  const ref = rest.join(':').trim();
  if (kind === 'phase' && ref) {
    const pid = canonicalPhase(ref);
    const phase = state.phases.find((p) => p.id === pid);
    if (!phase) throw new UsageError(`unknown phase ${ref}`, `known phases: ${state.phases.map((p) => p.id).slice(0, 20).join(', ') || 'none'}`);
    const dir = ws.phases.find((d) => d.id === pid && d.archived === null) ?? ws.phases.find((d) => d.id === pid);
    const files = dir ? [...dir.plans.flatMap((p) => [p.plan?.path, p.summary?.path]).filter((x): x is string => !!x), ...dir.otherFiles] : [];
    const text = JSON.stringify({ ...phase, files }, null, 1);
    return { id: `phase:${pid}`, path: phase.dir, text };
  }
  if ((kind === 'plan' || kind === 'summary') && ref) {
    const planId = ref.replace(/-(?:PLAN|SUMMARY)(?:\.md)?$/i, '');
    if (!PLAN_ID.test(planId)) throw new UsageError(`"${ref}" is not a plan id`, 'a plan id looks like 02-01 (phase-plan); cairn_list kind "plans" lists them');
    const key = planKey(planId);
    for (const d of ws.phases) {
      const entry = d.plans.find((p) => p.key === key);
      if (!entry) continue;
      const file = kind === 'plan' ? entry.plan : entry.summary;
      if (!file) throw new UsageError(`plan ${entry.id} has no ${kind === 'plan' ? 'PLAN' : 'SUMMARY'} file yet`, kind === 'summary' ? 'the SUMMARY is written when the plan is executed' : 'cairn_list kind "plans" lists the plans');
      return { id: `${kind}:${entry.id}`, path: file.path, text: file.doc.text };
    }
    throw new UsageError(`unknown plan ${planId}`, 'cairn_list kind "plans" lists the plans');
  }
  throw new UsageError(`unknown document id "${rawId}"`, 'ids: state, roadmap, project, requirements, milestones, phase:<id>, plan:<id>, summary:<id>');
}

/** The part of a Markdown document under the heading whose title matches `section` (case-insensitive). */
export function sectionOf(snap: Snapshot, doc: Document, section: string): string {
  const want = section.trim().replace(/^#+\s*/, '').toLowerCase();
  const parsed = [snap.ws.state, snap.ws.roadmap, snap.ws.project, snap.ws.requirements, snap.ws.milestonesFile].find((p) => p?.path === doc.path)
    ?? snap.ws.phases.flatMap((d) => d.plans.flatMap((p) => [p.plan, p.summary])).find((p) => p?.path === doc.path);
  if (!parsed) throw new UsageError(`${doc.id} has no sections`, 'read it without "section"');
  const all = parsed.doc.allSections();
  const hit = all.find((s) => s.title.trim().toLowerCase() === want) ?? all.find((s) => s.title.toLowerCase().includes(want));
  if (!hit) throw new UsageError(`no section "${section}" in ${doc.id}`, `sections: ${all.map((s) => s.title).slice(0, 15).join(' · ')}`);
  return parsed.doc.text.slice(hit.span.start, hit.span.end);
}
