// What a scenario's scripts find around them. Killercoda runs them as root on its own machines,
// where `k` is kubectl and `sudo` simply runs the command; the same scripts here run as the
// learner, against the learner's scenario cluster, so the two words are provided as small
// programs and KUBECONFIG names that cluster.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SHIMS: Record<string, string> = {
  k: '#!/bin/sh\nexec kubectl "$@"\n',
  // Options (-E, -n, -u root) are dropped: there is no one else to become, only the command to run.
  sudo: [
    '#!/bin/sh',
    'while [ $# -gt 0 ]; do',
    '  case "$1" in',
    '    -u|-g|-C|-D|-h|-p|-r|-t|-U) shift 2 ;;',
    '    --) shift; break ;;',
    '    -*) shift ;;',
    '    *) break ;;',
    '  esac',
    'done',
    '[ $# -eq 0 ] && exec "${SHELL:-/bin/sh}"',
    'exec "$@"',
    '',
  ].join('\n'),
};

export interface ScenarioEnvOptions {
  /** The scenario cluster's kubeconfig. */
  kubeconfig: string;
  /** A folder of the scenario's own (under kubedojo's data dir); the shims are written in it. */
  home: string;
  base?: NodeJS.ProcessEnv;
}

/** The environment a scenario's scripts and the learner's shell run in while the scenario plays. */
export function scenarioEnv(opts: ScenarioEnvOptions): NodeJS.ProcessEnv {
  const base = opts.base ?? process.env;
  const bin = path.join(opts.home, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, text] of Object.entries(SHIMS)) {
    const file = path.join(bin, name);
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  }
  return { ...base, KUBECONFIG: opts.kubeconfig, PATH: [bin, base.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter) };
}
