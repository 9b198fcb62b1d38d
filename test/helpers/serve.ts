// Starts `bin/kubedojo serve` as a learner would, in its own data dir, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'kubedojo');

export interface ServeProcess {
  child: ChildProcess;
  home: string;
  kubeconfig: string;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `kubedojo serve` with the given args and waits for its `export KUBECONFIG=` line. */
export async function startServe(args: string[] = [], home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-e2e-'))): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, KUBEDOJO_HOME: home, HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<{ kubeconfig: string; url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubedojo serve did not start:\n${out}`)), 30_000);
    const check = () => {
      const kc = /export KUBECONFIG=(\S+)/.exec(out);
      const url = /cluster is up at (\S+)/.exec(out);
      if (kc && url) {
        clearTimeout(timer);
        resolve({ kubeconfig: kc[1], url: url[1] });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`kubedojo serve exited early:\n${out}`));
    });
  });
  return {
    child,
    home,
    ...ready,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}
