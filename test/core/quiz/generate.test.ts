// Quiz items generated from notes: each rule on a small fixture, the guarantees every item keeps
// (no answer in its question, a citation of the right line, stable ids), and a run on the shared
// study notes that reports how many usable items they yield.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itemProblem } from '../../../src/core/quiz/bank.js';
import { generateItems, type Generated } from '../../../src/core/quiz/generate.js';
import { containsWords } from '../../../src/core/quiz/generate/text.js';
import { readNotesDir } from '../../../src/core/quiz/notes-dir.js';
import type { ChoiceItem, Item, ShortItem } from '../../../src/core/quiz/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const notesDir = path.resolve(repoRoot, '..', 'shared', 'notes');

function gen(text: string, file = 'notes/k8s.md'): Generated {
  return generateItems([{ path: file, text }]);
}

function shorts(g: Generated): ShortItem[] {
  return g.items.filter((i): i is ShortItem => i.kind === 'short');
}

function choices(g: Generated): ChoiceItem[] {
  return g.items.filter((i): i is ChoiceItem => i.kind === 'choice');
}

function rightChoice(i: ChoiceItem): string {
  return i.choices[i.answer as number];
}

const DEFINITIONS = `# Workloads

Cluster
: A set of servers that each run a container runtime and act as one.

Node
: One of the machines of the cluster, running the kubelet.

Controller
: Something that compares current and desired state and closes the gap.

## Lists

* Pods - the smallest unit Kubernetes schedules onto a node
* Namespaces - folders that keep the objects of different teams apart
- Labels - key and value pairs used to select groups of objects
Selector: an expression that picks objects by their labels and values
`;

const BOLD = `## Networking

Pods come and go. **Services** are stable addresses in front of a changing set of pods.
The __kubelet__ is the agent on every node that starts the containers of its pods.
Traffic is spread by a component called the __kube-proxy__ on each node.
__etcd__ is the key-value store that holds the whole state of the cluster.
**Never run this in production.**
`;

const TABLES = `## Components

| component | runs on | job |
|-----------|---------|-----|
| kube-scheduler | control plane | picks a node for each new pod |
| kubelet | every node | starts containers and reports their status |
| kube-proxy | every node | programs the rules that route Service traffic |

### Short names

\`\`\`
NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND
pods          po           v1           true         Pod
services      svc          v1           true         Service
secrets                    v1           true         Secret
deployments   deploy       apps/v1      true         Deployment
\`\`\`
`;

const COMMANDS = `## Everyday commands

\`\`\`bash
# list the pods of a namespace
kubectl get pods -n shop
# follow the log of a pod
kubectl logs -f web
# count the pods
kubectl get pods | wc -l
echo done
\`\`\`

Scale a deployment to five copies:

    kubectl scale deployment web --replicas=5

To use this context:

    kubectl config use-context dev
`;

const JUNK = `---
layout: post
title: Notes
---

# {{ page.title }}

Docs: https://kubernetes.io/docs/home/
NOTE: this is only a remark about something else entirely
Run with: \`minikube start\`
* Pod - small
* Nodes - {{ site.nodes }} and more words here
minikube: Running
kubectl: Correctly Configured: pointing to minikube-vm at 10.0.0.1
`;

