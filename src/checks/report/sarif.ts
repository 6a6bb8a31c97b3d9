/**
 * SARIF 2.1.0 for code scanning (`github/codeql-action/upload-sarif`): one run, the tool's rules
 * with their help text (stable ids, see ../rules.ts), one result per diagnostic. Paths are
 * relative to the repository (`%SRCROOT%`), which is what code scanning resolves.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../model/diagnostic.ts';
import { ruleInfo } from '../rules.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFO_URI = 'https://www.npmjs.com/package/cairn-planning';

function level(d: Diagnostic): 'error' | 'warning' | 'note' {
  return d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note';
}

export function sarifReport(diagnostics: readonly Diagnostic[], opts: { version: string; pathPrefix?: string }): object {
  const prefix = opts.pathPrefix ?? '';
  const ids = [...new Set(diagnostics.map((d) => d.rule))].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => {
    const info = ruleInfo(id);
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_m: string, _s: string, ch: string) => ch.toUpperCase()),
      shortDescription: { text: info.short },
      fullDescription: { text: info.short },
      help: { text: info.help, markdown: info.help },
      helpUri: `${INFO_URI}#checks`,
      properties: { tags: ['planning'] },
    };
  });
  const results = diagnostics.map((d) => {
    const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: encodeUri(prefix + d.file), uriBaseId: '%SRCROOT%' } };
    if (d.line > 0) physicalLocation.region = { startLine: d.line, startColumn: Math.max(1, d.column) };
    return {
      ruleId: d.rule,
      ruleIndex: index.get(d.rule)!,
      level: level(d),
      message: { text: d.hint ? `${d.message}\nNext: ${d.hint}` : d.message },
      locations: [{ physicalLocation }],
      // Stable across runs while the problem stays the same, so code scanning tracks one alert.
      partialFingerprints: { 'cairn/v1': createHash('sha256').update(`${d.rule}\0${prefix}${d.file}\0${d.message}`).digest('hex').slice(0, 32) },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'cairn', semanticVersion: opts.version, informationUri: INFO_URI, rules } }, results }],
  };
}

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
