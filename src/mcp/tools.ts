/**
 * The eight tools. Reads (status, list, read) load nothing but a fresh snapshot and never write;
 * writes go through the same operations and the one applier (`runOperation`) as the CLI, under the
 * same lock. Inputs take ids, never paths. Every answer carries `stateHash` and fits its budget.
 */
import * as v from 'valibot';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { ProjectSource, Snapshot } from './project.ts';
import { BUDGET, decodeCursor, encodeCursor, errorResult, pagedText, result, tokens } from './respond.ts';
import { neutraliseDeep } from './envelope.ts';
import { resolveDocument, sectionOf } from './documents.ts';
import { renderBrief } from '../views/brief.ts';
import { historyOf } from '../derive/history.ts';
import { resumeReport } from '../ops/resume.ts';
import { runOperation, type Context } from '../ops/run.ts';
import type { Change } from '../ops/change.ts';
import { planStart } from '../ops/plan-start.ts';
import { planDone } from '../ops/plan-done.ts';
import { phaseAdd } from '../ops/phase-add.ts';
import { phaseInsert } from '../ops/phase-insert.ts';
import { phaseComplete } from '../ops/phase-complete.ts';
import { milestoneNew, requireMilestoneName, requireVersion } from '../ops/milestone-new.ts';
import { milestoneComplete } from '../ops/milestone-complete.ts';
import { decide } from '../ops/decide.ts';
import { todoAdd, todoDone } from '../ops/todo.ts';
import { block, unblock } from '../ops/block.ts';
import { sessionSave } from '../ops/session.ts';
import { findPlan } from '../ops/plan-lookup.ts';
import { adopt } from '../ops/adopt.ts';
import { UsageError } from '../model/errors.ts';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const s = <T extends v.GenericSchema>(schema: T) => toStandardJsonSchema(schema);
const opt = <T extends v.GenericSchema>(schema: T, description: string) => v.optional(v.pipe(schema, v.description(description)));

const SECTIONS = ['position', 'ready', 'velocity', 'blockers', 'handoff', 'diagnostics'] as const;
const KINDS = ['phases', 'plans', 'decisions', 'todos', 'blockers', 'milestones', 'diagnostics'] as const;

type Handler<A> = (args: A) => Promise<CallToolResult>;

