/**
 * The lesson Markdown reader (src/ui/lessons/markdown.ts): structure, and hostile input staying
 * inert text (no HTML node type exists; links keep only http(s) hrefs).
 */
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref, splitSection, type BlockNode, type InlineNode } from '../../../src/ui/lessons/markdown';

/** Every string a renderer would show or put in an attribute. */
function strings(nodes: readonly (BlockNode | InlineNode)[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if ('v' in n) out.push(n.v);
    if ('href' in n) out.push(n.href);
    if ('c' in n) out.push(...strings(n.c));
    if ('items' in n) for (const it of n.items) out.push(...strings(it));
  }
  return out;
}

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, lists and code blocks', () => {
    const doc = parseMarkdown('Intro **bold** and `code`\nsecond line.\n\n## Why\n\n- one\n- two\n  continued\n\n1. first\n2. second\n\n```\nx <y>\n```');
    expect(doc.map((b) => b.t)).toEqual(['p', 'heading', 'ul', 'ol', 'pre']);
    expect(doc[0]).toEqual({
      t: 'p',
      c: [{ t: 'text', v: 'Intro ' }, { t: 'strong', c: [{ t: 'text', v: 'bold' }] }, { t: 'text', v: ' and ' }, { t: 'code', v: 'code' }, { t: 'text', v: ' second line.' }],
    });
    expect(doc[1]).toEqual({ t: 'heading', level: 3, c: [{ t: 'text', v: 'Why' }] });
    expect(doc[2]).toEqual({ t: 'ul', items: [[{ t: 'text', v: 'one' }], [{ t: 'text', v: 'two continued' }]] });
    expect(doc[3]).toMatchObject({ t: 'ol', start: 1 });
    expect(doc[4]).toEqual({ t: 'pre', v: 'x <y>' });
  });

  it('keeps http(s) links and drops every other scheme to its text', () => {
    expect(parseInline('[AWS](https://aws.amazon.com/kms/)')).toEqual([{ t: 'link', href: 'https://aws.amazon.com/kms/', c: [{ t: 'text', v: 'AWS' }] }]);
    for (const href of ['javascript:alert%281%29', 'JaVaScRiPt:void0', 'data:text/html,<script>alert</script>', '//evil.example', '/relative', 'vbscript:x']) {
      const nodes = parseInline(`[click](${href})`);
      expect(nodes).toEqual([{ t: 'text', v: 'click' }]);
    }
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('https://a.example/x y')).toBeNull();
  });

  it('renders HTML and script in every position as plain text', () => {
    const hostile = '<script>alert(1)</script>';
    const md = `# ${hostile}\n\n${hostile} **${hostile}** *${hostile}* \`${hostile}\`\n\n- ${hostile}\n1. [${hostile}](javascript:alert(1))\n\n\`\`\`\n${hostile}\n\`\`\`\n<img src=x onerror=alert(1)>`;
    const doc = parseMarkdown(md);
    const all = strings(doc);
    expect(all.some((s) => s.includes(hostile))).toBe(true); // shown, as text
    expect(all.join('')).not.toContain('javascript:');
    // The only node kinds are the closed set above: no raw HTML node exists.
    const kinds = new Set<string>();
    const walk = (ns: readonly (BlockNode | InlineNode)[]) => {
      for (const n of ns) {
        kinds.add(n.t);
        if ('c' in n) walk(n.c);
        if ('items' in n) n.items.forEach(walk);
      }
    };
    walk(doc);
    for (const k of kinds) expect(['heading', 'p', 'ul', 'ol', 'pre', 'text', 'code', 'strong', 'em', 'link']).toContain(k);
    expect(doc.at(-1)).toEqual({ t: 'p', c: [{ t: 'text', v: '<img src=x onerror=alert(1)>' }] });
  });

  it('survives unbalanced markers and odd input without throwing', () => {
    for (const s of ['**', '`', '[', '[a](', '*', '_a', '```', '#', '1.', '- ', '\r\n\r\n', '[a](b) **c', '\u0000']) {
      expect(() => parseMarkdown(s)).not.toThrow();
    }
    expect(parseInline('2 * 3 * 4')).toEqual([{ t: 'text', v: '2 * 3 * 4' }]);
    expect(parseInline('snake_case_name')).toEqual([{ t: 'text', v: 'snake_case_name' }]);
  });
});

describe('splitSection', () => {
  it('takes the "In real AWS" section out of the body', () => {
    const { rest, section } = splitSection('Intro\n\n## In real AWS\n\nNote.\n\n## Later\nx', 'In real AWS');
    expect(section).toBe('Note.');
    expect(rest).toBe('Intro\n\n## Later\nx');
    expect(splitSection('no section', 'In real AWS')).toEqual({ rest: 'no section', section: '' });
  });
});
