/** `cairn status --all`: the portfolio in the terminal, one block per project. */
import { defaultRoots, portfolioDocument, portfolioOf, type PortfolioEntry } from '../views/portfolio.ts';
import { loadProject } from '../views/load.ts';
import { c, clip, printJson } from './output.ts';
import { ExitCode } from '../model/errors.ts';

export async function runPortfolio(json: boolean): Promise<number> {
  const roots = await defaultRoots(process.cwd());
  const projects = await portfolioOf(roots, (root) => loadProject(root));
  if (json) printJson(portfolioDocument(projects));
  else process.stdout.write(`${renderPortfolio(projects).join('\n')}\n`);
  return ExitCode.ok;
}

export function renderPortfolio(projects: PortfolioEntry[]): string[] {
  if (projects.length === 0) {
    return ['No project here and none registered.', c.dim('Register one with: cairn projects add <dir>')];
  }
  const out: string[] = [];
  for (const p of projects) {
    if (p.error !== null || !p.progress) {
      out.push(`${c.bold(p.root)}  ${c.red('cannot be read')}: ${clip(p.error ?? 'unknown error', 90)}`);
      continue;
    }
    const pct = p.progress.percent === null ? '—' : `${p.progress.percent}%${p.progress.estimated ? '~' : ''}`;
    const phase = p.phase?.id ? `phase ${p.phase.id}${p.phase.name ? ` ${clip(p.phase.name, 30)}` : ''}` : 'no phase';
    const flags = [
      p.blockers && p.blockers.open ? c.red(`${p.blockers.open} blocker(s)`) : null,
      p.stale ? c.yellow('stale: run cairn sync') : null,
      p.diagnostics && p.diagnostics.error ? c.red(`${p.diagnostics.error} error(s)`) : null,
    ].filter(Boolean);
    out.push(`${c.bold(p.name ?? p.root)}${p.scope?.milestone ? c.dim(` · ${p.scope.milestone}`) : ''}`);
    out.push(`  ${p.progress.bar} ${pct.padStart(4)} · ${p.progress.plans.done}/${p.progress.plans.total} plans · ${phase} · ${c.cyan(p.status ?? '')}${flags.length ? ` · ${flags.join(' · ')}` : ''}`);
    const range = p.forecast?.completion ? `forecast ${p.forecast.completion.p50} – ${p.forecast.completion.p85}` : p.forecast?.status === 'done' ? null : 'forecast: not enough data';
    out.push(c.dim(`  ${[range, p.lastActivity ? `last activity: ${clip(p.lastActivity, 60)}` : null, p.root].filter(Boolean).join(' · ')}`));
  }
  return out;
}
