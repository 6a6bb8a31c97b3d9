/**
 * `cairn agents install|uninstall` on real files: only Cairn's key or block changes, install twice
 * equals once, and uninstall gives every file back byte for byte — other servers, comments,
 * formatting, a missing final newline, and files that did not exist included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'jsonc-parser';
import { cairn, remove, tempProject } from '../support/cli.ts';
import { treeSnapshot } from '../support/mcp.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) remove(d);
});

const planning = { '.planning/STATE.md': '# Project State\n\n## Current Position\n\nPhase: 1 of 2 (Setup)\n' };

const existing = {
  '.mcp.json': '{\n  // team servers\n  "mcpServers": {\n    "github": { "command": "gh-mcp" } // keep this\n  }\n}\n',
  '.cursor/mcp.json': '{\n\t"mcpServers": {}\n}',
  '.vscode/mcp.json': '{ "inputs": [], /* no servers yet */ "other": 1 }\n',
  '.gemini/settings.json': '{\n  "theme": "GitHub",\n  "mcpServers": {\n    "db": {"command": "db-mcp", "args": ["--ro"],},\n  },\n}\n',
  '.codex/config.toml': '# my codex\nmodel = "o3"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"',
  'AGENTS.md': '# Agents\n\nRun `npm test` before committing.',
  'CLAUDE.md': '# Claude\n\nBe brief.\n',
};

function run(root: string, ...args: string[]) {
  const r = cairn(['agents', ...args, root]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('cairn agents', () => {
  it('installs into existing files keeping everything else, twice equals once, uninstall restores every byte', () => {
    const root = tempProject({ ...planning, ...existing });
    dirs.push(root);
    const before = treeSnapshot(root);
    run(root, 'install');
    const once = treeSnapshot(root);
    // Every JSON config still parses, keeps the other servers, and has ours.
    const mcp = parse(readFileSync(join(root, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers.github).toEqual({ command: 'gh-mcp' });
    expect(mcp.mcpServers.cairn).toEqual({ command: 'cairn', args: ['mcp'] });
    expect(readFileSync(join(root, '.mcp.json'), 'utf8')).toContain('// keep this');
    expect(parse(readFileSync(join(root, '.gemini/settings.json'), 'utf8')).mcpServers.db.args).toEqual(['--ro']);
    expect(parse(readFileSync(join(root, '.vscode/mcp.json'), 'utf8')).servers.cairn.type).toBe('stdio');
    expect(parse(readFileSync(join(root, '.cursor/mcp.json'), 'utf8')).mcpServers.cairn.command).toBe('cairn');
    const toml = readFileSync(join(root, '.codex/config.toml'), 'utf8');
    expect(toml.startsWith(existing['.codex/config.toml'])).toBe(true);
    expect(toml).toContain('[mcp_servers.cairn]\ncommand = "cairn"\nargs = ["mcp"]');
    const agents = readFileSync(join(root, 'AGENTS.md'), 'utf8');
    expect(agents).toContain('Never edit STATE.md or the');
    const block = agents.slice(agents.indexOf('<!-- cairn:begin'));
    expect(block.length / 4).toBeLessThan(160);
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8')).toContain('\n@AGENTS.md\n');
    expect(readFileSync(join(root, 'GEMINI.md'), 'utf8')).toContain('@AGENTS.md');

    const second = cairn(['agents', 'install', root, '--json']);
    expect(JSON.parse(second.stdout).changed).toEqual([]);
    expect(treeSnapshot(root)).toEqual(once);

    run(root, 'uninstall');
    const after = treeSnapshot(root);
    // Byte for byte (mtimes of rewritten files differ, so compare contents and the set of paths).
    const contents = (m: Map<string, string>) => new Map([...m].filter(([k]) => !k.endsWith('/')).map(([k, v]) => [k, v.slice(v.indexOf('\0') + 1)]));
    expect(contents(after)).toEqual(contents(before));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  it('creates what is missing and uninstall deletes it again, folders included', () => {
    const root = tempProject(planning);
    dirs.push(root);
    const before = [...treeSnapshot(root).keys()].sort();
    run(root, 'install', '--clients', 'claude,codex');
    expect(existsSync(join(root, '.mcp.json'))).toBe(true);
    expect(existsSync(join(root, '.codex/config.toml'))).toBe(true);
    expect(existsSync(join(root, '.cursor'))).toBe(false);
    run(root, 'uninstall');
    expect([...treeSnapshot(root).keys()].sort()).toEqual(before);
  });

  it('--mode cli writes the instructions only; --dry-run writes nothing', () => {
    const root = tempProject(planning);
    dirs.push(root);
    const snap = treeSnapshot(root);
    const dry = run(root, 'install', '--dry-run');
    expect(dry.stdout).toContain('+++ b/.mcp.json');
    expect(treeSnapshot(root)).toEqual(snap);
    run(root, 'install', '--mode', 'cli');
    expect(existsSync(join(root, '.mcp.json'))).toBe(false);
    expect(readFileSync(join(root, 'AGENTS.md'), 'utf8')).toContain('cairn status --brief');
  });

  it('refuses a config it cannot parse and writes nothing', () => {
    const root = tempProject({ ...planning, '.mcp.json': '{ "mcpServers": { broken' });
    dirs.push(root);
    const snap = treeSnapshot(root);
    const r = cairn(['agents', 'install', root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.mcp.json');
    expect(treeSnapshot(root)).toEqual(snap);
  });
});
