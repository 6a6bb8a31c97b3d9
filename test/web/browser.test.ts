/**
 * The dashboard in a real browser (Debian's chromium through playwright-core), against the built
 * CLI's `cairn serve` as a child process: every view of the bundled example and of a corpus
 * repository renders, passes axe with no serious or critical violation and raises no CSP
 * violation; a hostile decision opens no dialog; an edit on disk shows within 1 s; the page
 * reconnects after the server restarts (no CAIRN_SERVE_TOKEN: the secret kept for the port, in a
 * temp XDG_STATE_HOME) and is signed out by a restart with --new-token. Screenshots go to test-results/web/ (and the README's
 * project screenshot to docs/). One browser for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { bin, cairn, copyProject, remove } from '../support/cli.ts';
import { corpusDir, hasCorpus, repoRoot } from '../support/corpus.ts';
import { projectId } from '../../src/views/portfolio.ts';

const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM) && existsSync(bin);
if (!haveBrowser) console.warn(`[cairn tests] ${CHROMIUM} or dist/ missing: browser tests skipped (apt-get install chromium; npm run build).`);

const SHOTS = join(repoRoot, 'test-results', 'web');
/** The user state folder of the served CLI (the kept session secret), never the real one. */
const STATE_HOME = mkdtempSync(join(tmpdir(), 'cairn-state-'));
const HOSTILE = ['<img src=x onerror="alert(1)">', '[click me](javascript:alert(1))', '</script><script>alert(1)</script>'];

let server: ChildProcess | null = null;
let base = '';
let port = 0;
/** The address the running server printed (token in the fragment). */
let printed = '';
let context: BrowserContext;
let page: Page;
let profile = '';
const roots: { name: string; root: string }[] = [];
const dialogs: string[] = [];
const problems: string[] = [];
const timings: string[] = [];

function startServer(extra: string[] = []): Promise<string> {
  const args = [bin, 'serve', ...roots.map((r) => r.root), '--port', String(port), ...extra];
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: STATE_HOME, CAIRN_NO_CACHE: '1', NO_COLOR: '1' };
  delete env.CAIRN_SERVE_TOKEN;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`cairn serve exited ${code}: ${err}`)));
  });
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  server = null;
}

/** Full-page screenshots of long pages (a whole history) cost seconds: those keep the first screens. */
async function shot(name: string): Promise<void> {
  const tall = await page.evaluate(() => document.documentElement.scrollHeight > 3000);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: !tall });
}

