export { MarkdownDocument, parseMarkdown } from './document.ts';
export { applyEdits } from './edits.ts';
export { lineStartOf } from './sections.ts';
export { parseYamlFrontmatter, type YamlFrontmatter } from './yaml.ts';
export type {
  Block,
  Blockquote,
  Code,
  Edit,
  Frontmatter,
  Heading,
  Html,
  List,
  ListItem,
  Paragraph,
  Section,
  Span,
  Table,
  TableCell,
  TableRow,
  TextLine,
  ThematicBreak,
} from './types.ts';
