// Which modules a started bin/kubedojo loads: a preload (`node --import RECORD`) that writes each
// module its main thread loads to $KUBEDOJO_LOADED (ES modules through a loader hook, CommonJS
// through require), and a reader that names a file of the bundle by the modules it holds.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './serve.js';

/** Writes the preload into `dir` and gives its path, for `node --import`. */
export function moduleRecorder(dir: string): string {
  writeFileSync(
    path.join(dir, 'hook.mjs'),
    `import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function load(url, context, next) { appendFileSync(out, url + '\\n'); return next(url, context); }
`,
  );
  // Worker threads run the same preload; they record nothing, so what is read is one thread's.
  writeFileSync(
    path.join(dir, 'record.mjs'),
    `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
const out = process.env.KUBEDOJO_LOADED;
if (isMainThread) {
  register(new URL('./hook.mjs', import.meta.url), { data: { out } });
  const load = Module._load;
  Module._load = function (request, parent, ...rest) {
    const loaded = load.call(this, request, parent, ...rest);
    try { appendFileSync(out, Module._resolveFilename(request, parent) + '\\n'); } catch {}
    return loaded;
  };
}
`,
  );
  return path.join(dir, 'record.mjs');
}

/** The modules written to `file`, a file of the bundle read as the modules the build recorded it holds. */
export function modulesLoaded(file: string): string[] {
  const holds = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bundle', 'modules.json'), 'utf8')) as Record<string, string[]>;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((m) => (/\/dist\/bundle\/[^/]+$/.test(m) ? (holds[path.basename(m)] ?? [m]).map((i) => `/${i}`) : [m]));
}
