// Builds dist/: the generated OpenAPI documents first (they are data the server loads), then tsc,
// then the lessons, quiz and exam banks compiled to JSON (checked as they are).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-openapi.mjs')], { stdio: 'inherit', cwd: root });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: root });
try {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'compile-content.mjs')], { stdio: 'inherit', cwd: root });
} catch {
  process.exit(1); // the compile step said which file is wrong, and where
}

// jail-init, the first process of the Slack bot's kubectl jail, is C: it must run alone in a jail
// that holds no libraries, so it is linked statically. Without a C compiler the bot still runs,
// and says at start that its kubectl runs unjailed.
const jailSource = path.join(root, 'src', 'core', 'kube', 'jail', 'jail-init.c');
const jailInit = path.join(root, 'dist', 'src', 'core', 'kube', 'jail', 'jail-init');
try {
  execFileSync(process.env.CC || 'cc', ['-O2', '-static', '-o', jailInit, jailSource], { stdio: ['ignore', 'ignore', 'pipe'] });
} catch (err) {
  const why = err.code === 'ENOENT' ? 'no C compiler (cc)' : String(err.stderr || err.message).trim().split('\n')[0];
  process.stderr.write(`note: jail-init not built (${why}); the Slack bot will run kubectl without a jail. On Debian: apt-get install gcc libc6-dev bubblewrap\n`);
}

// Then the bundle bin/kubedojo runs, made from dist/src (scripts/bundle.mjs).
execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit', cwd: root });
// Last, the clusters' default states, newer than every file of code that reads them.
execFileSync(process.execPath, [path.join(root, 'scripts', 'compile-cluster-templates.mjs')], { stdio: 'inherit', cwd: root });
