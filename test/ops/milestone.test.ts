/**
 * `cairn milestone new | complete`: the decisions in process over every corpus roadmap (the entry
 * is added in the roadmap's style, by insertion only, and reads back), and the built CLI on the
 * bundled example and on corpus copies with `<details>` milestones: the new entry, duplicates,
 * the completeness gate, --force, the archive with and without --archive-phases, MILESTONES.md,
 * twice = once, --dry-run, --json, and bad input (exit 2, no file changed).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/workspace/index.ts';
import { derive } from '../../src/derive/index.ts';
import { parseMarkdown } from '../../src/markdown/index.ts';
import { readRoadmap } from '../../src/formats/roadmap/index.ts';
import { readMilestones } from '../../src/formats/milestones.ts';
import type { Context } from '../../src/ops/run.ts';
import { milestoneNew, normalizeVersion } from '../../src/ops/milestone-new.ts';
import { milestoneComplete } from '../../src/ops/milestone-complete.ts';
import { PreconditionError, UsageError } from '../../src/model/errors.ts';
import { corpusDir, corpusRepos, hasCorpus, repoRoot } from '../support/corpus.ts';
import { remove, tempDir, tempProject } from '../support/cli.ts';
import { cairn, cairnIn, json, releaseBin } from './cli.ts';

const dirs: string[] = [];
afterAll(() => {
  dirs.forEach(remove);
  releaseBin();
});

function copyOf(src: string): string {
  const root = tempDir('cairn-milestone-');
  cpSync(join(src, '.planning'), join(root, '.planning'), { recursive: true });
  dirs.push(root);
  return root;
}
const moonlight = () => copyOf(join(repoRoot, 'examples', 'moonlight'));
const corpusCopy = (repo: string) => copyOf(join(corpusDir!, repo));

/** Every file and folder below `root` with each file's bytes: "nothing changed" includes folders. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const n of readdirSync(abs).sort()) {
      const p = join(abs, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else out.push(`${r} ${readFileSync(p).toString('base64')}`);
    }
  };
  walk(root, '');
  return out;
}

const read = (root: string, rel: string) => readFileSync(join(root, '.planning', rel), 'utf8');
const NOW = new Date('2026-03-10T09:00:00.000Z');
const TODAY = new Date().toISOString().slice(0, 10);

async function ctxOf(root: string): Promise<Context> {
  const ws = await loadWorkspace(root);
  return { root: ws.root, now: NOW, ws, state: derive(ws, NOW) };
}

/** True when every line of `before` appears in `after`, in order: the edit only inserted lines. */
function onlyInserted(before: string, after: string): boolean {
  const a = after.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    while (i < a.length && a[i] !== line) i++;
    if (i === a.length) return false;
    i++;
  }
  return true;
}

/** Writes the missing SUMMARY files of the example so that every phase of v1.0 is complete. */
function finishMoonlight(root: string): void {
  for (const [dir, plan] of [['03-feeds-and-print', '03-02'], ['04-publish', '04-01'], ['04-publish', '04-02']] as const) {
    writeFileSync(
      join(root, '.planning', 'phases', dir, `${plan}-SUMMARY.md`),
      ['---', `phase: ${dir}`, `plan: ${plan.slice(3)}`, 'duration: 9min', 'completed: 2026-03-11', '---', '', `# Phase ${plan} Summary`, '', `**Plan ${plan} shipped with \`$1\` and | pipes intact**`, ''].join('\n'),
    );
  }
}

const TRICKY = 'Sky $1 `x` | $& night';

describe('milestone versions', () => {
  it.each([
    ['v1.2', 'v1.2'],
    ['1.2', 'v1.2'],
    ['V0.10.0', 'v0.10.0'],
    ['v1.2.1.4', 'v1.2.1.4'],
    ['v1', null],
    ['v1.x', null],
    ['v1.2-beta', null],
    ['../v1.0', null],
    ['', null],
  ])('%s → %s', (raw, expected) => expect(normalizeVersion(raw)).toBe(expected));
});

