import { describe, expect, it } from 'vitest';
import { blockLabel, pasteOf, preparePage } from '../../../src/core/scenarios/page-text.js';

describe('a scenario page made ready to show', () => {
  it('removes the exec and copy markers after code blocks and numbers each block', () => {
    const p = preparePage('Make it:\n\n```\nkubectl create ns a\n```{{exec}}\n\nThen:\n\n```bash\nkubectl get ns\n```{{copy}}\n');
    expect(p.markdown).not.toMatch(/\{\{/);
    expect(p.blocks).toEqual(['kubectl create ns a', 'kubectl get ns']);
    expect(p.markdown).toContain(blockLabel(1));
    expect(p.markdown).toContain(blockLabel(2));
    expect(p.markdown).toContain('```bash\nkubectl get ns\n```');
    expect(p.pageBlocks).toBe(2);
  });

  it('numbers inline code marked to run, and drops markers with options', () => {
    const p = preparePage('Look with `kubectl get pods`{{exec}} or `ls`{{execute T2}}; stray {{exec interrupt}} goes.');
    expect(p.blocks).toEqual(['kubectl get pods', 'ls']);
    expect(p.markdown).toBe('Look with `kubectl get pods` *[1]* or `ls` *[2]*; stray  goes.');
  });

  it('takes details blocks out of the page as hints, telling solutions apart, their blocks numbered after the page\'s', () => {
    const p = preparePage('Do it.\n\n```\nkubectl get pods\n```{{exec}}\n\n<details><summary>Hint</summary>\n\nUse `run`.\n\n</details>\n\n<details>\n<summary><b>Solution</b></summary>\n\n```\nkubectl run x --image=y\n```{{exec}}\n</details>\n');
    expect(p.markdown).not.toMatch(/details|summary|Use `run`/);
    expect(p.hints.map((h) => [h.title, h.solution])).toEqual([
      ['Hint', false],
      ['Solution', true],
    ]);
    expect(p.hints[0].text).toBe('Use `run`.');
    expect(p.hints[1].blocks).toEqual([2]);
    expect(p.hints[1].text).toContain(blockLabel(2));
    expect(p.blocks).toEqual(['kubectl get pods', 'kubectl run x --image=y']);
    expect(p.pageBlocks).toBe(1);
  });

  it('calls a details block without a summary a hint', () => {
    expect(preparePage('<details>\nTry `kubectl explain`.\n</details>').hints).toEqual([{ title: 'Hint', text: 'Try `kubectl explain`.', solution: false, blocks: [] }]);
  });

  it('pastes a block as one bracketed paste, so a multi-line block waits for Enter and cannot end the paste early', () => {
    expect(pasteOf('a\r\nb')).toBe('\u001b[200~a\nb\u001b[201~');
    expect(pasteOf('x\u001b[201~; rm -rf ~')).toBe('\u001b[200~x; rm -rf ~\u001b[201~');
  });
});