describe('generateItems: extraction rules', () => {
  it('turns a Markdown definition list into name-the-term questions', () => {
    const g = gen(DEFINITIONS);
    const cluster = shorts(g).find((i) => i.answer === 'Cluster');
    expect(cluster?.question).toContain('A set of servers that each run a container runtime');
    expect(cluster?.source).toEqual({ file: 'k8s.md', heading: 'Workloads', line: 3 });
    expect(g.rules[cluster!.id]).toBe('definition-list');
    const choice = choices(g).find((i) => rightChoice(i) === 'Cluster');
    expect(choice?.choices.length).toBe(4);
    // Wrong choices are other defined terms of the same notes.
    for (const c of choice!.choices) expect(['Cluster', 'Node', 'Controller', 'Pods', 'Namespaces', 'Labels', 'Selector']).toContain(c);
  });

  it('reads "- Term - definition" and "Term: definition" lines', () => {
    const g = gen(DEFINITIONS);
    const pods = shorts(g).find((i) => i.answer === 'Pods');
    expect(pods?.question).toContain('the smallest unit Kubernetes schedules onto a node');
    expect(g.rules[pods!.id]).toBe('term-dash');
    expect(pods?.source.heading).toBe('Lists');
    expect(pods?.topic).toBe('pods');
    const selector = shorts(g).find((i) => i.answer === 'Selector');
    expect(g.rules[selector!.id]).toBe('term-colon');
    expect(selector?.topic).toBe('labels');
    expect(selector?.source.line).toBe(17);
  });

  it('asks for a bold term with its explanation, hiding the term', () => {
    const g = gen(BOLD);
    const services = shorts(g).find((i) => i.answer === 'Services');
    expect(services?.question).toContain('___ are stable addresses in front of a changing set of pods');
    expect(services?.explanation).toContain('Services are stable addresses');
    expect(services?.topic).toBe('services');
    expect(shorts(g).find((i) => i.answer === 'kubelet')?.question).toContain('The ___ is the agent on every node');
    expect(shorts(g).find((i) => i.answer === 'kube-proxy')?.question).toContain('a component called the ___');
    expect(shorts(g).find((i) => i.answer === 'etcd')?.topic).toBe('architecture');
    expect(choices(g).find((i) => rightChoice(i) === 'etcd')?.question).toMatch(/^Which of these is described here\?/);
    // A bold sentence is emphasis, not a term.
    expect(g.items.some((i) => /production/i.test(i.kind === 'short' ? i.answer : ''))).toBe(false);
  });

  it('turns table rows into "which one" questions and short-name tables into short-name questions', () => {
    const g = gen(TABLES);
    const sched = shorts(g).find((i) => i.answer === 'kube-scheduler' && i.question.includes('picks'));
    expect(sched?.question).toBe('Which component has “picks a node for each new pod” in the column “job”?');
    expect(sched?.source.line).toBe(5);
    expect(g.rules[sched!.id]).toBe('table');
    // "every node" is shared by two rows: it tells neither apart, so it is skipped.
    expect(g.items.some((i) => i.question.includes('every node'))).toBe(false);
    expect(g.skipped.some((s) => /shared by several rows/.test(s.why))).toBe(true);
    const po = shorts(g).find((i) => i.question.includes('`pods`'));
    expect(po?.answer).toBe('po');
    expect(po?.source).toEqual({ file: 'k8s.md', heading: 'Short names', line: 13 });
    expect(po?.topic).toBe('pods');
    expect(g.rules[po!.id]).toBe('short-names');
    const svc = choices(g).find((i) => i.question.includes('`svc`'));
    expect(rightChoice(svc!)).toBe('services');
    expect(svc!.choices.sort()).toEqual(['deployments', 'pods', 'services']);
    // A resource without a short name makes no question.
    expect(g.items.some((i) => i.question.includes('`secrets`'))).toBe(false);
  });

  it('turns a commented command, or a command after a lead-in line, into a "which command" question', () => {
    const g = gen(COMMANDS);
    const list = shorts(g).find((i) => i.answer === 'kubectl get pods -n shop');
    expect(list?.question).toBe('Which kubectl command does this: list the pods of a namespace?');
    expect(list?.accept).toEqual(['kubectl get pods -n shop']);
    expect(list?.topic).toBe('kubectl');
    expect(list?.source.line).toBe(5);
    expect(g.rules[list!.id]).toBe('command-comment');
    expect(shorts(g).find((i) => i.answer === 'kubectl logs -f web')).toBeDefined();
    const scale = shorts(g).find((i) => i.answer === 'kubectl scale deployment web --replicas=5');
    expect(scale?.question).toBe('Which kubectl command does this: scale a deployment to five copies?');
    expect(g.rules[scale!.id]).toBe('command-lead-in');
    // A pipe is shell, not kubectl; "this context" means nothing out of place.
    expect(g.items.some((i) => i.kind === 'short' && /wc -l|use-context/.test(i.answer))).toBe(false);
    expect(g.skipped.map((s) => s.why).join('\n')).toMatch(/shell features[\s\S]*points elsewhere|points elsewhere[\s\S]*shell features/);
  });

  it('skips front matter, templating, URL-only and too-short fragments and program output, saying why', () => {
    const g = gen(JUNK);
    expect(g.items).toEqual([]);
    const why = g.skipped.map((s) => `${s.line} ${s.why}`).join('\n');
    expect(why).toMatch(/^8 .*only a URL/m);
    expect(why).toMatch(/^9 .*remark/m);
    expect(why).toMatch(/^10 .*clause/m);
    expect(why).toMatch(/^11 .*too short/m);
    expect(why).toMatch(/^12 .*templating/m);
    expect(why).toMatch(/^14 .*program output/m);
    // Nothing from the front matter is read as a "layout: post" definition.
    expect(g.skipped.some((s) => s.line <= 4)).toBe(false);
  });

  it('skips a question it has already asked', () => {
    const g = gen(`${DEFINITIONS}\n## Again\n\n* Pods - the smallest unit Kubernetes schedules onto a node\n`);
    expect(shorts(g).filter((i) => i.answer === 'Pods')).toHaveLength(1);
    expect(g.skipped.some((s) => /duplicate/.test(s.why))).toBe(true);
  });

  it('finds plain-text headings in notes without Markdown headings', () => {
    const g = gen('Overview\n\nSome words here.\n\nScheduling\n\n* Taints - marks on a node that repel pods without a toleration\n', 'notes/plain.txt');
    const taints = shorts(g).find((i) => i.answer === 'Taints');
    expect(taints?.source).toEqual({ file: 'plain.txt', heading: 'Scheduling', line: 7 });
    expect(taints?.topic).toBe('scheduling');
  });
});

