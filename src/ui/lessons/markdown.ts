/**
 * A tiny Markdown → node tree reader for lesson prose (issue 6). The tree is rendered by
 * `components/lessons/Markdown.svelte` with `{#each}` and text nodes only: no string ever becomes
 * HTML (`{@html}` is forbidden), so `<script>` in a lesson is shown as the text `<script>`.
 *
 * Supported: `#`…`######` headings (shifted one level down: the lesson title is the h2), paragraphs,
 * `-`/`*` and `1.` lists (one level; indented lines continue the item), fenced code blocks, and
 * inline `code`, **bold**, *emphasis* and [links](https://…). A link keeps its href only when it
 * is http(s); any other scheme (`javascript:`, `data:`, relative) renders as plain text.
 */

/** Inline content. */
export type InlineNode =
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'code'; readonly v: string }
  | { readonly t: 'strong'; readonly c: readonly InlineNode[] }
  | { readonly t: 'em'; readonly c: readonly InlineNode[] }
  | { readonly t: 'link'; readonly href: string; readonly c: readonly InlineNode[] };

/** Block content. */
export type BlockNode =
  | { readonly t: 'heading'; readonly level: 3 | 4 | 5 | 6; readonly c: readonly InlineNode[] }
  | { readonly t: 'p'; readonly c: readonly InlineNode[] }
  | { readonly t: 'ul'; readonly items: readonly (readonly InlineNode[])[] }
  | { readonly t: 'ol'; readonly start: number; readonly items: readonly (readonly InlineNode[])[] }
  | { readonly t: 'pre'; readonly v: string };

/** The href of a link, or null when it is not an absolute http(s) URL. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(href)) return null;
  try {
    const u = new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Reads inline Markdown. */
export function parseInline(s: string): InlineNode[] {
  const out: InlineNode[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i) {
        flush();
        out.push({ t: 'code', v: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (c === '*' && s[i + 1] === '*') {
      const end = s.indexOf('**', i + 2);
      if (end > i + 2) {
        flush();
        out.push({ t: 'strong', c: parseInline(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    } else if ((c === '*' || c === '_') && s[i + 1] !== ' ' && s[i + 1] !== c) {
      const end = s.indexOf(c, i + 1);
      if (end > i + 1 && (c === '*' || !/\w/.test(s[i - 1] ?? ''))) {
        flush();
        out.push({ t: 'em', c: parseInline(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(s.slice(i));
      if (m) {
        flush();
        const label = parseInline(m[1]!);
        const href = safeHref(m[2]!);
        if (href) out.push({ t: 'link', href, c: label });
        else out.push(...label);
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(```|~~~)/;

/** Reads a Markdown document into blocks. */
export function parseMarkdown(src: string): BlockNode[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: BlockNode[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | null = null;
  const endPara = () => {
    if (para.length) out.push({ t: 'p', c: parseInline(para.join(' ')) });
    para = [];
  };
  const endList = () => {
    if (list) {
      const items = list.items.map(parseInline);
      out.push(list.ordered ? { t: 'ol', start: list.start, items } : { t: 'ul', items });
    }
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      endPara();
      endList();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) body.push(lines[i++]!);
      out.push({ t: 'pre', v: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      endPara();
      endList();
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      endPara();
      endList();
      out.push({ t: 'heading', level: Math.min(6, h[1]!.length + 1) as 3 | 4 | 5 | 6, c: parseInline(h[2]!) });
      continue;
    }
    const b = BULLET.exec(line);
    const o = b ? null : ORDERED.exec(line);
    if (b || o) {
      endPara();
      const ordered = o !== null;
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, start: o ? Number(o[1]) : 1, items: [] };
      list.items.push(b ? b[1]! : o![2]!);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    endList();
    para.push(line.trim());
  }
  endPara();
  endList();
  return out;
}

/** Splits off a `## <title>` section (to the next `## ` heading): the rest, and the section's text. */
export function splitSection(body: string, title: string): { rest: string; section: string } {
  const lines = body.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^##\\s+${title}\\s*$`, 'i').test(l.trim()));
  if (start < 0) return { rest: body, section: '' };
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;
  return { rest: [...lines.slice(0, start), ...lines.slice(end)].join('\n'), section: lines.slice(start + 1, end).join('\n').trim() };
}