/** No serious or critical axe violation on the page as it is now. */
async function axe(label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

async function cspViolations(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
}

describe.skipIf(!haveBrowser)('cairn serve in chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    roots.push({ name: 'moonlight', root: copyProject(join(repoRoot, 'examples/moonlight')) });
    if (hasCorpus()) roots.push({ name: 'ardens', root: copyProject(join(corpusDir!, 'lbpfeil__ardens')) });
    const hostile = copyProject(join(repoRoot, 'examples/moonlight'));
    for (const text of HOSTILE) expect(cairn(['decide', text, '--dir', hostile]).code).toBe(0);
    roots.push({ name: 'hostile', root: hostile });
    // A free port chosen by the OS on the first start; the restart reuses it.
    port = 0;
    const url = await startServer();
    printed = url;
    port = Number(new URL(url).port);
    base = url.slice(0, url.indexOf('/#'));
    profile = mkdtempSync(join(tmpdir(), 'cairn-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    // Sign in as a user would: the printed address, token in the fragment.
    await page.goto(url);
    await page.waitForSelector('h1:text("Projects")');
    expect(page.url()).not.toContain('token');
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await stopServer();
    for (const r of roots) remove(r.root);
    if (profile) remove(profile);
    remove(STATE_HOME);
  });

  it('renders every view of the example and a corpus repository, accessible, with no CSP violation', async () => {
    await shot('portfolio');
    await axe('portfolio');
    for (const { name, root } of roots.filter((r) => r.name !== 'hostile')) {
      const id = projectId(root);
      for (const view of ['', '/roadmap', '/velocity', '/burnup', '/history', '/checks']) {
        const t0 = Date.now();
        await page.goto(`${base}/p/${id}${view}`);
        await page.waitForSelector('main h1');
        const t1 = Date.now();
        expect(await page.locator('#live-status').getAttribute('data-state'), `${name}${view}`).not.toBe('off');
        if (view === '/velocity' || view === '/burnup') await page.waitForSelector('figure.chart canvas, figure.chart:empty', { state: 'attached' });
        await shot(`${name}${view.replace('/', '-') || '-project'}`);
        const t2 = Date.now();
        // axe costs seconds a page: each view is checked once, on the larger (corpus) project.
        if (name === roots.filter((r) => r.name !== 'hostile').at(-1)!.name) await axe(`${name}${view}`);
        timings.push(`${name}${view || '/'}: load ${t1 - t0} ms, shot ${t2 - t1} ms, axe ${Date.now() - t2} ms`);
      }
    }
    console.log(timings.join('\n'));
    expect(await cspViolations()).toEqual([]);
    expect(problems).toEqual([]);
  }, 80_000);

  it('shows hostile planning text as text and opens no dialog', async () => {
    const id = projectId(roots.find((r) => r.name === 'hostile')!.root);
    await page.goto(`${base}/p/${id}`);
    const decisions = page.locator('#h-decisions + ul');
    await expect.poll(() => decisions.innerText()).toContain('<img src=x onerror="alert(1)">');
    expect(await decisions.innerText()).toContain('</script><script>alert(1)</script>');
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
    await shot('hostile-project');
    await axe('hostile project');
    await page.goto(`${base}/p/${id}/history`);
    expect(await page.locator('#log').innerText()).toContain('[click me](javascript:alert(1))');
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(await cspViolations()).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('takes the README screenshot of the project view, light, dark and at phone width', async () => {
    const id = projectId(roots[0]!.root);
    await page.goto(`${base}/p/${id}`);
    await page.waitForSelector('main h1');
    await page.screenshot({ path: join(repoRoot, 'docs', 'dashboard-project.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('moonlight-project-dark');
    await axe('project (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('moonlight-project-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`${base}/p/${id}/roadmap`);
    await shot('moonlight-roadmap-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is usable from the keyboard: skip link first, then the navigation in order', async () => {
    const id = projectId(roots[0]!.root);
    await page.goto(`${base}/p/${id}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(page.url()).toContain('#main');
    await page.keyboard.press('Tab');
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      order.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? ''));
      await page.keyboard.press('Tab');
    }
    // From main, tabbing reaches the page's links; from the top, the tabs in order.
    await page.goto(`${base}/p/${id}`);
    const tabs: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      tabs.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? ''));
    }
    expect(tabs).toEqual(expect.arrayContaining(['Overview', 'Roadmap', 'Velocity', 'Burn-up', 'History', 'Checks']));
    expect(tabs.indexOf('Roadmap')).toBeGreaterThan(tabs.indexOf('Overview'));
    expect(order.some((t) => t.includes('the roadmap'))).toBe(true);
  });

  it('shows an edit on disk within 1 s', async () => {
    const { name, root } = roots[0]!;
    await page.goto(`${base}/p/${projectId(root)}`);
    await page.waitForSelector('#live-status[data-state="on"]');
    const marker = `Live marker ${Date.now()}`;
    const t0 = Date.now();
    writeFileSync(join(root, '.planning/todos/pending/2026-03-10-live-marker.md'), `# ${marker}\n`);
    await page.waitForSelector(`#h-todos ~ ul li:text("${marker}")`, { timeout: 1000 });
    const elapsed = Date.now() - t0;
    expect(elapsed, name).toBeLessThan(1000);
  });

  it('reconnects after the server restarts (the kept secret, no CAIRN_SERVE_TOKEN), and shows what changed meanwhile and after', async () => {
    const { root } = roots[0]!;
    await page.goto(`${base}/p/${projectId(root)}`);
    await page.waitForSelector('#live-status[data-state="on"]');
    const before = await stopAndRestart(async () => {
      await page.waitForSelector('#live-status[data-state="wait"]', { timeout: 5000 });
      writeFileSync(join(root, '.planning/todos/pending/2026-03-11-during-restart.md'), `# During restart ${Date.now()}\n`);
    });
    // The restarted server printed the same address: it took the secret kept for this port.
    expect(before.next).toBe(before.previous);
    await page.waitForSelector('#h-todos ~ ul li:text("During restart")', { timeout: 5000 });
    await page.waitForSelector('#live-status[data-state="on"]', { timeout: 5000 });
    // An edit made after the restart arrives over the new server's stream, with no user action.
    const marker = `After restart ${Date.now()}`;
    writeFileSync(join(root, '.planning/todos/pending/2026-03-11-after-restart.md'), `# ${marker}\n`);
    await page.waitForSelector(`#h-todos ~ ul li:text("${marker}")`, { timeout: 2000 });
    expect(await page.locator('#live-status').getAttribute('data-state')).toBe('on');
    expect(page.url()).toBe(`${base}/p/${projectId(root)}`);
  });

  it('is signed out by a restart with --new-token, and signs in again with the new address only', async () => {
    const { root } = roots[0]!;
    await page.goto(`${base}/p/${projectId(root)}`);
    await page.waitForSelector('#live-status[data-state="on"]');
    const rotated = await stopAndRestart(async () => undefined, ['--new-token']);
    expect(rotated.next).not.toBe(rotated.previous);
    await page.waitForSelector('#live-status[data-state="off"]', { timeout: 5000 });
    // The old address (old token) is refused; the new one signs in.
    await page.goto(rotated.previous);
    await page.waitForSelector('#auth-message:text("not the one of the running server")', { timeout: 5000 });
    // From another document, so the fragment change is a real load.
    await page.goto('about:blank');
    await page.goto(rotated.next);
    await page.waitForSelector('h1:text("Projects")');
  });
});

/** Stops the server, runs `meanwhile`, starts it again on the same port; both printed addresses. */
async function stopAndRestart(meanwhile: () => Promise<void>, extra: string[] = []): Promise<{ previous: string; next: string }> {
  const previous = printed;
  await stopServer();
  await meanwhile();
  printed = await startServer(extra);
  return { previous, next: printed };
}
