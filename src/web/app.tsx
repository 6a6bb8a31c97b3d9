/**
 * The dashboard as a hono app: guards first (security.ts), then the views. Every view renders a
 * document made by the same function as the CLI's `--json` (src/views/documents.ts,
 * src/views/portfolio.ts), and `/api/…` returns that document as is.
 */
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { isCairnError } from '../model/errors.ts';
import { burnupDocument, checkDocument, forecastDocument, logDocument, statusDocument } from '../views/documents.ts';
import { readGitHistory } from '../workspace/git-history.ts';
import { burnup } from '../derive/burnup.ts';
import { LOG_SELECTORS, logOf } from '../views/log.ts';
import { planHistory } from '../derive/plan-history.ts';
import { portfolioDocument, portfolioOf } from '../views/portfolio.ts';
import { runChecks } from '../checks/index.ts';
import { runOperation } from '../ops/run.ts';
import { decide } from '../ops/decide.ts';
import { todoAdd } from '../ops/todo.ts';
import type { Change } from '../ops/change.ts';
import type { Context as OpContext } from '../ops/run.ts';
import { cookieName, hasSession, hostAllowlist, sameSecret, securityHeaders, sessionValue, writeRefusal, type Guard } from './security.ts';
import type { Projects, ProjectRef } from './projects.ts';
import type { LiveHub } from './live.ts';
import { loadAssets } from './assets.ts';
import { MessagePage, Page } from './pages/layout.tsx';
import { PortfolioView } from './pages/portfolio.tsx';
import { ProjectView } from './pages/project.tsx';
import { RoadmapView } from './pages/roadmap.tsx';
import { VelocityView } from './pages/velocity.tsx';
import { ChecksView } from './pages/checks.tsx';
import { HistoryView } from './pages/history.tsx';
import { BurnupView } from './pages/burnup.tsx';

export interface AppOptions {
  guard: Guard;
  projects: Projects;
  hub: LiveHub | null;
  /** Identifies this server run, so a page can tell a restart from a dropped connection. */
  runId: string;
}

const ID = /^[a-z0-9-]{1,64}$/;
/** SSE reconnect delay asked of the browser: a restarted server is found again within a second. */
const RETRY_MS = 400;

function html(c: Context, body: unknown, status: 200 | 401 | 403 | 404 | 500 = 200) {
  return c.html(`<!doctype html>${String(body)}`, status);
}

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || c.req.path === '/events';
}

