import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/tui/markdown.js';

describe('the lesson pane\'s Markdown', () => {
  it('reads headings, paragraphs, code blocks and rules', () => {
    const blocks = parseMarkdown('# Pods\n\nA pod runs\ncontainers.\n\n```yaml\nkind: Pod\n```\n\n---\n');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'code', 'rule']);
    expect(blocks[1]).toEqual({ kind: 'paragraph', inlines: [{ text: 'A pod runs containers.' }] });
    expect(blocks[2]).toEqual({ kind: 'code', lang: 'yaml', lines: ['kind: Pod'] });
  });

  it('reads bold, italic, code and links inside text', () => {
    expect(parseInline('run **kubectl** with `-n x`, *then* see [docs](https://k8s.io)')).toEqual([
      { text: 'run ' },
      { text: 'kubectl', bold: true },
      { text: ' with ' },
      { text: '-n x', code: true },
      { text: ', ' },
      { text: 'then', italic: true },
      { text: ' see ' },
      { text: 'docs (https://k8s.io)' },
    ]);
  });

  it('keeps list items together, with emphasis that spans their lines', () => {
    const [list] = parseMarkdown('- the kubelet speaks the **Container\n  Runtime Interface** to containerd\n- kube-proxy\n\n1. one\n2. two');
    expect(list).toEqual({
      kind: 'list',
      ordered: false,
      items: [[{ text: 'the kubelet speaks the ' }, { text: 'Container Runtime Interface', bold: true }, { text: ' to containerd' }], [{ text: 'kube-proxy' }]],
    });
    expect(parseMarkdown('1. one\n2. two')[0]).toMatchObject({ kind: 'list', ordered: true });
  });
});
