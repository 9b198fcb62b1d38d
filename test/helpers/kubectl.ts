// Runs the real kubectl (the one on PATH, or a versioned one beside it) against a kubeconfig.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl on PATH, and kubectl.1.NN binaries found beside its resolved file. */
export function kubectlBinaries(): Record<string, string> {
  const found: Record<string, string> = {};
  let onPath: string;
  try {
    onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  } catch {
    return found;
  }
  if (!onPath) return found;
  found.default = onPath;
  const dir = path.dirname(realpathSync(onPath));
  for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
    const p = path.join(dir, `kubectl.1.${minor}`);
    if (existsSync(p)) found[`1.${minor}`] = p;
  }
  return found;
}

let cacheRoot: string | undefined;

/** One folder per test process holds every kubectl's cache; it goes when the process ends. */
function newCacheDir(): string {
  if (!cacheRoot) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-kubectl-cache-'));
    cacheRoot = root;
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(path.join(cacheRoot, 'kubectl-'));
}

/** Removes every kubectl cache this process made (a test file's afterAll calls it). */
export function removeKubectlCaches(): void {
  if (cacheRoot) rmSync(cacheRoot, { recursive: true, force: true });
  cacheRoot = undefined;
}

export class Kubectl {
  readonly cacheDir = newCacheDir();
  constructor(
    readonly kubeconfig: string,
    readonly binary = kubectlBinaries().default ?? 'kubectl',
  ) {}

  run(args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.binary,
        [...args],
        {
          env: { ...process.env, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: this.cacheDir, HOME: this.cacheDir, NO_COLOR: '1' },
          cwd: opts.cwd,
          timeout: opts.timeoutMs ?? 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      else child.stdin?.end();
    });
  }

  /** Runs and expects success; throws with kubectl's own output otherwise. */
  async ok(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
    const r = await this.run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }
}

/** An environment for kubectl runs that keeps its caches and config in a folder of this process's. */
export function kubectlEnv(): NodeJS.ProcessEnv {
  const dir = newCacheDir();
  return { ...process.env, KUBECACHEDIR: dir, HOME: dir, NO_COLOR: '1' };
}
