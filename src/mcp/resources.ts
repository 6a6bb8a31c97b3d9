/**
 * Resources: `cairn://state`, `cairn://roadmap`, `cairn://project`, `cairn://handoff`, and the
 * templates `cairn://phase/{id}`, `cairn://plan/{id}`, `cairn://summary/{id}`. Each read takes a
 * fresh snapshot, wraps the text in the data envelope and carries `stateHash` in `_meta`.
 */
import { ResourceTemplate, type McpServer, type ReadResourceResult } from '@modelcontextprotocol/server';
import type { ProjectSource, Snapshot } from './project.ts';
import { envelope, neutralise } from './envelope.ts';
import { resolveDocument } from './documents.ts';
import { resumeReport } from '../ops/resume.ts';
import { isCairnError } from '../model/errors.ts';

export const STATIC_RESOURCES = {
  'cairn://state': { name: 'state', description: 'STATE.md as it is on disk', mimeType: 'text/markdown' },
  'cairn://roadmap': { name: 'roadmap', description: 'ROADMAP.md as it is on disk', mimeType: 'text/markdown' },
  'cairn://project': { name: 'project', description: 'PROJECT.md as it is on disk', mimeType: 'text/markdown' },
  'cairn://handoff': { name: 'handoff', description: 'The last session handoff and what the files now contradict (JSON)', mimeType: 'application/json' },
} as const;

/** The text behind a cairn:// URI, or an error naming what exists. */
export function resourceText(snap: Snapshot, uri: string): string {
  const u = new URL(uri);
  if (u.protocol !== 'cairn:') throw new Error(`not a cairn:// resource: ${uri}`);
  const kind = u.host;
  const id = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (kind === 'handoff') return JSON.stringify(resumeReport(snap.ws, snap.state), null, 1);
  if (!id) return resolveDocument(snap, kind).text;
  return resolveDocument(snap, `${kind}:${id}`).text;
}

function read(source: ProjectSource, uri: URL, mimeType: string): Promise<ReadResourceResult> {
  return source.get().then(
    (snap): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType, text: envelope(neutralise(resourceText(snap, uri.href))) }], _meta: { stateHash: snap.stateHash } }),
  ).catch((e: unknown) => {
    if (isCairnError(e)) throw new Error(`${e.code}: ${e.message}${e.hint ? ` (next: ${e.hint})` : ''}`.split(source.root).join('.'));
    throw e;
  });
}

export function registerResources(server: McpServer, source: ProjectSource): void {
  for (const [uri, meta] of Object.entries(STATIC_RESOURCES)) {
    server.registerResource(meta.name, uri, { description: meta.description, mimeType: meta.mimeType }, (u) => read(source, u, meta.mimeType));
  }
  const templates = [
    ['phase', 'cairn://phase/{id}', 'A phase by id: its state and files (JSON)', 'application/json'],
    ['plan', 'cairn://plan/{id}', 'A PLAN file by plan id (02-01)', 'text/markdown'],
    ['summary', 'cairn://summary/{id}', 'A SUMMARY file by plan id (02-01)', 'text/markdown'],
  ] as const;
  for (const [name, template, description, mimeType] of templates) {
    server.registerResource(name, new ResourceTemplate(template, { list: undefined }), { description, mimeType }, (u) => read(source, u, mimeType));
  }
}
