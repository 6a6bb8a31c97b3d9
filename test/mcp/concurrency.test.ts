/**
 * 4 MCP servers (real child processes over stdio) and 4 CLI processes writing decisions at the same
 * time: every change is kept, and every file still parses.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { bin, cairn, copyProject, remove } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';
import { stdioClient, textOf } from '../support/mcp.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const EACH = 2;

function cli(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

it('keeps every change of 4 MCP servers and 4 CLIs writing at once', async () => {
  const root = copyProject(join(repoRoot, 'examples', 'moonlight'));
  cleanup.push(() => remove(root));
  const servers = await Promise.all([0, 1, 2, 3].map(() => stdioClient(root)));
  for (const s of servers) cleanup.unshift(s.close);
  const viaMcp = servers.map(async ({ client }, i) => {
    for (let n = 0; n < EACH; n++) {
      const r = await client.callTool({ name: 'cairn_note', arguments: { kind: 'decision', text: `mcp ${i} decision ${n}` } });
      expect(r.isError, textOf(r)).toBeFalsy();
    }
  });
  const viaCli = [0, 1, 2, 3].map(async (i) => {
    for (let n = 0; n < EACH; n++) expect(await cli(['decide', `cli ${i} decision ${n}`, '--dir', root])).toBe(0);
  });
  await Promise.all([...viaMcp, ...viaCli]);

  const list = cairn(['log', 'decisions', root, '--json', '--limit', '1000']);
  expect(list.code, list.stderr).toBe(0);
  const texts = JSON.stringify(JSON.parse(list.stdout));
  for (let i = 0; i < 4; i++) for (let n = 0; n < EACH; n++) {
    expect(texts).toContain(`mcp ${i} decision ${n}`);
    expect(texts).toContain(`cli ${i} decision ${n}`);
  }
  const check = cairn(['check', root, '--json']);
  const errors = (JSON.parse(check.stdout).diagnostics as { severity: string; rule: string }[]).filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
});
