/**
 * Text from planning files (decisions, blockers, todos, phase names…) is untrusted: an agent or a
 * merge may have written anything. It is parsed into a small inline tree and rendered through an
 * allowlist — text, code, strong, emphasis, and links whose scheme is http, https or mailto. Every
 * other construct stays literal text, and hono's JSX escapes all text and attributes, so raw HTML,
 * `javascript:` links and `</script>` show as what they are.
 */
import type { Child } from 'hono/jsx';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The URL when its scheme is allowed and it parses, else null (the link then renders as text). */
export function safeHref(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    return SAFE_SCHEMES.has(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** Inline Markdown subset: `code`, **strong**, *em* / _em_, [text](url). Anything else is text. */
export function parseInline(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length && /[\\`*_[\]()]/.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ type: 'code', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (depth < 3 && (src.startsWith('**', i) || src.startsWith('__', i))) {
      const mark = src.slice(i, i + 2);
      const end = src.indexOf(mark, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ type: 'strong', children: parseInline(src.slice(i + 2, end), depth + 1) });
        i = end + 2;
        continue;
      }
    }
    if (depth < 3 && (ch === '*' || ch === '_') && src[i + 1] !== ' ' && src[i + 1] !== ch) {
      const end = src.indexOf(ch, i + 1);
      if (end > i + 1 && src[end - 1] !== ' ') {
        flush();
        out.push({ type: 'em', children: parseInline(src.slice(i + 1, end), depth + 1) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[' && depth < 3) {
      const close = src.indexOf('](', i + 1);
      const end = close > i ? src.indexOf(')', close + 2) : -1;
      if (close > i && end > close) {
        const href = safeHref(src.slice(close + 2, end));
        if (href !== null) {
          flush();
          out.push({ type: 'link', href, children: parseInline(src.slice(i + 1, close), depth + 1) });
          i = end + 1;
          continue;
        }
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

function renderNodes(nodes: Inline[]): Child[] {
  return nodes.map((n) => {
    switch (n.type) {
      case 'text':
        return n.text;
      case 'code':
        return <code>{n.text}</code>;
      case 'strong':
        return <strong>{renderNodes(n.children)}</strong>;
      case 'em':
        return <em>{renderNodes(n.children)}</em>;
      case 'link':
        return (
          <a href={n.href} rel="noopener noreferrer nofollow" target="_blank">
            {renderNodes(n.children)}
          </a>
        );
      default:
        return null;
    }
  });
}

/** Planning text as allowlisted inline markup. */
export function PlanText({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return <>{renderNodes(parseInline(text))}</>;
}