export function registerTools(server: McpServer, source: ProjectSource): void {
  const guard = <A>(fn: Handler<A>): Handler<A> => async (args) => {
    try {
      return await fn(args);
    } catch (e) {
      return errorResult(e, source.root);
    }
  };

  server.registerTool(
    'cairn_status',
    {
      description: 'Where the project stands. brief: position, progress, next action and why, open blockers (≤200 tokens). full: chosen sections.',
      inputSchema: s(v.object({ detail: opt(v.picklist(['brief', 'full']), 'default brief'), sections: opt(v.array(v.picklist(SECTIONS)), 'for full; default all') })),
      annotations: READ,
    },
    guard(async ({ detail, sections }: { detail?: 'brief' | 'full'; sections?: (typeof SECTIONS)[number][] }) => {
      const snap = await source.get();
      if ((detail ?? 'brief') === 'brief') {
        const meta = { stateHash: snap.stateHash };
        const base = tokens(result('', meta));
        return result(renderBrief(snap.state, snap.diagnostics, (BUDGET.brief - base) * 4 - 8), meta);
      }
      return pagedText(JSON.stringify(fullStatus(snap, sections ?? [...SECTIONS])), 0, BUDGET.status, { stateHash: snap.stateHash });
    }),
  );

  server.registerTool(
    'cairn_list',
    {
      description: 'One kind of item, paged (≤2,000 tokens a page; pass nextCursor back for more).',
      inputSchema: s(v.object({ kind: v.picklist(KINDS), cursor: opt(v.string(), 'nextCursor of the previous page') })),
      annotations: READ,
    },
    guard(async ({ kind, cursor }: { kind: (typeof KINDS)[number]; cursor?: string }) => {
      const snap = await source.get();
      const items = listItems(snap, kind);
      const start = decodeCursor(cursor);
      const page: unknown[] = [];
      let next: number | null = null;
      for (let i = start; i < items.length; i++) {
        page.push(items[i]);
        const probe = result(JSON.stringify(page), { stateHash: snap.stateHash, total: items.length, truncated: true, nextCursor: encodeCursor(i + 1) });
        if (tokens(probe) > BUDGET.list) {
          page.pop();
          next = i;
          break;
        }
      }
      if (next === start && start < items.length) throw new UsageError(`item ${start} of ${kind} is larger than a page`, 'read it with cairn_read');
      const meta = next === null ? { stateHash: snap.stateHash, total: items.length, truncated: false } : { stateHash: snap.stateHash, total: items.length, truncated: true, nextCursor: encodeCursor(next) };
      return result(JSON.stringify(page), meta);
    }),
  );

  server.registerTool(
    'cairn_read',
    {
      description: 'One document by id (state, roadmap, project, requirements, milestones, phase:<id>, plan:<id>, summary:<id>), or one section by heading; paged.',
      inputSchema: s(
        v.object({
          id: v.string(),
          section: opt(v.string(), 'heading title'),
          cursor: opt(v.string(), 'nextCursor of the previous page'),
          maxTokens: opt(v.pipe(v.number(), v.integer(), v.minValue(200), v.maxValue(BUDGET.readMax)), 'default 4000'),
        }),
      ),
      annotations: READ,
    },
    guard(async ({ id, section, cursor, maxTokens }: { id: string; section?: string; cursor?: string; maxTokens?: number }) => {
      const snap = await source.get();
      const doc = resolveDocument(snap, id);
      const text = section ? sectionOf(snap, doc, section) : doc.text;
      return pagedText(text, decodeCursor(cursor), maxTokens ?? BUDGET.readDefault, { stateHash: snap.stateHash, id: doc.id, path: doc.path });
    }),
  );

  const write = (name: string, decideFn: (ctx: Context) => Change | Promise<Change>, dryRun = false) =>
    runOperation({ dir: source.root, command: `cairn mcp ${name}`, dryRun, log: (l) => process.stderr.write(`${l}\n`) }, decideFn).then(async (outcome) => {
      const snap = await source.get();
      const changed = outcome.files.map((f) => f.path);
      const body = [...outcome.change.summary, ...(dryRun ? [outcome.diff || 'nothing would change'] : [])].join('\n');
      const meta = { stateHash: snap.stateHash, changed, result: neutraliseDeep(outcome.change.result) };
      const out = result(body, meta);
      if (tokens(out) <= BUDGET.write) return out;
      return pagedText(body, 0, BUDGET.write, { stateHash: snap.stateHash, changed: changed.slice(0, 8) });
    });

  server.registerTool(
    'cairn_plan',
    {
      description: 'Record a plan starting (start) or finished (done: its SUMMARY must be filled in).',
      inputSchema: s(v.object({ action: v.picklist(['start', 'done']), plan: v.pipe(v.string(), v.description('plan id, e.g. 02-01')) })),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guard(({ action, plan }: { action: 'start' | 'done'; plan: string }) =>
      write(`cairn_plan ${action}`, (ctx) => (action === 'start' ? planStart(ctx, { plan }) : planDone(ctx, { plan }))),
    ),
  );

  server.registerTool(
    'cairn_roadmap',
    {
      description: 'Change the roadmap: phase_add, phase_insert (after), phase_complete (id), milestone_new, milestone_complete (version).',
      inputSchema: s(
        v.object({
          action: v.picklist(['phase_add', 'phase_insert', 'phase_complete', 'milestone_new', 'milestone_complete']),
          name: opt(v.string(), 'phase or milestone name'),
          after: opt(v.string(), 'phase_insert: phase id'),
          id: opt(v.string(), 'phase_complete: phase id'),
          goal: opt(v.string(), 'phase goal'),
          dependsOn: opt(v.string(), 'phase ids, comma-separated'),
          version: opt(v.string(), 'milestone, e.g. v1.1'),
        }),
      ),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guard((a: { action: string; name?: string; after?: string; id?: string; goal?: string; dependsOn?: string; version?: string }) =>
      write(`cairn_roadmap ${a.action}`, (ctx) => {
        switch (a.action) {
          case 'phase_add':
            return phaseAdd(ctx, { name: a.name, goal: a.goal, dependsOn: a.dependsOn });
          case 'phase_insert':
            return phaseInsert(ctx, { after: a.after, name: a.name, goal: a.goal, dependsOn: a.dependsOn });
          case 'phase_complete':
            return phaseComplete(ctx, { id: a.id });
          case 'milestone_new':
            return milestoneNew(ctx, { version: requireVersion(a.version, 'cairn_roadmap milestone_new version "v1.1"'), name: requireMilestoneName(a.name, 'the milestone name', 'name "Search"') });
          default:
            return milestoneComplete(ctx, { version: requireVersion(a.version, 'cairn_roadmap milestone_complete version "v1.0"'), name: a.name ?? null, archivePhases: true, force: false });
        }
      }),
    ),
  );

  server.registerTool(
    'cairn_note',
    {
      description: 'Record (text) or close (ref: todo number/id, blocker number) a decision, todo or blocker.',
      inputSchema: s(
        v.object({
          kind: v.picklist(['decision', 'todo', 'blocker']),
          action: opt(v.picklist(['record', 'close']), 'default record'),
          text: opt(v.string(), 'to record'),
          tag: opt(v.string(), 'decision: plan id or word'),
          rationale: opt(v.string(), 'decision: why'),
          ref: opt(v.string(), 'to close'),
        }),
      ),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guard((a: { kind: 'decision' | 'todo' | 'blocker'; action?: 'record' | 'close'; text?: string; tag?: string; rationale?: string; ref?: string }) => {
      const close = a.action === 'close';
      if (close && a.kind === 'decision') throw new UsageError('decisions are not closed; record a new decision that supersedes it', 'cairn_note kind "decision" text "…"');
      return write(`cairn_note ${a.kind} ${close ? 'close' : 'record'}`, (ctx) => {
        if (a.kind === 'decision') return decide(ctx, { text: a.text, tag: a.tag, rationale: a.rationale });
        if (a.kind === 'todo') return close ? todoDone(ctx, { ref: a.ref }) : todoAdd(ctx, { text: a.text });
        return close ? unblock(ctx, { ref: a.ref }) : block(ctx, { text: a.text });
      });
    }),
  );

  server.registerTool(
    'cairn_handoff',
    {
      description: 'save: where this session stopped (and the plan in flight); resume: the last handoff and what the files now contradict.',
      inputSchema: s(v.object({ action: v.picklist(['save', 'resume']), stoppedAt: opt(v.string(), 'save: where you stopped'), plan: opt(v.string(), 'save: plan id in flight') })),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guard(async (a: { action: 'save' | 'resume'; stoppedAt?: string; plan?: string }) => {
      if (a.action === 'resume') {
        const snap = await source.get();
        return pagedText(JSON.stringify(resumeReport(snap.ws, snap.state)), 0, BUDGET.list, { stateHash: snap.stateHash });
      }
      return write('cairn_handoff save', (ctx) => {
        const resumeFile = a.plan ? findPlan(ctx.ws, a.plan, 'plan "02-01"').entry.plan?.path : undefined;
        return sessionSave(ctx, { stoppedAt: a.stoppedAt, plan: a.plan, resumeFile });
      });
    }),
  );

  server.registerTool(
    'cairn_sync',
    {
      description: 'Re-render STATE.md and the ROADMAP progress from the files. Default dry run (the diff); apply: true writes.',
      inputSchema: s(v.object({ apply: opt(v.boolean(), 'write the changes (default false)') })),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guard(async ({ apply }: { apply?: boolean }) => {
      const dryRun = apply !== true;
      const outcome = await runOperation({ dir: source.root, command: 'cairn mcp cairn_sync', dryRun, importHistory: false, log: (l) => process.stderr.write(`${l}\n`) }, (ctx) => adopt(ctx.ws, ctx.now));
      const snap = await source.get();
      const changed = outcome.files.map((f) => f.path);
      const refused = outcome.refused.map((r) => ({ path: r.path, reason: r.reason }));
      const body = dryRun ? outcome.diff || 'Nothing to change: the views already follow the files.' : changed.length ? `Updated ${changed.join(', ')}` : 'Nothing to change.';
      return pagedText(body, 0, dryRun ? BUDGET.list : BUDGET.write, { stateHash: snap.stateHash, dryRun, changed: changed.slice(0, 10), refused: neutraliseDeep(refused) });
    }),
  );
}

type Section = (typeof SECTIONS)[number];

function fullStatus(snap: Snapshot, sections: Section[]): Record<string, unknown> {
  const st = snap.state;
  const out: Record<string, unknown> = {};
  for (const sec of sections) {
    if (sec === 'position') out.position = { project: st.project.name, scope: st.scope, position: st.position, progress: st.progress, next: st.next };
    if (sec === 'ready') out.ready = { readyPhases: st.schedule.readyPhases, currentPhase: st.schedule.currentPhase, readyPlans: st.schedule.readyPlans, waiting: st.schedule.waiting.slice(0, 10), waitingPlans: st.schedule.waitingPlans.slice(0, 10) };
    if (sec === 'velocity') out.velocity = st.velocity && { plansCompleted: st.velocity.plansCompleted, averageMinutes: st.velocity.averageMinutes, totalMinutes: st.velocity.totalMinutes, trend: st.velocity.trend, recent: st.velocity.recent };
    if (sec === 'blockers') out.blockers = { open: st.blockers.open, resolved: st.blockers.resolved, items: st.blockers.items.slice(0, 10) };
    if (sec === 'handoff') out.handoff = st.session;
    if (sec === 'diagnostics') {
      const errors = snap.diagnostics.filter((d) => d.severity === 'error');
      out.diagnostics = { errors: errors.length, warnings: snap.diagnostics.filter((d) => d.severity === 'warning').length, first: errors.slice(0, 5).map((d) => `${d.file}:${d.line} ${d.rule}: ${d.message}`) };
    }
  }
  return out;
}

function listItems(snap: Snapshot, kind: (typeof KINDS)[number]): unknown[] {
  const st = snap.state;
  switch (kind) {
    case 'phases':
      return st.phases.map((p) => ({ id: p.id, name: p.name, plans: `${p.plans.done}/${p.plans.total}`, complete: p.complete, milestone: p.milestone, dependsOn: p.dependsOn }));
    case 'plans':
      return snap.ws.phases.flatMap((d) => d.plans.map((p) => ({ id: p.id, phase: d.id ?? d.name, done: p.summary !== null, archived: d.archived })));
    case 'decisions':
      return historyOf(snap.ws).decisions.map((d, i) => ({ n: i + 1, text: d.text, tag: d.tag, date: d.date }));
    case 'todos':
      return st.todos.items.map((text, i) => ({ n: i + 1, text }));
    case 'blockers':
      return st.blockers.items.map((text, i) => ({ n: i + 1, text }));
    case 'milestones':
      return st.milestones;
    case 'diagnostics':
      return snap.diagnostics.map((d) => ({ severity: d.severity, rule: d.rule, at: `${d.file}:${d.line}`, message: d.message, hint: d.hint }));
  }
}