describe('generateItems: guarantees', () => {
  const all = generateItems([
    { path: 'a/defs.md', text: DEFINITIONS },
    { path: 'a/bold.md', text: BOLD },
    { path: 'a/tables.md', text: TABLES },
    { path: 'a/commands.md', text: COMMANDS },
    { path: 'a/junk.md', text: JUNK },
  ]);

  it('never puts the answer in the question', () => {
    expect(all.items.length).toBeGreaterThan(20);
    for (const i of all.items) expect(leaks(i), i.id).toBe(false);
  });

  it('cites the line that holds the answer', () => {
    const texts: Record<string, string[]> = { 'defs.md': DEFINITIONS.split('\n'), 'bold.md': BOLD.split('\n'), 'tables.md': TABLES.split('\n'), 'commands.md': COMMANDS.split('\n') };
    for (const i of all.items) {
      const line = texts[i.source.file][i.source.line! - 1];
      expect(relates(line, i), `${i.id}: ${line}`).toBe(true);
    }
  });

  it('gives ids that are stable across runs and unique', () => {
    const again = generateItems([
      { path: 'a/defs.md', text: DEFINITIONS },
      { path: 'a/bold.md', text: BOLD },
      { path: 'a/tables.md', text: TABLES },
      { path: 'a/commands.md', text: COMMANDS },
      { path: 'a/junk.md', text: JUNK },
    ]);
    expect(again.items).toEqual(all.items);
    expect(new Set(all.items.map((i) => i.id)).size).toBe(all.items.length);
    for (const i of all.items) expect(i.id).toMatch(new RegExp(`^gen-${i.source.file.replace(/\.md$/, '')}-${i.source.line}-\\d+$`));
  });

  it('keeps ids apart when two folders hold files of the same name', () => {
    const g = generateItems([
      { path: 'a/intro.md', text: DEFINITIONS },
      { path: 'b/intro.md', text: BOLD },
    ]);
    const ids = g.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.startsWith('gen-intro-2-'))).toBe(true);
  });

  it('makes items the quiz bank accepts, all of difficulty 1', () => {
    for (const i of all.items) {
      expect(itemProblem(i), i.id).toBeUndefined();
      expect(i.difficulty).toBe(1);
    }
  });
});

