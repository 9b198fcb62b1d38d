// Bundles the compiled command into dist/bundle/: one file per entry point (the command, the
// tutor's cluster worker and the Slack bot's sandbox worker) plus the chunks they share or load
// on demand. Node resolves and compiles a few files instead of hundreds of modules across dist/
// and node_modules, which is most of what starting the command used to cost. Runs after tsc (it bundles dist/src) and after
// jail-init is built (it places a copy beside the bundle, where the jail looks for it).
import { build } from 'esbuild';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = path.join(root, 'dist', 'src');
const out = path.join(root, 'dist', 'bundle');

// The Kubernetes client library declares no side effects either way, so esbuild keeps all of it
// (generated models for every API) wherever the core's facade is imported, even by `serve`, which
// never uses it. Its modules only declare; marked so, what nobody imports is left out.
const pureClientLibrary = {
  name: 'pure-client-library',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      if (args.pluginData) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: true });
      return { ...resolved, sideEffects: false };
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // node-pty is native code; Ink names its devtools only for a development setting; the Slack
  // bot's framework is loaded from node_modules as published (its own start is not on this path).
  external: ['node-pty', 'react-devtools-core', '@slack/bolt'],
  // React and Ink pick their production builds, as a published program should: the development
  // builds check every render and take several times as long to draw a frame.
  define: { 'process.env.NODE_ENV': '"production"' },
  // The CommonJS packages inside an ES module bundle still call require and read __dirname.
  banner: {
    js: [
      "import { createRequire as __kdCreateRequire } from 'node:module';",
      "import { fileURLToPath as __kdFileURLToPath } from 'node:url';",
      "import { dirname as __kdDirname } from 'node:path';",
      'const require = __kdCreateRequire(import.meta.url);',
      'const __filename = __kdFileURLToPath(import.meta.url);',
      'const __dirname = __kdDirname(__filename);',
    ].join('\n'),
  },
  plugins: [pureClientLibrary],
  logLevel: 'warning',
};

rmSync(out, { recursive: true, force: true });
const split = await build({
  ...common,
  // The workers' files sit beside the chunk that starts them, where worker-sandboxes.ts and
  // serve.ts look for them.
  entryPoints: { cli: path.join(src, 'cli.js'), 'sandbox-worker': path.join(src, 'core', 'hosting', 'sandbox-worker.js') },
  outdir: out,
  splitting: true,
  absWorkingDir: root,
  metafile: true,
});
// Which modules each file of the bundle holds: what a command loads is then known by module, as a
// test of what `lessons` or `check` bring along needs it.
const holds = {};
for (const [file, o] of Object.entries(split.metafile.outputs)) holds[path.basename(file)] = Object.keys(o.inputs);
writeFileSync(path.join(out, 'modules.json'), `${JSON.stringify(holds)}\n`);

// `kubedojo serve`, and the tutor's cluster thread, each in one file without splitting: chunks
// shared with the other commands would bring along code only those use (the Kubernetes client
// library among it). bin/kubedojo picks serve.js for `serve`; it runs the command cli.js runs.
await build({ ...common, entryPoints: { 'serve-worker': path.join(src, 'core', 'hosting', 'serve-worker.js') }, outdir: out });
await build({
  ...common,
  stdin: {
    contents: "import { serveCommand } from './cli/serve-command.js';\nimport { finish } from './cli/outcome.js';\nawait finish(serveCommand(process.argv.slice(3)));\n",
    resolveDir: src,
    sourcefile: 'serve.js',
  },
  outfile: path.join(out, 'serve.js'),
});

const jailInit = path.join(src, 'core', 'kube', 'jail', 'jail-init');
if (existsSync(jailInit)) copyFileSync(jailInit, path.join(out, 'jail-init'));
