// A Dojo for the Slack tests: real sandbox clusters and a real progress file in a data dir of
// their own, and a small lesson whose first step passes as soon as a Deployment exists, with a
// file of its own that its second step names.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dojo, type DojoLimits } from '../../../src/core/learning/dojo.js';
import { Sandboxes } from '../../../src/core/hosting/sandboxes.js';
import { openProgress } from '../../../src/core/progress/index.js';
import { parseLesson } from '../../../src/core/lessons/loader.js';
import type { Lesson } from '../../../src/core/lessons/types.js';
import { kubectlEnv } from '../../helpers/kubectl.js';

export const LESSON: Lesson = parseLesson(
  `id: slack-drill
title: Ship a web server
summary: Make a Deployment and expose it.
topics: [deployments]
sources: [{ file: 001_109c03d2a4c17646.txt, heading: Running pods with controllers }]
minutes: 5
prerequisites: []
namespaces: [dojo-slack]
files:
  web-service.yaml: |
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      ports:
        - port: 80
steps:
  - id: deploy
    title: Make the Deployment
    explanation: A Deployment keeps pods running.
    tasks:
      - text: Create a Deployment named web from nginx in dojo-slack.
        checks:
          - exists: { kind: deploy, name: web }
    hints: [Deployments can be made from the command line., kubectl create deployment]
    solution: [kubectl create deployment web --image=nginx -n dojo-slack]
    outcome: The Deployment now exists; its controller makes a ReplicaSet.
  - id: expose
    title: Expose it
    explanation: A Service gives the pods one address; \`web-service.yaml\` describes one.
    tasks:
      - text: Create a Service named web for it on port 80.
        checks:
          - exists: { kind: svc, name: web }
          - field: { kind: svc, name: web, path: '{.spec.ports[0].port}', equals: 80 }
    hints: [Look at kubectl expose., kubectl expose deployment web --port 80]
    solution: [kubectl expose deployment web --port 80 -n dojo-slack]
    outcome: The Service selects the pods by their labels.
`,
  'slack-drill.yaml',
);

export interface TestDojo {
  dojo: Dojo;
  sandboxes: Sandboxes;
  home: string;
  close(): Promise<void>;
}

export async function testDojo(limits: Partial<DojoLimits> = {}, home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-slack-'))): Promise<TestDojo> {
  const env = { ...kubectlEnv(), KUBEDOJO_HOME: home };
  const progress = openProgress({ env });
  const sandboxes = await Sandboxes.start({ env });
  const dojo = new Dojo({
    sandboxes,
    learners: (id) => progress.learner(id),
    learnerIds: () => progress.learnerIds(),
    state: progress,
    limits,
    env,
    lessons: [LESSON],
  });
  return { dojo, sandboxes, home, close: () => sandboxes.close() };
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}