describe('milestone new (decision)', () => {
  it('adds a planned bullet after the example\'s milestone in progress, records milestone.started', async () => {
    const root = moonlight();
    const ctx = await ctxOf(root);
    const before = ctx.ws.roadmap!.doc.text;
    const change = milestoneNew(ctx, { version: 'v1.1', name: TRICKY });
    const after = change.files.get('.planning/ROADMAP.md')!;
    expect(after).toBe(
      before.replace('- 🚧 **v1.0 First Light** - Phases 1-4 (in progress)\n', () => `- 🚧 **v1.0 First Light** - Phases 1-4 (in progress)\n- 📋 **v1.1 ${TRICKY}** - Phases TBD (planned)\n`),
    );
    expect(change.events).toEqual([expect.objectContaining({ type: 'milestone.started', milestone: 'v1.1', name: TRICKY, at: NOW.toISOString() })]);
    expect(change.result).toMatchObject({ version: 'v1.1', status: 'planned' });
  });

  it('refuses a version the ledger, ROADMAP.md or MILESTONES.md already knows (exit 3)', async () => {
    const ctx = await ctxOf(moonlight());
    expect(() => milestoneNew(ctx, { version: 'v1.0', name: 'x' })).toThrow(PreconditionError);
    expect(() => milestoneNew(ctx, { version: 'v1.0', name: 'x' })).toThrow('milestone v1.0 already exists (in .planning/ROADMAP.md)');
  });

  describe.skipIf(!hasCorpus())('on every corpus roadmap', () => {
    it('inserts (never rewrites) an entry that reads back as the new milestone, in progress or planned as derive() sees the project', async () => {
      const seen: string[] = [];
      for (const repo of corpusRepos()) {
        const ctx = await ctxOf(join(corpusDir!, repo));
        const change = milestoneNew(ctx, { version: 'v77.1', name: 'Next Thing' });
        const after = change.files.get('.planning/ROADMAP.md')!;
        const back = readRoadmap(parseMarkdown(after), 'ROADMAP.md').record;
        const m = back.milestones.find((x) => x.id === 'v77.1');
        expect(m, repo).toBeTruthy();
        expect(m!.name, repo).toBe('Next Thing');
        const expected = ctx.state.scope.milestone && ctx.ws.roadmap?.record.milestones.some((x) => x.id === ctx.state.scope.milestone && x.status !== 'shipped') ? 'planned' : 'active';
        expect(m!.status, repo).toBe(expected);
        if (ctx.ws.roadmap) {
          const before = ctx.ws.roadmap.doc.text;
          expect(onlyInserted(before, after), repo).toBe(true);
          expect(after.split('\n').length - before.split('\n').length, repo).toBeLessThanOrEqual(8);
          // Every milestone that was there is still read the same way.
          const was = ctx.ws.roadmap.record.milestones.map((x) => [x.id, x.name, x.status, x.shipped]);
          expect(back.milestones.filter((x) => x.id !== 'v77.1').map((x) => [x.id, x.name, x.status, x.shipped]), repo).toEqual(was);
        } else {
          expect(after.startsWith('# Roadmap: '), repo).toBe(true);
        }
        seen.push(repo);
      }
      expect(seen.length).toBe(25);
    });

    it('follows the style of the list: dash, bold and emoji of the other bullets', async () => {
      const line = async (repo: string) => {
        const ctx = await ctxOf(join(corpusDir!, repo));
        const after = milestoneNew(ctx, { version: 'v77.1', name: 'Next Thing' }).files.get('.planning/ROADMAP.md')!;
        return after.split('\n').find((l) => l.includes('v77.1'));
      };
      expect(await line('0xc0re__godot-mcp')).toBe('- 📋 **v77.1 Next Thing** -- Phases TBD (planned)');
      expect(await line('4qan__ClinicSoftware')).toBe('- v77.1 Next Thing -- Phases TBD (planned)');
      expect(await line('AllTheMachines__Faceplate')).toBe('- **v77.1 Next Thing** — Phases TBD (planned)');
      expect(await line('TheBlueMuzzy__roll-better')).toBe('- 🚧 **v77.1 Next Thing** — Phases TBD (in progress)');
      expect(await line('hillefrederic-alt__hydrophon-design-system')).toBe('- **v77.1 Next Thing** - Phases TBD (in progress)');
    });
  });
});

