/**
 * Edits for `cairn agents install|uninstall` that touch nothing but Cairn's own entry, so that
 * uninstall gives back every file byte for byte: JSON-with-comments configs get one property
 * spliced in (parsed with jsonc-parser; nothing else is re-serialised or re-formatted), and TOML
 * and Markdown files get one marker-delimited block appended at the end. The begin marker records
 * whether the file was created or a final newline added, so removal knows exactly what to undo.
 */
import { parseTree, findNodeAtLocation, type Node, type ParseError } from 'jsonc-parser';

export type Edit = { kind: 'unchanged' } | { kind: 'write'; text: string } | { kind: 'delete' } | { kind: 'refuse'; reason: string };

// ---------------------------------------------------------------- JSON with comments

/** The one-line value written for our key. */
function jsonValue(value: unknown): string {
  return JSON.stringify(value).replace(/,"/g, ', "').replace(/":/g, '": ');
}

function newJsonFile(container: string, key: string, value: unknown): string {
  return `{\n  "${container}": {\n    "${key}": ${jsonValue(value)}\n  }\n}\n`;
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

function parse(text: string): Node | null {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length || !tree || tree.type !== 'object' ? null : tree;
}

/** Appends `"key": value` as the last property of `obj`, on its own line, in the file's indentation. */
function appendProperty(text: string, obj: Node, key: string, valueText: string): string {
  const props = obj.children ?? [];
  const last = props.at(-1);
  if (last) {
    const at = last.offset + last.length;
    return `${text.slice(0, at)},\n${lineIndent(text, last.offset)}"${key}": ${valueText}${text.slice(at)}`;
  }
  const indent = lineIndent(text, obj.offset);
  const inner = obj.offset + 1;
  // `{}` (or `{ }`) becomes a block; the empty form is restored as `{}` on removal.
  return `${text.slice(0, inner)}\n${indent}  "${key}": ${valueText}\n${indent}${text.slice(obj.offset + obj.length - 1)}`;
}

/** Removes the property `prop` of `obj`, undoing appendProperty. */
function removeProperty(text: string, obj: Node, prop: Node): string {
  const props = obj.children ?? [];
  const i = props.indexOf(prop);
  if (props.length === 1) return `${text.slice(0, obj.offset)}{}${text.slice(obj.offset + obj.length)}`;
  if (i > 0) {
    const prev = props[i - 1]!;
    return text.slice(0, prev.offset + prev.length) + text.slice(prop.offset + prop.length);
  }
  return text.slice(0, prop.offset) + text.slice(props[1]!.offset);
}

export function jsonInstall(before: string | null, container: string, key: string, value: unknown): Edit {
  if (before === null || before.trim() === '') return { kind: 'write', text: newJsonFile(container, key, value) };
  const tree = parse(before);
  if (!tree) return { kind: 'refuse', reason: 'it is not valid JSON (with comments); fix it by hand first' };
  const existing = findNodeAtLocation(tree, [container, key]);
  const valueText = jsonValue(value);
  if (existing) {
    const current = before.slice(existing.offset, existing.offset + existing.length);
    if (current === valueText) return { kind: 'unchanged' };
    return { kind: 'write', text: before.slice(0, existing.offset) + valueText + before.slice(existing.offset + existing.length) };
  }
  const obj = findNodeAtLocation(tree, [container]);
  if (obj && obj.type !== 'object') return { kind: 'refuse', reason: `"${container}" is not an object` };
  // No container yet: add it in one line, so removal can tell it was ours.
  if (!obj) return { kind: 'write', text: appendProperty(before, tree, container, `{"${key}": ${valueText}}`) };
  return { kind: 'write', text: appendProperty(before, obj, key, valueText) };
}

export function jsonUninstall(before: string | null, container: string, key: string, value: unknown): Edit {
  if (before === null) return { kind: 'unchanged' };
  if (before === newJsonFile(container, key, value)) return { kind: 'delete' };
  const tree = parse(before);
  if (!tree) return { kind: 'refuse', reason: 'it is not valid JSON (with comments); remove the cairn entry by hand' };
  const obj = findNodeAtLocation(tree, [container]);
  const prop = obj?.children?.find((p) => p.children?.[0]?.value === key);
  if (!obj || !prop) return { kind: 'unchanged' };
  const containerText = before.slice(obj.offset, obj.offset + obj.length);
  const containerProp = obj.parent!;
  if (obj.children!.length === 1 && containerText === `{"${key}": ${before.slice(prop.children![1]!.offset, prop.offset + prop.length)}}`) {
    return { kind: 'write', text: removeProperty(before, tree, containerProp) };
  }
  return { kind: 'write', text: removeProperty(before, obj, prop) };
}

// ---------------------------------------------------------------- marker blocks (TOML, Markdown)

export interface Markers {
  begin: string;
  end: string;
}

const CREATED = ' (file created)';
const NEWLINE = ' (final newline added)';

function findBlock(text: string, m: Markers): { start: number; end: number; beginLine: string } | null {
  const b = text.indexOf(m.begin);
  if (b < 0) return null;
  const e = text.indexOf(m.end, b);
  if (e < 0) return null;
  const lineEnd = text.indexOf('\n', b);
  let end = e + m.end.length;
  if (text[end] === '\n') end++;
  return { start: b, end, beginLine: text.slice(b, lineEnd < 0 ? undefined : lineEnd) };
}

/** Appends (or replaces) the block `body` between the markers at the end of the file. */
export function blockInstall(before: string | null, m: Markers, body: string): Edit {
  const block = (note: string) => `${m.begin}${note}\n${body.endsWith('\n') ? body : `${body}\n`}${m.end}\n`;
  if (before === null || before === '') return { kind: 'write', text: block(CREATED) };
  const found = findBlock(before, m);
  if (found) {
    const note = found.beginLine.slice(m.begin.length);
    const text = before.slice(0, found.start) + block(note) + before.slice(found.end);
    return text === before ? { kind: 'unchanged' } : { kind: 'write', text };
  }
  return before.endsWith('\n') ? { kind: 'write', text: `${before}\n${block('')}` } : { kind: 'write', text: `${before}\n\n${block(NEWLINE)}` };
}

export function blockUninstall(before: string | null, m: Markers): Edit {
  if (before === null) return { kind: 'unchanged' };
  const found = findBlock(before, m);
  if (!found) return { kind: 'unchanged' };
  const note = found.beginLine.slice(m.begin.length);
  if (note === CREATED && found.start === 0 && found.end === before.length) return { kind: 'delete' };
  let head = before.slice(0, found.start);
  const tail = before.slice(found.end);
  // Undo the separator the install added (a blank line, plus a newline when the file lacked one).
  if (tail === '' && head.endsWith('\n\n')) head = head.slice(0, note === NEWLINE ? -2 : -1);
  return { kind: 'write', text: head + tail };
}
