// `kubedojo scenario DIR` as a script meets it: without a terminal it lists the folder's
// scenarios, an unplayable one with its reason, as text and JSON.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/serve.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'scenarios');
const home = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scenario-cli-'));

function kd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, KUBEDOJO_HOME: home, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
    });
  });
}

describe('kubedojo scenario', () => {
  it('prints its help, naming the consent and what cannot be played', async () => {
    const r = await kd(['scenario', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kubedojo scenario DIR/);
    expect(r.stdout).toContain('asks before running any');
    expect(r.stdout).toContain('ssh to a node');
  });

  it('lists a collection without a terminal, an unplayable scenario with its reason', async () => {
    const r = await kd(['scenario', path.join(fixtures, 'garden')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'water-fern  Water the fern (2 steps)\n' +
        'node-login  Look around a node (1 step)\n' +
        "  not playable here: it logs in to a node with ssh, and kubedojo's nodes are simulated: there is no machine to log in to\n",
    );
  });

  it('lists one scenario\'s folder as JSON, with the key its progress is kept under', async () => {
    const r = await kd(['scenario', path.join(fixtures, 'settings-map'), '--list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ id: 'settings-map', title: 'Keep settings in a ConfigMap', steps: 2, key: path.join(fixtures, 'settings-map'), unplayable: [], error: null }]);
  });

  it('says what to give when the folder holds no scenario (exit 1), and how to call it when no folder is given (exit 2)', async () => {
    const none = await kd(['scenario', mkdtempSync(path.join(os.tmpdir(), 'kubedojo-empty-'))]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('holds no Killercoda scenario');
    const missing = await kd(['scenario']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: kubedojo scenario DIR');
  });
});