describe('milestone complete (decision)', () => {
  it('refuses while phases are incomplete, listing them, unless forced', async () => {
    const root = moonlight();
    const ctx = await ctxOf(root);
    expect(() => milestoneComplete(ctx, { version: 'v1.0', name: null, archivePhases: false, force: false })).toThrow(PreconditionError);
    expect(() => milestoneComplete(ctx, { version: 'v1.0', name: null, archivePhases: false, force: false })).toThrow(
      'milestone v1.0 has 2 incomplete phase(s): 3 (Feeds and Print, 1/2 plans), 4 (Publish, 0/2 plans)',
    );
    const forced = milestoneComplete(ctx, { version: 'v1.0', name: null, archivePhases: false, force: true });
    expect(forced.result).toMatchObject({ incomplete: ['3', '4'], forced: true, phases: 5, phasesComplete: 3 });
    expect(forced.files.get('.planning/MILESTONES.md')).toContain('**Shipped incomplete:** Phase 3 (1/2 plans), Phase 4 (0/2 plans)');
  });

  it('unknown version → UsageError listing the milestones', async () => {
    const ctx = await ctxOf(moonlight());
    expect(() => milestoneComplete(ctx, { version: 'v9.0', name: null, archivePhases: false, force: true })).toThrow(UsageError);
    expect(() => milestoneComplete(ctx, { version: 'v9.0', name: null, archivePhases: false, force: true })).toThrow(/unknown milestone v9\.0; .*lists v1\.0/);
  });

  it.skipIf(!hasCorpus())('marks every declaration shipped: bullet, <details> summary and heading (Faceplate v0.10.0)', async () => {
    const ctx = await ctxOf(join(corpusDir!, 'AllTheMachines__Faceplate'));
    const before = ctx.ws.roadmap!.doc.text;
    const change = milestoneComplete(ctx, { version: 'v0.10.0', name: null, archivePhases: false, force: true });
    const after = change.files.get('.planning/ROADMAP.md')!;
    expect(after).toContain('- **v0.10.0 SVG Styling for Visual Controls** — Phases 53-59 (shipped 2026-03-10)');
    expect(after).toContain('<summary>v0.10.0 SVG Styling for Visual Controls (Phases 53-59) - SHIPPED 2026-03-10</summary>');
    expect(after).toContain('### v0.10.0 SVG Styling for Visual Controls (Phases 53-59) (Shipped 2026-03-10)');
    expect(after.length - before.length).toBeLessThan(80);
    const m = readRoadmap(parseMarkdown(after), 'r').record.milestones.find((x) => x.id === 'v0.10.0')!;
    expect([m.status, m.shipped]).toEqual(['shipped', '2026-03-10']);
    expect(change.files.get('.planning/milestones/v0.10.0-ROADMAP.md')).toBe(after);
    // Faceplate's MILESTONES.md lists the newest first: the entry goes on top and is read back.
    const ms = change.files.get('.planning/MILESTONES.md')!;
    const entries = readMilestones(parseMarkdown(ms), 'MILESTONES.md').record.milestones;
    expect(entries[0]).toMatchObject({ id: 'v0.10.0', name: 'SVG Styling for Visual Controls', shipped: '2026-03-10' });
    expect(entries.length).toBe(ctx.ws.milestonesFile!.record.milestones.length + 1);
    expect(onlyInserted(ctx.ws.milestonesFile!.doc.text, ms)).toBe(true);
  });

  it.skipIf(!hasCorpus())('on every corpus roadmap with an unshipped milestone: marks it shipped by splices only', async () => {
    let done = 0;
    for (const repo of corpusRepos()) {
      const ctx = await ctxOf(join(corpusDir!, repo));
      const open = ctx.ws.roadmap?.record.milestones.filter((m) => m.id && m.status !== 'shipped' && m.declarations.some((d) => d.kind !== 'field')) ?? [];
      for (const m of open) {
        const change = milestoneComplete(ctx, { version: m.id!, name: null, archivePhases: true, force: true });
        const after = change.files.get('.planning/ROADMAP.md')!;
        const back = readRoadmap(parseMarkdown(after), 'r').record.milestones.find((x) => x.id === m.id)!;
        expect(back.status, `${repo} ${m.id}`).toBe('shipped');
        expect(back.shipped, `${repo} ${m.id}`).toBe('2026-03-10');
        // Others are untouched.
        const others = (rec: typeof back[]) => rec.filter((x) => x.id !== m.id).map((x) => [x.id, x.status, x.shipped]);
        expect(others(readRoadmap(parseMarkdown(after), 'r').record.milestones), repo).toEqual(others(ctx.ws.roadmap!.record.milestones));
        expect(change.events).toEqual([expect.objectContaining({ type: 'milestone.completed', milestone: m.id })]);
        for (const r of change.renames.filter((x) => x.from.startsWith('.planning/phases/'))) {
          expect(r.to, repo).toBe(`.planning/milestones/${m.id}-phases/${r.from.slice('.planning/phases/'.length)}`);
        }
        done++;
      }
    }
    expect(done).toBeGreaterThanOrEqual(6);
  });
});