describe('readNotesDir', () => {
  it('reads every Markdown and text file of a folder, recursively and sorted', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-notes-'));
    try {
      mkdirSync(path.join(dir, 'sub'));
      writeFileSync(path.join(dir, 'b.md'), 'b');
      writeFileSync(path.join(dir, 'a.txt'), 'a');
      writeFileSync(path.join(dir, 'sub', 'c.markdown'), 'c');
      writeFileSync(path.join(dir, 'image.png'), 'x');
      expect(readNotesDir(dir).map((f) => path.relative(dir, f.path))).toEqual(['a.txt', 'b.md', path.join('sub', 'c.markdown')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generateItems on the shared study notes', () => {
  const present = existsSync(notesDir);
  if (!present) console.warn(`skipping: the study notes folder ${notesDir} is missing`);

  it.skipIf(!present)('yields a healthy number of valid items, each citing a line that holds its answer', () => {
    const files = readNotesDir(notesDir);
    const g = generateItems(files);
    const perFile: Record<string, number> = {};
    const perRule: Record<string, number> = {};
    for (const i of g.items) {
      perFile[i.source.file] = (perFile[i.source.file] ?? 0) + 1;
      perRule[g.rules[i.id]] = (perRule[g.rules[i.id]] ?? 0) + 1;
    }
    console.log(`generated ${g.items.length} items from ${files.length} files (${g.skipped.length} fragments skipped)`);
    console.log('per file:', perFile);
    console.log('per rule:', perRule);
    console.log('per kind:', { short: g.items.filter((i) => i.kind === 'short').length, choice: g.items.filter((i) => i.kind === 'choice').length });

    // 384 at the time of writing; the bound leaves room for small changes to the notes.
    expect(g.items.length).toBeGreaterThanOrEqual(330);
    for (const f of ['000_b44c87d83669d31f.txt', '001_109c03d2a4c17646.txt', '002_026ea4e5c9bb7924.txt', '003_dd2242a19d25c0d1.txt', '004_e4fbba2f862c9c63.txt']) expect(perFile[f] ?? 0, f).toBeGreaterThanOrEqual(10);
    for (const r of ['term-colon', 'term-dash', 'definition-list', 'bold', 'quoted', 'table', 'short-names', 'command-comment', 'command-lead-in']) expect(perRule[r] ?? 0, r).toBeGreaterThan(0);

    const byName = new Map(files.map((f) => [path.basename(f.path), f.text.split(/\r?\n/)]));
    for (const i of g.items) {
      expect(itemProblem(i), i.id).toBeUndefined();
      expect(i.question.trim(), i.id).not.toBe('');
      expect(leaks(i), `${i.id}: ${i.question}`).toBe(false);
      const lines = byName.get(i.source.file)!;
      expect(i.source.line, i.id).toBeGreaterThanOrEqual(1);
      expect(i.source.line, i.id).toBeLessThanOrEqual(lines.length);
      const line = lines[i.source.line! - 1];
      expect(relates(line, i), `${i.id} cites "${line}"`).toBe(true);
      // The heading cited is a whole line of the file (with or without its #s).
      if (i.source.heading) expect(lines.some((l) => l.replace(/^\s*#+\s*/, '').trim() === i.source.heading), `${i.id}: ${i.source.heading}`).toBe(true);
    }
  });
});

function answerOf(i: Item): string {
  if (i.kind === 'choice') return i.choices[i.answer as number];
  return i.answer;
}

function leaks(i: Item): boolean {
  const a = answerOf(i);
  return !a.trim() || containsWords(i.question, a);
}

/** The cited line names the answer (a command's line holds the command). */
function relates(line: string, i: Item): boolean {
  const a = answerOf(i);
  return line.includes(a) || containsWords(line, a) || (i.kind === 'short' && (i.accept ?? []).some((x) => containsWords(line, x)));
}
