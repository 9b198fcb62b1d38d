import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioEnv } from '../../../src/core/scenarios/environment.js';

const run = (script: string, env: NodeJS.ProcessEnv) => execFileSync('bash', ['-c', script], { env, encoding: 'utf8' });

describe('the environment a scenario\'s scripts run in', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scenario-env-'));
  const env = scenarioEnv({ kubeconfig: '/scenario/kubeconfig', home, base: { PATH: process.env.PATH } });

  it('names the scenario cluster\'s kubeconfig', () => {
    expect(run('echo "$KUBECONFIG"', env).trim()).toBe('/scenario/kubeconfig');
  });

  it('runs the command given to sudo, options and all, as the learner', () => {
    expect(run('sudo -E -u root echo hello "two words"', env)).toBe('hello two words\n');
    expect(run('sudo -- printf "%s|" a b', env)).toBe('a|b|');
  });

  it('has k as kubectl in scripts, where an alias would not reach', () => {
    expect(run('k version --client -o json', env)).toMatch(/"clientVersion"/);
  });
});
