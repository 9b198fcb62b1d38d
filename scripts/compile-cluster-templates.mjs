// Writes each cluster shape's default state to dist/content/cluster-SHAPE.json, made through the
// simulated API exactly as a new cluster is (factory.ts): a cluster on the learner's clock is then
// made from it, its own CA, uids and times put in, instead of being bootstrapped at every start.
// Runs last in the build: a template older than the code that reads it is not used.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { clusterTemplateText } = await import(path.join(root, 'dist', 'src', 'core', 'cluster', 'factory.js'));
const { CLUSTER_SHAPES } = await import(path.join(root, 'dist', 'src', 'core', 'cluster', 'shapes.js'));
const out = path.join(root, 'dist', 'content');
mkdirSync(out, { recursive: true });
for (const shape of CLUSTER_SHAPES) writeFileSync(path.join(out, `cluster-${shape}.json`), clusterTemplateText(shape));
