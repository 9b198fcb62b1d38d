// Looking closer at one object from the cluster pane, as k9s does: describe, logs or YAML, each by
// the real kubectl in the learner's environment, so it reads as it would in their shell.
import type { Target } from '../lessons/workspace.js';
import { kubectlOn } from '../lessons/workspace.js';

export type Inspection = 'describe' | 'logs' | 'yaml';

/** The kubectl words for a look at an object; logs only for pods. */
export function inspectionArgs(how: Inspection, kind: string, name: string, namespace: string): string[] | undefined {
  if (how === 'describe') return ['describe', kind, name, '-n', namespace];
  if (how === 'yaml') return ['get', kind, name, '-n', namespace, '-o', 'yaml'];
  return kind === 'pods' ? ['logs', name, '-n', namespace, '--all-containers', '--tail=500'] : undefined;
}

/** What kubectl prints for it, or what went wrong in the words kubectl used. */
export async function inspect(target: Target, how: Inspection, kind: string, name: string, namespace: string): Promise<{ command: string; text: string }> {
  const args = inspectionArgs(how, kind, name, namespace);
  if (!args) return { command: '', text: `Only pods have logs: ${kind}/${name} has none. Press d to describe it instead.` };
  const r = await kubectlOn(target, args);
  const text = r.code === 0 ? r.stdout : `${r.stderr || r.stdout}`.trim() || `kubectl ended with code ${r.code}`;
  return { command: `kubectl ${args.join(' ')}`, text: text.trimEnd() || '(nothing printed)' };
}
