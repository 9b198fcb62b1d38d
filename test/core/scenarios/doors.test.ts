// A scenario's scripts run on the machine that plays it: only the terminal tutor, on the
// learner's own machine, may. The Slack bot runs on a shared server, so nothing it is made of
// names what plays a scenario or runs its scripts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PLAYING = ['ScenarioPlay', 'runScript', 'scenarioEnv', 'openScenarioProgress', 'scenarioEntries', 'scenarios/play', 'scenarios/environment'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(n) ? [p] : [];
  });
}

describe('the Slack door and scenarios', () => {
  it('names nothing that plays a scenario or runs its scripts', () => {
    const found = files(path.join(root, 'adapters')).flatMap((f) => PLAYING.filter((name) => readFileSync(f, 'utf8').includes(name)).map((name) => `${path.relative(root, f)}: ${name}`));
    expect(found).toEqual([]);
  });
});
