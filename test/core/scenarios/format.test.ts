import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findScenarios, readScenario, ScenarioFormatError, scriptsOf } from '../../../src/core/scenarios/format.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios');

function scenarioDir(index: unknown, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-scenario-'));
  writeFileSync(path.join(dir, 'index.json'), typeof index === 'string' ? index : JSON.stringify(index));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('reading a Killercoda scenario', () => {
  it('reads the intro, each step with its check, the finish and the scripts in the order they run', () => {
    const s = readScenario(path.join(fixtures, 'settings-map'));
    expect(s.id).toBe('settings-map');
    expect(s.title).toBe('Keep settings in a ConfigMap');
    expect(s.imageid).toBe('kubernetes-kubeadm-2nodes');
    expect(s.intro.text).toContain('namespace `shop`');
    expect(s.intro.background?.text).toContain('kubectl create namespace shop');
    expect(s.steps.map((x) => x.title)).toEqual(['Make the ConfigMap', 'Read it from a pod']);
    expect(s.steps[0].verify?.file).toBe('verify1.sh');
    expect(s.finish.text).toContain('settings live beside the image');
    expect(scriptsOf(s).map((x) => `${x.where}: ${x.script.file}`)).toEqual([
      'set-up (background): setup.sh',
      'step 1 check: verify1.sh',
      'step 2 set-up (background): step2-bg.sh',
      'step 2 check: verify2.sh',
    ]);
  });

  it('reads the older Katacoda names courseData and code as the background and foreground scripts', () => {
    const dir = scenarioDir({ title: 'old', details: { intro: { text: 'i.md', courseData: 'bg.sh', code: 'fg.sh' }, steps: [] } }, { 'i.md': 'hi', 'bg.sh': 'echo bg', 'fg.sh': 'echo fg' });
    const s = readScenario(dir);
    expect(s.intro.background?.text).toBe('echo bg');
    expect(s.intro.foreground?.text).toBe('echo fg');
  });

  it('refuses a file named outside the scenario folder, so a scenario cannot show a private file', () => {
    const dir = scenarioDir({ title: 't', details: { steps: [{ title: 's', text: '../../etc/passwd' }] } });
    expect(() => readScenario(dir)).toThrow(/outside the scenario's folder/);
  });

  it('says what is wrong with broken JSON, a missing details object or a missing page', () => {
    expect(() => readScenario(scenarioDir('{ "title": '))).toThrow(/not valid JSON/);
    expect(() => readScenario(scenarioDir({ title: 't' }))).toThrow(/no "details" object/);
    expect(() => readScenario(scenarioDir({ title: 't', details: { steps: [{ title: 's', text: 'step1.md' }] } }))).toThrow(
      /details\.steps\[0\]\.text names "step1\.md", which is not a file/,
    );
    expect(() => readScenario(os.tmpdir())).toThrow(ScenarioFormatError);
  });
});

describe('finding the scenarios of a collection', () => {
  it('lists every folder with an index.json, courses one level down included, and reports unreadable ones', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-collection-'));
    const good = JSON.stringify({ title: 'ok', details: { steps: [] } });
    for (const [p, text] of [
      ['a/index.json', good],
      ['course/b/index.json', good],
      ['broken/index.json', '{'],
      ['notes/readme.md', 'no scenario here'],
    ]) {
      mkdirSync(path.join(root, path.dirname(p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    }
    const found = findScenarios(root);
    expect(found.map((f) => f.id)).toEqual(['a', 'broken', 'course/b']);
    expect(found.find((f) => f.id === 'broken')).toMatchObject({ error: expect.stringContaining('not valid JSON') });
  });

  it('keeps to structure.json when a collection has one, and ignores paths that leave the collection', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-collection-'));
    const good = JSON.stringify({ title: 'ok', details: { steps: [] } });
    for (const p of ['one', 'two']) {
      mkdirSync(path.join(root, p));
      writeFileSync(path.join(root, p, 'index.json'), good);
    }
    writeFileSync(path.join(root, 'structure.json'), JSON.stringify({ items: [{ path: 'two' }, { path: '../elsewhere' }] }));
    expect(findScenarios(root).map((f) => f.id)).toEqual(['two']);
  });

  it('treats a folder that is itself a scenario as a collection of one', () => {
    expect(findScenarios(path.join(fixtures, 'settings-map')).map((f) => f.id)).toEqual(['settings-map']);
  });
});