export function createApp(opts: AppOptions) {
  const { guard, projects, hub } = opts;
  const app = new Hono();

  // Host before anything else, then headers on every response (errors and 404s included).
  app.use('*', hostAllowlist(guard));
  app.use('*', securityHeaders);

  app.get('/assets/:name', async (c) => {
    const asset = (await loadAssets()).get(c.req.param('name'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'Content-Type': asset.type });
  });

  app.get('/healthz', (c) => c.json({ ok: true, run: opts.runId }));

  // The token from the URL fragment, exchanged once for the session cookie.
  app.post('/auth', async (c) => {
    const refusal = writeRefusal(c);
    if (refusal) return c.json({ error: refusal }, 403);
    const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
    if (!body || typeof body.token !== 'string' || !sameSecret(body.token, guard.token)) return c.json({ error: 'wrong token' }, 403);
    setCookie(c, cookieName(guard.port), sessionValue(guard.token), { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.json({ ok: true });
  });

  app.use('*', async (c, next) => {
    if (hasSession(c, guard)) return next();
    if (wantsJson(c)) return c.json({ error: 'no session: open the address `cairn serve` printed' }, 401);
    return html(
      c,
      <MessagePage title="Sign in">
        <p id="auth-message">
          This dashboard needs the address <code>cairn serve</code> printed (it ends in <code>#token=…</code>). Open that address in this
          browser.
        </p>
      </MessagePage>,
      401,
    );
  });

  const project = (c: Context): ProjectRef | null => {
    const id = c.req.param('id') ?? '';
    return ID.test(id) ? (projects.get(id) ?? null) : null;
  };

  const portfolio = async () => portfolioDocument(await portfolioOf(projects.list().map((p) => p.root), (root) => projects.load(root)));
  const status = async (p: ProjectRef) => {
    const l = await projects.load(p.root);
    return { loaded: l, doc: statusDocument(l.root, l.state, l.diagnostics, l.forecast) };
  };
  // As `cairn check` and `cairn burnup`: the git history of .planning/ feeds the alerts and the series.
  const checks = async (p: ProjectRef) => {
    const l = await projects.load(p.root);
    return checkDocument(runChecks(l.ws, l.state, { now: l.now, git: await readGitHistory(l.root) }));
  };
  const burnupOf = async (p: ProjectRef) => {
    const l = await projects.load(p.root);
    return { loaded: l, doc: burnupDocument(l.root, burnup(l.ws, await readGitHistory(l.root), l.now)) };
  };
  /** `cairn log --json` with no filter: every kind, no limit. */
  const history = async (p: ProjectRef) => {
    const l = await projects.load(p.root);
    const kinds = LOG_SELECTORS.all!;
    return logDocument(l.root, { kinds, since: null, phase: null, limit: null }, logOf(l.ws, { kinds, since: null, phase: null, limit: null }));
  };
  const frame = (c: Context, p: ProjectRef | null, name: string, current: string, twin: { href: string; command: string }, body: Child, scripts?: string[]) =>
    html(
      c,
      <Page
        title={p ? `${current[0]!.toUpperCase()}${current.slice(1)} · ${name}` : name}
        project={p ? { id: p.id, name } : null}
        current={current}
        twin={twin}
        live={p?.id ?? null}
        write={guard.write}
        {...(scripts ? { scripts } : {})}
      >
        {body}
      </Page>,
    );

  app.get('/api/portfolio', async (c) => c.json(await portfolio()));
  app.get('/', async (c) => {
    const doc = await portfolio();
    return frame(c, null, 'Projects', 'portfolio', { href: '/api/portfolio', command: 'cairn status --all --json' }, <PortfolioView projects={doc.projects} />);
  });

  const statusTwin = (p: ProjectRef) => ({ href: `/api/p/${p.id}`, command: 'cairn status --json' });

  app.get('/api/p/:id', async (c) => {
    const p = project(c);
    return p ? c.json((await status(p)).doc) : c.notFound();
  });
  app.get('/api/p/:id/checks', async (c) => {
    const p = project(c);
    return p ? c.json(await checks(p)) : c.notFound();
  });

  app.get('/api/p/:id/history', async (c) => {
    const p = project(c);
    return p ? c.json(await history(p)) : c.notFound();
  });
  app.get('/api/p/:id/forecast', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const l = await projects.load(p.root);
    return c.json(forecastDocument(l.root, l.state, l.forecast));
  });
  app.get('/api/p/:id/burnup', async (c) => {
    const p = project(c);
    return p ? c.json((await burnupOf(p)).doc) : c.notFound();
  });
  app.get('/p/:id/burnup', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const { loaded, doc } = await burnupOf(p);
    return frame(c, p, loaded.state.project.name ?? p.id, 'burnup', { href: `/api/p/${p.id}/burnup`, command: 'cairn burnup --json' }, <BurnupView series={doc} forecast={loaded.forecast} />, ['charts.js']);
  });
  app.get('/p/:id/history', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const [{ doc }, log] = await Promise.all([status(p), history(p)]);
    return frame(c, p, doc.project.name ?? p.id, 'history', { href: `/api/p/${p.id}/history`, command: 'cairn log --json' }, <HistoryView entries={log.entries} total={log.total} />, ['search.js']);
  });

  app.get('/p/:id', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const { doc } = await status(p);
    return frame(c, p, doc.project.name ?? p.id, 'overview', statusTwin(p), <ProjectView s={doc} />);
  });
  app.get('/p/:id/roadmap', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const { doc } = await status(p);
    return frame(c, p, doc.project.name ?? p.id, 'roadmap', statusTwin(p), <RoadmapView s={doc} />);
  });
  app.get('/p/:id/velocity', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const { doc, loaded } = await status(p);
    // Per-plan measured durations, as the forecast resamples them (plan-history.ts).
    const cycle = planHistory(loaded.ws).completed.flatMap((r) => (r.minutes === null ? [] : [{ planId: r.planId, phase: r.phase, minutes: r.minutes, at: r.at }]));
    return frame(c, p, doc.project.name ?? p.id, 'velocity', statusTwin(p), <VelocityView v={doc.velocity} cycle={cycle} />, ['charts.js']);
  });
  app.get('/p/:id/checks', async (c) => {
    const p = project(c);
    if (!p) return c.notFound();
    const [{ doc }, report] = await Promise.all([status(p), checks(p)]);
    return frame(
      c,
      p,
      doc.project.name ?? p.id,
      'checks',
      { href: `/api/p/${p.id}/checks`, command: 'cairn check --json' },
      <ChecksView diagnostics={report.diagnostics} counts={report.counts} />,
    );
  });

  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ run: opts.runId }), retry: RETRY_MS });
      const unsubscribe = hub?.subscribe((id) => void stream.writeSSE({ event: 'change', data: JSON.stringify({ project: id }) })) ?? (() => undefined);
      const ping = setInterval(() => void stream.writeSSE({ event: 'ping', data: '' }), 15_000);
      await new Promise<void>((resolve) =>
        stream.onAbort(() => {
          unsubscribe();
          clearInterval(ping);
          resolve();
        }),
      );
    }),
  );

  // Writes: only with --write, and only with the session, the exact Origin, a JSON body and the header.
  const write = (op: (ctx: OpContext, body: Record<string, unknown>) => Change, name: string) => async (c: Context) => {
    const p = project(c);
    if (!p) return c.notFound();
    if (!guard.write) return c.json({ error: 'read-only: start `cairn serve --write` to change files from the dashboard' }, 403);
    const refusal = writeRefusal(c);
    if (refusal) return c.json({ error: refusal }, 403);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return c.json({ error: 'the body must be a JSON object' }, 400);
    try {
      const outcome = await runOperation({ dir: p.root, command: `cairn serve (${name})`, dryRun: false }, (ctx) => op(ctx, body));
      projects.invalidate(p.root);
      return c.json({ result: outcome.change.result, summary: outcome.change.summary, changed: outcome.files.map((f) => f.path) });
    } catch (e) {
      if (isCairnError(e)) return c.json({ error: e.message, hint: e.hint ?? null }, e.exitCode === 4 ? 409 : 400);
      throw e;
    }
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  app.post('/api/p/:id/decide', write((ctx, b) => decide(ctx, { text: str(b.text), tag: str(b.tag), rationale: str(b.rationale) }), 'decide'));
  app.post('/api/p/:id/todo', write((ctx, b) => todoAdd(ctx, { text: str(b.text), area: str(b.area) }), 'todo add'));

  app.notFound((c) => {
    if (wantsJson(c)) return c.json({ error: 'not found' }, 404);
    return html(
      c,
      <MessagePage title="Not found">
        <p>
          Nothing here. Routes take project ids, never paths: start from <a href="/">all projects</a>.
        </p>
      </MessagePage>,
      404,
    );
  });
  app.onError((e, c) => {
    process.stderr.write(`cairn serve: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return c.text('500 Internal error: see the terminal running cairn serve.\n', 500);
  });
  return app;
}
