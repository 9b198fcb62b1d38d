import { describe, expect, it } from 'vitest';
import { markOf, readCommand, StepActivity } from '../../../src/core/learning/step-activity.js';
import type { Check } from '../../../src/core/lessons/types.js';

const cmExists: Check = { exists: { kind: 'ConfigMap', name: 'diagnosis' } };
const cmField: Check = { field: { kind: 'cm', name: 'diagnosis', path: '{.data.key}', equals: 'x' } };
const anyPod: Check = { count: { kind: 'pods', atLeast: 2 } };
const access: Check = { canI: { verb: 'list', resource: 'pods', as: 'system:serviceaccount:ns:reader', expect: true } };
// As discovery maps them: short, singular and kind names to the plural resource.
const resourceOf = (k: string) => ({ cm: 'configmaps', configmap: 'configmaps', po: 'pods', pod: 'pods', rolebinding: 'rolebindings' })[k.toLowerCase()] ?? k.toLowerCase();

describe('reading a learner command', () => {
  it('finds the verb past global flags and keeps the words it names', () => {
    expect(readCommand('kubectl -n dojo create configmap diagnosis --from-literal=a=b')).toEqual({ words: ['configmap', 'diagnosis'], changes: true });
    expect(readCommand('k delete po/web')).toEqual({ words: ['po', 'web'], changes: true });
  });

  it('takes reading verbs as changing nothing', () => {
    expect(readCommand('kubectl get nodes')?.changes).toBe(false);
    expect(readCommand('kubectl --context x logs deploy/worker --previous')?.changes).toBe(false);
  });

  it('ignores what is not kubectl, and reads a pipeline whose quotes it cannot split', () => {
    expect(readCommand('clear')).toBeUndefined();
    expect(readCommand('echo "kubectl')).toBeUndefined();
    expect(readCommand('kubectl create deploy web --image=nginx --dry-run=client -o yaml | tee web.yaml')?.words).toContain('web');
  });
});

describe('what a step has touched', () => {
  it('counts nothing as touched when the learner has only read the cluster', () => {
    const a = new StepActivity();
    a.noteCommand('kubectl get nodes');
    a.noteCommand('clear');
    expect(a.touched(cmExists, 'dojo', resourceOf)).toBe(false);
    expect(a.touched(access, 'dojo', resourceOf)).toBe(false);
  });

  it('counts a changing command that names the object, wherever it landed and even if it failed', () => {
    const a = new StepActivity();
    a.noteCommand('kubectl create configmap diagnosis --from-literal=x=y');
    expect(a.touched(cmExists, 'dojo', resourceOf)).toBe(true);
    expect(a.touched(cmField, 'dojo', resourceOf)).toBe(true);
    expect(a.touched(anyPod, 'dojo', resourceOf)).toBe(false);
  });

  it('counts a command naming a kind for a check on any object of that kind', () => {
    const a = new StepActivity();
    a.noteCommand('kubectl delete po --all');
    expect(a.touched(anyPod, 'dojo', resourceOf)).toBe(true);
  });

  it('counts an object seen to change in the check namespace, and not in another', () => {
    const a = new StepActivity();
    a.noteChange('configmaps', 'elsewhere', 'diagnosis');
    expect(a.touched(cmExists, 'dojo', resourceOf)).toBe(false);
    a.noteChange('configmaps', 'dojo', 'diagnosis');
    expect(a.touched(cmField, 'dojo', resourceOf)).toBe(true);
  });

  it('counts any try for an access check, which names no object', () => {
    const a = new StepActivity();
    a.noteCommand('kubectl create rolebinding r --role=x --serviceaccount=ns:reader');
    expect(a.touched(access, 'dojo', resourceOf)).toBe(true);
  });
});

describe('a check mark', () => {
  it('is passed, failed once tried, pending while untouched, and failed when nothing is known of the activity', () => {
    expect(markOf(true, false)).toBe('passed');
    expect(markOf(false, true)).toBe('failed');
    expect(markOf(false, false)).toBe('pending');
    expect(markOf(false, undefined)).toBe('failed');
  });
});
