/**
 * The official MCP conformance suite (pinned devDependency) against `cairn mcp --http`: every
 * applicable server scenario of the active suite must pass; the ones that test fixtures of the
 * suite's reference server are listed, with the reason, in conformance-not-applicable.yml.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyProject, remove, tempDir } from '../support/cli.ts';
import { repoRoot } from '../support/corpus.ts';
import { httpServer } from '../support/mcp.ts';

const suite = join(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json'), '..', 'dist', 'index.js');
let root = '';
let server: Awaited<ReturnType<typeof httpServer>>;

beforeAll(async () => {
  root = copyProject(join(repoRoot, 'examples', 'moonlight'));
  server = await httpServer(root);
});
afterAll(async () => {
  await server?.stop();
  remove(root);
});

it('passes every applicable server scenario', () => {
  const out = tempDir('cairn-conformance-');
  const r = spawnSync(process.execPath, [suite, 'server', '--url', server.url, '--expected-failures', join(repoRoot, 'test/mcp/conformance-not-applicable.yml'), '-o', out], {
    cwd: out,
    encoding: 'utf8',
    timeout: 120_000,
  });
  remove(out);
  const summary = r.stdout.slice(r.stdout.indexOf('=== SUMMARY ==='));
  expect(summary, r.stderr).toContain('=== SUMMARY ===');
  for (const s of ['server-initialize', 'logging-set-level', 'ping', 'tools-list', 'resources-list', 'resources-subscribe', 'resources-unsubscribe', 'dns-rebinding-protection']) {
    expect(summary).toMatch(new RegExp(`✓ ${s}: [1-9]\\d* passed, 0 failed`));
  }
  expect(r.status, summary).toBe(0);
});
