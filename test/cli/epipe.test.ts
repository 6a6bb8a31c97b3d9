/** A reader that stops early (`cairn … | head`) ends the output quietly, on both paths of the executable. */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cairn } from '../support/cli.ts';
import { generateProject } from '../../bench/generate.ts';
import { RACY_MS } from '../../src/workspace/signature.ts';

/**
 * Runs `cairn … | head -c 1`: a real pipe (Node's own child pipes are socket pairs with buffers
 * large enough to swallow the whole output). The paths travel as bash's positional parameters,
 * never inside the script text.
 */
function closedEarly(args: string[], env: Record<string, string>): { code: number | null; stderr: string } {
  const script = 'set -o pipefail; "$0" "$@" | head -c 1 >/dev/null';
  const r = spawnSync('bash', ['-c', script, process.execPath, bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('stdout closed by the reader', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cairn-epipe-'));
  const root = join(cache, 'project');
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  // 200 phases give ~180 KB of JSON: more than a pipe holds (64 KiB), so the writer meets the closed end.
  beforeAll(async () => {
    await generateProject(root, { phases: 200, plansPerPhase: 10, seed: 3 });
  });

  it('full program (cold): exit 0, no error printed', () => {
    const r = closedEarly(['status', root, '--json'], { CAIRN_NO_CACHE: '1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('kept answer printed by the launcher: exit 0, no error printed', async () => {
    const env = { XDG_CACHE_HOME: cache };
    await new Promise((r) => setTimeout(r, RACY_MS));
    expect(cairn(['status', root, '--json'], { env }).code).toBe(0); // keeps the answer
    const r = closedEarly(['status', root, '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
