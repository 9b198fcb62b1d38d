// A scenario's scripts run on the learner's machine, so they run only once the learner has read
// them and said yes. The yes is kept with a hash of what was read: a script changed since (a pull
// of the collection) is asked about again.
import { createHash } from 'node:crypto';
import { scriptsOf, type Scenario } from './format.js';

/** The hash of every script the scenario would run, with where each runs. */
export function scriptsHash(s: Scenario): string {
  const h = createHash('sha256');
  for (const { where, script } of scriptsOf(s)) h.update(JSON.stringify([where, script.file, script.text])).update('\n');
  return h.digest('hex');
}

/** Whether the learner must be asked: never asked, or asked about other scripts than these. */
export function needsConsent(s: Scenario, agreed: string | undefined): boolean {
  return scriptsOf(s).length > 0 && agreed !== scriptsHash(s);
}

/** What the learner reads before saying yes: each script's name, where it runs, and its text. */
export function consentLines(s: Scenario): string[] {
  const scripts = scriptsOf(s);
  const lines = [
    `"${s.title}" runs ${scripts.length} script${scripts.length === 1 ? '' : 's'} on this machine, as you,`,
    'against a simulated cluster of its own (KUBECONFIG is set to it).',
    'Read them before you say yes. ↑↓ PgUp PgDn scroll.',
    '',
  ];
  for (const { where, script } of scripts) {
    lines.push(`── ${script.file} · ${where} ──`);
    lines.push(...script.text.replace(/\n$/, '').split('\n'));
    lines.push('');
  }
  return lines;
}
