// `kubedojo scenario DIR`: Killercoda scenarios played in the terminal tutor. Without a terminal
// (or with --list) it lists what the folder holds, and why a scenario cannot be played.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { LearnerError, scenarioEntries, type ScenarioEntry } from '../core/index.js';
import { parse, speedOption } from './args.js';
import { importInteractively } from './tutor-command.js';

export const SCENARIO_HELP = `Usage: kubedojo scenario DIR [--list] [--json] [--speed X]

Play Killercoda scenarios offline: DIR is one scenario's folder (with its index.json) or a
folder of them (a cloned scenarios repository). The tutor opens with the scenarios in its F4
list beside the lessons; each plays on a fresh simulated cluster shaped like Killercoda's.

A scenario's set-up and check scripts run on this machine, as you: the first time you open one,
the tutor shows every script and asks before running any. A scenario that needs a real machine
(ssh to a node, systemctl, crictl, docker, etcdctl, kubeadm, helm) is listed with the reason and
not started.

Options:
  --list     print the scenarios and leave (also what happens without a terminal)
  --json     with --list: as JSON
  --speed X  run the simulated cluster's clock X times faster (default 1)
`;

function line(e: ScenarioEntry): string {
  const why = e.error ? `  cannot be read: ${e.error}` : e.unplayable.length ? `  not playable here: ${e.unplayable.join('; ')}` : '';
  return `${e.id}  ${e.title} (${e.steps} step${e.steps === 1 ? '' : 's'})${why ? `\n${why}` : ''}`;
}

export async function scenarioCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { list: { type: 'boolean' }, speed: { type: 'string' } }, { min: 1, max: 1, usage: 'kubedojo scenario DIR [--list] [--json]' });
  if (values.help) {
    process.stdout.write(SCENARIO_HELP);
    return 0;
  }
  const dir = path.resolve(positionals[0]);
  if (!existsSync(dir)) throw new LearnerError(`there is no folder ${dir}`, 'Give the folder of a Killercoda scenario (it holds index.json) or of a collection of them.');
  const entries = scenarioEntries(dir);
  if (!entries.length) throw new LearnerError(`${dir} holds no Killercoda scenario`, 'A scenario is a folder with an index.json; give that folder, or the folder of a collection of them.');
  if (values.list || values.json || !process.stdout.isTTY) {
    if (values.json) process.stdout.write(`${JSON.stringify(entries.map((e) => ({ id: e.id, title: e.title, steps: e.steps, key: e.key, unplayable: e.unplayable, error: e.error ?? null })), null, 2)}\n`);
    else process.stdout.write(`${entries.map(line).join('\n')}\n`);
    return 0;
  }
  const speed = speedOption(values.speed);
  const { runTutor } = await importInteractively(() => import('../tui/main.js'));
  return runTutor({ kubeconfig: values.kubeconfig, context: values.context, speed, scenarios: dir });
}