describe('cairn milestone new (CLI)', () => {
  it('on the bundled example: the entry, the ledger, check stays clean; the same version again is exit 3 with no change', () => {
    const root = moonlight();
    const r = cairn(['milestone', 'new', 'v1.1', TRICKY, '-C', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Added milestone v1.1 ${TRICKY}`);
    expect(read(root, 'ROADMAP.md')).toContain(`- 🚧 **v1.0 First Light** - Phases 1-4 (in progress)\n- 📋 **v1.1 ${TRICKY}** - Phases TBD (planned)\n`);
    const events = read(root, 'events.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: 'milestone.started', milestone: 'v1.1', name: TRICKY });
    const check = JSON.parse(cairn(['check', root, '--json']).stdout);
    expect(check.counts.error).toBe(0);

    const before = tree(root);
    for (const v of ['v1.1', 'V1.1', '1.1', 'v1.0']) {
      const again = cairn(['milestone', 'new', v, 'Again', '-C', root]);
      expect(again.code).toBe(3);
      expect(again.stderr).toMatch(/milestone v1\.[01] already exists/);
    }
    expect(tree(root)).toEqual(before);
  });

  it.skipIf(!hasCorpus())('on a corpus copy with <details> milestones (godot-mcp): one bullet in its style, nothing else in ROADMAP.md moves', async () => {
    const root = corpusCopy('0xc0re__godot-mcp');
    const before = read(root, 'ROADMAP.md');
    const out = json(await cairnIn(['milestone', 'new', 'v2.2', 'Polish', '-C', root, '--json']));
    expect(out.result).toMatchObject({ version: 'v2.2', name: 'Polish', status: 'planned', roadmapCreated: false });
    const after = read(root, 'ROADMAP.md');
    const line = '- 📋 **v2.2 Polish** -- Phases TBD (planned)';
    expect(after.replace(`${line}\n`, '')).toBe(before);
    expect(after.indexOf(line)).toBeGreaterThan(after.indexOf('- **v2.1 Hardening**'));
    expect(after.indexOf(line)).toBeLessThan(after.indexOf('<details>'));
  });

  it.skipIf(!hasCorpus())('on a corpus copy with all milestones shipped (roll-better): the new one is in progress, with a heading at the end of Phases', async () => {
    const root = corpusCopy('TheBlueMuzzy__roll-better');
    expect((await cairnIn(['milestone', 'new', 'v1.6', 'Tournaments', '-C', root])).code).toBe(0);
    const after = read(root, 'ROADMAP.md');
    expect(after).toContain('- ✅ **v1.5 Hold-to-Gather-Roll** — Phases 40-43 (SHIPPED 2026-03-27)\n- 🚧 **v1.6 Tournaments** — Phases TBD (in progress)\n');
    expect(after).toMatch(/\n### 🚧 v1\.6 Tournaments \(In Progress\)\n\n## Progress\n/);
    const status = json(await cairnIn(['status', root, '--json']));
    expect(status.scope).toMatchObject({ milestone: 'v1.6', name: 'Tournaments' });
  });

  it('creates ROADMAP.md when the project has none', async () => {
    const root = tempProject({ '.planning/PROJECT.md': '# Tiny\n\n## Core Value\n\nIt works.\n', '.planning/STATE.md': '# Project State\n' });
    dirs.push(root);
    const out = json(await cairnIn(['milestone', 'new', 'v2.0', 'Second', '-C', root, '--json']));
    expect(out.result).toMatchObject({ roadmapCreated: true, status: 'active' });
    expect(read(root, 'ROADMAP.md').startsWith('# Roadmap: Tiny\n\n## Milestones\n\n- 🚧 **v2.0 Second** - Phases TBD (in progress)\n')).toBe(true);
  });

  it('--dry-run shows the diff and writes nothing', async () => {
    const root = moonlight();
    const before = tree(root);
    const r = await cairnIn(['milestone', 'new', 'v1.1', 'Night Sky', '-C', root, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+- 📋 **v1.1 Night Sky** - Phases TBD (planned)');
    expect(r.stdout).toContain('"type":"milestone.started"');
    expect(tree(root)).toEqual(before);
  });

  it.each([
    ['no version', ['milestone', 'new'], /a milestone version is missing/],
    ['no name', ['milestone', 'new', 'v1.1'], /the milestone name is missing/],
    ['bad version', ['milestone', 'new', '1.x', 'Name'], /"1\.x" is not a milestone version/],
    ['path-like version', ['milestone', 'new', '../../v1.1', 'Name'], /not a milestone version/],
    ['bold marks in the name', ['milestone', 'new', 'v1.1', 'a**b'], /contains "\*\*"/],
    ['a two-line name', ['milestone', 'new', 'v1.1', 'a\nb'], /must be one line/],
    ['no subcommand', ['milestone'], /a subcommand is missing/],
    ['unknown subcommand', ['milestone', 'start', 'v1.1'], /unknown subcommand "start"/],
    ['unknown flag', ['milestone', 'new', 'v1.1', 'x', '--force'], /unknown option --force/],
  ])('bad input (%s): exit 2, no file changed', async (_label, args, message) => {
    const root = moonlight();
    const before = tree(root);
    const r = await cairnIn([...args, '-C', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(tree(root)).toEqual(before);
  });

  it('help for the command and each subcommand', async () => {
    expect((await cairnIn(['milestone', '--help'])).stdout).toContain('Subcommands:');
    expect((await cairnIn(['milestone', 'new', '--help'])).stdout).toContain('Usage: cairn milestone new VERSION "NAME"');
    expect((await cairnIn(['milestone', 'complete', '--help'])).stdout).toContain('--archive-phases');
  });
});

describe('cairn milestone complete (CLI)', () => {
  it('the completeness gate: exit 3 listing the incomplete phases; nothing changes', async () => {
    const root = moonlight();
    const before = tree(root);
    const r = await cairnIn(['milestone', 'complete', 'v1.0', '-C', root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('milestone v1.0 has 2 incomplete phase(s): 3 (Feeds and Print, 1/2 plans), 4 (Publish, 0/2 plans)');
    expect(r.stderr).toContain('--force');
    expect(tree(root)).toEqual(before);
  });

  it('without --archive-phases: archive copies, ROADMAP marked, MILESTONES.md created; check clean; twice = once (same bytes)', () => {
    const root = moonlight();
    finishMoonlight(root);
    const requirements = read(root, 'REQUIREMENTS.md');
    const out = json(cairn(['milestone', 'complete', 'v1.0', '-C', root, '--json']));
    expect(out.result).toMatchObject({
      version: 'v1.0',
      name: 'First Light',
      date: TODAY,
      phases: 5,
      phasesComplete: 5,
      plans: 10,
      incomplete: [],
      forced: false,
      archived: { roadmap: '.planning/milestones/v1.0-ROADMAP.md', requirements: '.planning/milestones/v1.0-REQUIREMENTS.md', audit: null, phases: [] },
    });
    const roadmap = read(root, 'ROADMAP.md');
    expect(roadmap).toContain(`- ✅ **v1.0 First Light** - Phases 1-4 (shipped ${TODAY})\n`);
    expect(read(root, 'milestones/v1.0-ROADMAP.md')).toContain(`- ✅ **v1.0 First Light** - Phases 1-4 (shipped ${TODAY})\n`);
    expect(read(root, 'milestones/v1.0-REQUIREMENTS.md')).toBe(
      `# Requirements Archive: v1.0 First Light\n\n**Archived:** ${TODAY}\n**Status:** SHIPPED\n\nFor current requirements, see \`.planning/REQUIREMENTS.md\`.\n\n---\n\n${requirements}`,
    );
    const ms = read(root, 'MILESTONES.md');
    expect(ms.startsWith(`# Milestones\n\n## v1.0 First Light (Shipped: ${TODAY})\n\n**Phases completed:** 5 phases, 10 plans\n\n**Key accomplishments:**\n\n- Julian day conversion`)).toBe(true);
    expect(ms).toContain('- Plan 04-02 shipped with `$1` and | pipes intact\n');
    expect(readdirSync(join(root, '.planning', 'phases')).length).toBe(5);
    const events = read(root, 'events.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: 'milestone.completed', milestone: 'v1.0' });
    expect(JSON.parse(cairn(['check', root, '--json']).stdout).counts.error).toBe(0);

    const after = tree(root);
    const again = json(cairn(['milestone', 'complete', 'v1.0', '-C', root, '--json']));
    expect(again.result).toMatchObject({ version: 'v1.0', alreadyComplete: true });
    expect(again.changed).toEqual([]);
    expect(tree(root)).toEqual(after);
  });

  it('with --archive-phases: the phase folders and the audit move into milestones/ (the archive tree)', async () => {
    const root = moonlight();
    finishMoonlight(root);
    writeFileSync(join(root, '.planning', 'v1.0-MILESTONE-AUDIT.md'), '# Audit v1.0\n\nAll requirements met.\n');
    const phaseFiles = (base: string) =>
      readdirSync(base)
        .sort()
        .flatMap((d) => readdirSync(join(base, d)).sort().map((f) => `${d}/${f}:${readFileSync(join(base, d, f), 'utf8').length}`));
    const beforeFiles = phaseFiles(join(root, '.planning', 'phases'));
    const r = await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '-C', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Moved 5 phase folder(s) into .planning/milestones/v1.0-phases/');
    expect(readdirSync(join(root, '.planning', 'milestones')).sort()).toEqual(['v1.0-MILESTONE-AUDIT.md', 'v1.0-REQUIREMENTS.md', 'v1.0-ROADMAP.md', 'v1.0-phases']);
    expect(readdirSync(join(root, '.planning', 'milestones', 'v1.0-phases')).sort()).toEqual(['01-lunar-math', '02-calendar-pages', '02.1-local-dates', '03-feeds-and-print', '04-publish']);
    expect(phaseFiles(join(root, '.planning', 'milestones', 'v1.0-phases'))).toEqual(beforeFiles);
    expect(readdirSync(join(root, '.planning', 'phases'))).toEqual([]);
    expect(existsSync(join(root, '.planning', 'v1.0-MILESTONE-AUDIT.md'))).toBe(false);
    expect(read(root, 'milestones/v1.0-MILESTONE-AUDIT.md')).toBe('# Audit v1.0\n\nAll requirements met.\n');

    const again = json(await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '-C', root, '--json']));
    expect(again.result).toMatchObject({ alreadyComplete: true });
    expect(readdirSync(join(root, '.planning', 'milestones', 'v1.0-phases')).length).toBe(5);
  });

  it('with --archive-phases: check stays clean and a second run leaves the same bytes', async () => {
    const root = moonlight();
    finishMoonlight(root);
    expect((await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '-C', root])).code).toBe(0);
    const after = tree(root);
    expect(JSON.parse((await cairnIn(['check', root, '--json'])).stdout).counts.error).toBe(0);
    expect((await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '-C', root])).code).toBe(0);
    expect(tree(root)).toEqual(after);
  });

  // Once every milestone is shipped, derive() scopes the latest one and counts its archived phase
  // folders, so archiving must not turn the views to 0/3 or uncheck phases.
  it('with --archive-phases: the views keep counting the archived plans (10/10, rows 3/3, phases checked)', async () => {
    const root = moonlight();
    finishMoonlight(root);
    expect((await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '-C', root])).code).toBe(0);
    const roadmap = read(root, 'ROADMAP.md');
    expect(roadmap).toContain('| 1. Lunar Math | 3/3 | Complete | 2026-03-03 |');
    expect(roadmap).toContain('- [x] **Phase 4: Publish**');
    const status = json(await cairnIn(['status', root, '--json']));
    expect(status.progress.plans).toEqual({ done: 10, total: 10 });
  });

  it('--force ships with incomplete phases, and says so in MILESTONES.md', async () => {
    const root = moonlight();
    const out = json(await cairnIn(['milestone', 'complete', 'v1.0', '--force', '-C', root, '--json']));
    expect(out.result).toMatchObject({ incomplete: ['3', '4'], forced: true });
    expect(out.summary).toContain('Shipped with --force while 2 phase(s) were incomplete: 3, 4.');
    expect(read(root, 'MILESTONES.md')).toContain('**Shipped incomplete:** Phase 3 (1/2 plans), Phase 4 (0/2 plans)');
  });

  it('existing archive files are kept, never overwritten', async () => {
    const root = moonlight();
    finishMoonlight(root);
    mkdirSync(join(root, '.planning', 'milestones'));
    writeFileSync(join(root, '.planning', 'milestones', 'v1.0-REQUIREMENTS.md'), '# Requirements archived by hand\n');
    const mine = read(root, 'milestones/v1.0-REQUIREMENTS.md');
    const out = json(await cairnIn(['milestone', 'complete', 'v1.0', '-C', root, '--json']));
    expect(out.result.kept).toEqual(['.planning/milestones/v1.0-REQUIREMENTS.md']);
    expect(out.result.archived.requirements).toBeNull();
    expect(read(root, 'milestones/v1.0-REQUIREMENTS.md')).toBe(mine);
  });

  it('--dry-run shows the moves and diff and writes nothing', async () => {
    const root = moonlight();
    finishMoonlight(root);
    const before = tree(root);
    const out = json(await cairnIn(['milestone', 'complete', 'v1.0', '--archive-phases', '--dry-run', '--json', '-C', root]));
    expect(out.dryRun).toBe(true);
    expect(out.result.archived.phases).toHaveLength(5);
    expect(out.diff).toContain('+++ b/.planning/MILESTONES.md');
    expect(out.diff).toContain(`+- ✅ **v1.0 First Light** - Phases 1-4 (shipped ${TODAY})`);
    expect(tree(root)).toEqual(before);
  });

  it.skipIf(!hasCorpus())('on a corpus copy (ai-commit-hub): gate, then --force marks the bullet and the heading, MILESTONES.md created', async () => {
    const root = corpusCopy('allanpk716__ai-commit-hub');
    const before = tree(root);
    const gate = await cairnIn(['milestone', 'complete', 'v1.0.1', '-C', root]);
    expect(gate.code).toBe(3);
    expect(gate.stderr).toMatch(/milestone v1\.0\.1 has 1 incomplete phase\(s\): 7 \(/);
    expect(tree(root)).toEqual(before);
    expect((await cairnIn(['milestone', 'complete', 'v1.0.1', '--force', '-C', root])).code).toBe(0);
    const roadmap = read(root, 'ROADMAP.md');
    expect(roadmap).toContain(`- ✅ **v1.0.1 Bug Fixes** - Phases 6-7 (shipped ${TODAY})\n`);
    expect(roadmap).toContain(`### ✅ v1.0.1 Bug Fixes (Shipped ${TODAY})\n`);
    expect(read(root, 'MILESTONES.md').startsWith(`# Milestones\n\n## v1.0.1 Bug Fixes (Shipped: ${TODAY})\n`)).toBe(true);
  });

  it.skipIf(!hasCorpus())('a milestone with no phases (godot-mcp v2.1) is refused without --force; its MILESTONES.md entry goes on top', async () => {
    const root = corpusCopy('0xc0re__godot-mcp');
    const r = await cairnIn(['milestone', 'complete', 'v2.1', '-C', root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('milestone v2.1 has no phases');
    const milestonesBefore = read(root, 'MILESTONES.md');
    expect((await cairnIn(['milestone', 'complete', 'v2.1', '--force', '-C', root])).code).toBe(0);
    const ms = read(root, 'MILESTONES.md');
    expect(ms.startsWith(`# Milestones\n\n## v2.1 Hardening (Shipped: ${TODAY})\n`)).toBe(true);
    expect(ms.endsWith(milestonesBefore.slice('# Milestones\n\n'.length))).toBe(true);
    expect(read(root, 'ROADMAP.md')).toContain(`(shipped ${TODAY} on branch v2.1-hardening; see .planning/v2.1-PLAN.md)`);
  });

  it('a roadmap without milestones: the shipped milestone is listed with its phase range, then a new one starts', async () => {
    const root = tempProject({
      '.planning/PROJECT.md': '# Plain\n\n## Core Value\n\nIt ships.\n',
      '.planning/STATE.md': '# Project State\n',
      '.planning/ROADMAP.md': [
        '# Roadmap: Plain',
        '',
        '## Overview',
        '',
        'Two phases, no milestones.',
        '',
        '## Phases',
        '',
        '- [x] **Phase 1: Setup** - scaffolding',
        '- [x] **Phase 2: Ship** - release',
        '',
        '## Progress',
        '',
        '| Phase | Plans Complete | Status | Completed |',
        '|-------|----------------|--------|-----------|',
        '| 1. Setup | 1/1 | Complete | 2026-03-01 |',
        '| 2. Ship | 1/1 | Complete | 2026-03-02 |',
        '',
      ].join('\n'),
      '.planning/phases/01-setup/01-01-PLAN.md': '# Plan\n',
      '.planning/phases/01-setup/01-01-SUMMARY.md': '---\ncompleted: 2026-03-01\n---\n\n# Summary\n\n**Scaffolded**\n',
      '.planning/phases/02-ship/02-01-PLAN.md': '# Plan\n',
      '.planning/phases/02-ship/02-01-SUMMARY.md': '---\ncompleted: 2026-03-02\n---\n\n# Summary\n\n**Released**\n',
    });
    dirs.push(root);
    const r = await cairnIn(['milestone', 'complete', 'v1.0', '--name', 'Launch', '-C', root]);
    expect(r.code, r.stderr).toBe(0);
    const roadmap = read(root, 'ROADMAP.md');
    expect(roadmap).toContain(`## Overview\n\nTwo phases, no milestones.\n\n## Milestones\n\n- ✅ **v1.0 Launch** - Phases 1-2 (shipped ${TODAY})\n\n## Phases\n`);
    expect(read(root, 'MILESTONES.md')).toContain('- Scaffolded\n- Released\n');
    expect((await cairnIn(['milestone', 'new', 'v1.1', 'More', '-C', root])).code).toBe(0);
    const status = json(await cairnIn(['status', root, '--json']));
    expect(status.scope).toMatchObject({ milestone: 'v1.1' });
    expect(JSON.parse((await cairnIn(['check', root, '--json'])).stdout).counts.error).toBe(0);
  });

  it.each([
    ['no version', 2, ['milestone', 'complete'], /a milestone version is missing/],
    ['bad version', 2, ['milestone', 'complete', 'first'], /"first" is not a milestone version/],
    ['two versions', 2, ['milestone', 'complete', 'v1.0', 'v1.1'], /takes one version/],
    ['unknown version', 2, ['milestone', 'complete', 'v3.0'], /unknown milestone v3\.0/],
    ['empty name', 2, ['milestone', 'complete', 'v1.0', '--name', ''], /milestone name \(--name\) is empty/],
    ['incomplete phases', 3, ['milestone', 'complete', 'v1.0', '--archive-phases'], /2 incomplete phase/],
  ])('bad input (%s): exit %i, no file changed', async (_label, code, args, message) => {
    const root = moonlight();
    const before = tree(root);
    const r = await cairnIn([...args, '-C', root]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(tree(root)).toEqual(before);
  });
});
