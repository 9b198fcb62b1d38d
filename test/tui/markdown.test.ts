// Lesson text read by marked into blocks: what both doors draw.
import { describe, expect, it } from 'vitest';
import { readMarkdown } from '../../src/tui/markdown.js';

describe('lesson Markdown read into blocks', () => {
  it('reads headings, paragraphs, code blocks and rules', () => {
    const blocks = readMarkdown('# Pods\n\nA pod runs\ncontainers.\n\n```yaml\nkind: Pod\n```\n\n---\n');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'code', 'rule']);
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, spans: [{ text: 'Pods' }] });
    expect(blocks[1]).toEqual({ kind: 'paragraph', spans: [{ text: 'A pod runs containers.' }] });
    expect(blocks[2]).toEqual({ kind: 'code', lang: 'yaml', text: 'kind: Pod' });
  });

  it('reads bold, italic, code and links inside text, code without its backticks', () => {
    expect(readMarkdown('run **kubectl** with `-n x`, *then* see [docs](https://k8s.io)')[0]).toEqual({
      kind: 'paragraph',
      spans: [{ text: 'run ' }, { text: 'kubectl', bold: true }, { text: ' with ' }, { text: '-n x', code: true }, { text: ', ' }, { text: 'then', italic: true }, { text: ' see ' }, { text: 'docs', href: 'https://k8s.io' }],
    });
  });

  it('keeps list items together, with emphasis that spans their lines, and nests lists', () => {
    const [list] = readMarkdown('- the kubelet speaks the **Container\n  Runtime Interface** to containerd\n  - over a socket\n- kube-proxy');
    expect(list).toEqual({
      kind: 'list',
      ordered: false,
      start: 1,
      items: [
        [
          { kind: 'paragraph', spans: [{ text: 'the kubelet speaks the ' }, { text: 'Container Runtime Interface', bold: true }, { text: ' to containerd' }] },
          { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'paragraph', spans: [{ text: 'over a socket' }] }]] },
        ],
        [{ kind: 'paragraph', spans: [{ text: 'kube-proxy' }] }],
      ],
    });
    expect(readMarkdown('3. one\n4. two')[0]).toMatchObject({ kind: 'list', ordered: true, start: 3 });
  });

  it('reads a table with its header, rows and alignment', () => {
    expect(readMarkdown('| schedule | runs |\n| :-- | --: |\n| `0 * * * *` | hourly |')[0]).toEqual({
      kind: 'table',
      align: ['left', 'right'],
      header: [[{ text: 'schedule' }], [{ text: 'runs' }]],
      rows: [[[{ text: '0 * * * *', code: true }], [{ text: 'hourly' }]]],
    });
  });

  it('reads a block quote, and keeps <pod> and & as the text they are', () => {
    expect(readMarkdown('> Use `kubectl logs <pod>` & <pod>')[0]).toEqual({
      kind: 'quote',
      blocks: [{ kind: 'paragraph', spans: [{ text: 'Use ' }, { text: 'kubectl logs <pod>', code: true }, { text: ' & <pod>' }] }],
    });
  });
});
