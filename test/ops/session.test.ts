/**
 * `cairn session save` and `cairn resume`: the handoff recorded and read back, and every
 * contradiction resume flags (resume file gone or outside, plan in flight completed since,
 * position moved on) on hand-made projects and on every corpus repository; resume is read-only
 * and works while another command holds the lock.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { runOperation, type Context } from '../../src/ops/run.ts';
import type { Change } from '../../src/ops/change.ts';
import { sessionSave } from '../../src/ops/session.ts';
import { resumeReport } from '../../src/ops/resume.ts';
import { planStart } from '../../src/ops/plan-start.ts';
import { planDone } from '../../src/ops/plan-done.ts';
import { UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus } from '../support/corpus.ts';
import { cairn, cairnIn, cairnInUnlessBytes, json } from './cli.ts';
import { STATE, filledSummary, ledgerLines, projectsForThisFile, treeHash } from './project.ts';

const { project } = projectsForThisFile();

const T0 = new Date('2026-03-10T09:00:00.000Z');
const later = (m: number) => new Date(T0.getTime() + m * 60_000);
async function ctxOf(dir: string, now = T0): Promise<Context> {
  const ws = await loadWorkspace(dir);
  return { root: ws.root, now, ws, state: derive(ws, now) };
}
function apply(root: string, now: Date, decide: (ctx: Context) => Change) {
  return runOperation({ dir: root, command: 'test', dryRun: false, now, log: () => {} }, decide);
}
async function report(root: string) {
  const ws = await loadWorkspace(root);
  return resumeReport(ws, derive(ws, later(60)));
}
const RESUME = '.planning/phases/02-api/.continue-here.md';

describe('session save (decision)', () => {
  it('records stopped-at, resume file and the plan in flight by default', async () => {
    const root = project({ [RESUME]: 'Pick up at task 2.\n' });
    await apply(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    const c = sessionSave(await ctxOf(root, later(5)), { stoppedAt: 'Task 2: `$1` | wiring', resumeFile: RESUME });
    expect(c.events).toEqual([expect.objectContaining({ type: 'session.saved', stoppedAt: 'Task 2: `$1` | wiring', resumeFile: RESUME, plan: '02-01' })]);
    expect(c.result).toMatchObject({ warnings: [] });
  });

  it('accepts an absolute path inside the project and warns when the file does not exist yet', async () => {
    const root = project();
    const c = sessionSave(await ctxOf(root), { resumeFile: join(root, '.planning', 'NOTES.md') });
    expect(c.events[0]).toMatchObject({ resumeFile: '.planning/NOTES.md' });
    expect(c.events[0]).not.toHaveProperty('plan');
    expect(c.result.warnings).toEqual(['the resume file .planning/NOTES.md does not exist (yet)']);
  });

  it.each([
    ['a path leaving the project', { resumeFile: '../elsewhere.md' }, /leaves the project root/],
    ['an absolute path outside', { resumeFile: '/etc/hosts' }, /leaves the project root/],
    ['the project folder itself', { resumeFile: '.' }, /is the project folder itself/],
    ['an empty resume file', { resumeFile: ' ' }, /the resume file is empty/],
    ['an empty stopped-at', { stoppedAt: '' }, /stopped-at text is empty/],
    ['an unknown plan', { plan: '02-07' }, /unknown plan 02-07/],
  ])('refuses %s', async (_name, input, message) => {
    const ctx = await ctxOf(project());
    expect(() => sessionSave(ctx, input)).toThrow(UsageError);
    expect(() => sessionSave(ctx, input)).toThrow(message);
  });
});

describe('resume (report)', () => {
  it('without any session: no handoff, the next step, nothing flagged', async () => {
    const root = project({ '.planning/STATE.md': STATE.replace(/## Session Continuity[\s\S]*$/, '') });
    const r = await report(root);
    expect(r.session).toBeNull();
    expect(r.next.text).toMatch(/Execute 01-02-PLAN\.md/);
    expect(r.contradictions).toEqual([]);
  });

  it('a fresh handoff contradicts nothing', async () => {
    const root = project({ [RESUME]: 'x\n' });
    await apply(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    await apply(root, later(5), (ctx) => sessionSave(ctx, { stoppedAt: 'Task 2', resumeFile: RESUME }));
    const r = await report(root);
    expect(r.session).toEqual({ last: later(5).toISOString(), stoppedAt: 'Task 2', resumeFile: RESUME, plan: '02-01', source: 'ledger' });
    expect(r.planInFlight).toMatchObject({ plan: '02-01', phase: '2', started: T0.toISOString(), done: false });
    expect(r.contradictions).toEqual([]);
  });

  it('flags a resume file that is gone, a plan completed since, and a position that moved on', async () => {
    const root = project({ [RESUME]: 'x\n' });
    await apply(root, T0, (ctx) => planStart(ctx, { plan: '02-01' }));
    await apply(root, later(5), (ctx) => sessionSave(ctx, { resumeFile: RESUME }));
    rmSync(join(root, RESUME));
    writeFileSync(join(root, '.planning/phases/02-api/02-01-SUMMARY.md'), filledSummary('02-api', '02-01'));
    let r = await report(root);
    expect(r.contradictions.map((c) => c.kind)).toEqual(['resume-file-missing', 'plan-completed']);
    expect(r.contradictions[1]!.message).toMatch(/02-01, has been completed since: its SUMMARY exists/);

    await apply(root, later(20), (ctx) => planDone(ctx, { plan: '02-01' }));
    await apply(root, later(21), (ctx) => planStart(ctx, { plan: '02-02' }));
    r = await report(root);
    expect(r.contradictions.map((c) => c.kind)).toEqual(['resume-file-missing', 'plan-completed', 'position-moved']);
    expect(r.contradictions[1]!.message).toMatch(/recorded done at 2026-03-10T09:20:00.000Z/);
    expect(r.contradictions[2]!.message).toBe('the position moved on since the session was saved: plan 02-02 started');
  });

  it('reads a handoff written into STATE.md by hand (GSD) and checks it against the files', async () => {
    const state = STATE.replace('Resume file: None', 'Resume file: `.planning/phases/02-api/.continue-here.md` (task 3)');
    const root = project({
      '.planning/STATE.md': state,
      '.planning/phases/01-setup/01-02-SUMMARY.md': filledSummary('01-setup', '01-02', ['duration: 8 min', 'completed: 2026-03-04']),
    });
    const r = await report(root);
    expect(r.session).toMatchObject({ source: 'state', stoppedAt: 'Finished 01-01', plan: null });
    expect(r.contradictions.map((c) => c.kind)).toEqual(['resume-file-missing', 'position-moved']);
    expect(r.contradictions[1]!.message).toMatch(/plan 01-02 completed \(\.planning\/phases\/01-setup\/01-02-SUMMARY\.md\)/);
    mkdirSync(join(root, '.planning/phases/02-api'), { recursive: true });
    writeFileSync(join(root, RESUME), 'x\n');
    expect((await report(root)).contradictions.map((c) => c.kind)).toEqual(['position-moved']);
  });

  it('never looks outside the project for a resume file', async () => {
    const root = project({ '.planning/STATE.md': STATE.replace('Resume file: None', 'Resume file: ../../etc/hosts') });
    expect((await report(root)).contradictions.map((c) => c.kind)).toEqual(['resume-file-outside']);
  });
});

describe.skipIf(!hasCorpus())('resume on every corpus repository', () => {
  it.each(corpusRepos())('%s', async (repo) => {
    const dir = join(corpusDir!, repo);
    const ws = await loadWorkspace(dir);
    const state = derive(ws, T0);
    const r = resumeReport(ws, state);
    expect(r.next).toEqual(state.next);
    if (!state.session) {
      expect(r.session).toBeNull();
      return;
    }
    expect(r.session).toMatchObject({ last: state.session.last, stoppedAt: state.session.stoppedAt, resumeFile: state.session.resumeFile });
    // A plain path is flagged missing exactly when it is not on disk.
    const file = state.session.resumeFile;
    if (file && /^[\w./-]+$/.test(file) && !file.startsWith('..') && !file.startsWith('/')) {
      const flagged = r.contradictions.some((c) => c.kind === 'resume-file-missing');
      expect(flagged, `${repo}: ${file}`).toBe(!existsSync(join(dir, file)));
    }
  });
});

describe('cairn session save / resume (CLI)', () => {
  it('save --json, then resume prints the handoff and the next step', async () => {
    const root = project({ [RESUME]: 'x\n' });
    expect((await cairnIn(['plan', 'start', '02-01', '-C', root])).code).toBe(0);
    const saved = json(await cairnIn(['session', 'save', '--stopped-at', 'Task 2 | `$&`', '--resume-file', RESUME, '-C', root, '--json']));
    expect(saved.result).toMatchObject({ stoppedAt: 'Task 2 | `$&`', resumeFile: RESUME, plan: '02-01', warnings: [] });
    expect(ledgerLines(root).map((e) => e.type)).toEqual(['plan.started', 'session.saved']);
    const hash = treeHash(root);
    const out = await cairnIn(['resume', root]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('Stopped at     Task 2 | `$&`');
    expect(out.stdout).toContain(`Resume file    ${RESUME}`);
    expect(out.stdout).toMatch(/Plan in flight 02-01 \(phase 2\), started \d{4}-/);
    expect(out.stdout).toMatch(/Next           Execute 02-0\d-PLAN\.md/);
    expect(out.stdout).not.toContain('say otherwise');
    const j = json(await cairnIn(['resume', '-C', root, '--json']));
    expect(j.session).toMatchObject({ stoppedAt: 'Task 2 | `$&`', plan: '02-01', source: 'ledger' });
    expect(j.contradictions).toEqual([]);
    expect(treeHash(root)).toBe(hash);
  });

  it('resume flags what changed since, and runs while another command holds the lock', () => {
    const root = project({ [RESUME]: 'x\n' });
    expect(cairn(['session', 'save', '--resume-file', RESUME, '--plan', '02-01', '-C', root]).code).toBe(0);
    rmSync(join(root, RESUME));
    // A live holder: this test process.
    writeFileSync(join(root, '.planning/.cairn.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command: 'cairn test', nonce: 'test' }));
    const started = Date.now();
    const out = cairn(['resume', root]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('The files now say otherwise:');
    expect(out.stdout).toContain(`! the resume file ${RESUME} no longer exists`);
    rmSync(join(root, '.planning/.cairn.lock'));
  });

  it('--dry-run writes nothing; a missing resume file is a warning', async () => {
    const root = project();
    const hash = treeHash(root);
    const r = await cairnIn(['session', 'save', '--resume-file', RESUME, '-C', root, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"type":"session.saved"');
    expect(treeHash(root)).toBe(hash);
    const w = await cairnIn(['session', 'save', '--resume-file', RESUME, '-C', root]);
    expect(w.stdout).toContain(`warning: the resume file ${RESUME} does not exist (yet)`);
  });

  it.each([
    ['no subcommand', ['session'], /needs a subcommand: save/],
    ['unknown subcommand', ['session', 'load'], /unknown subcommand "session load"/],
    ['a positional argument', ['session', 'save', 'stopped here'], /takes no arguments/],
    ['a resume file outside', ['session', 'save', '--resume-file', '../x.md'], /leaves the project root/],
    ['an empty stopped-at', ['session', 'save', '--stopped-at', ''], /stopped-at text is empty/],
    ['invalid UTF-8 stopped-at', ['session', 'save', '--stopped-at', Buffer.from([0x61, 0x80])], /not valid UTF-8/],
    ['an unknown plan', ['session', 'save', '--plan', '09-09'], /unknown plan 09-09/],
    ['resume with two folders', ['resume', 'a'], /resume takes one folder/],
  ] as const)('%s → exit 2, no file changed', async (_name, args, message) => {
    const root = project();
    const hash = treeHash(root);
    const [cmd, sub, ...rest] = args;
    const argv = cmd === 'resume' ? [cmd, root, sub!] : sub === undefined ? [cmd, '-C', root] : [cmd, sub, '-C', root, ...rest];
    const r = await cairnInUnlessBytes(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(treeHash(root)).toBe(hash);
  });
});
