import { describe, expect, it } from 'vitest';
import { hintOrder } from '../../../src/core/learning/hints.js';
import type { Step } from '../../../src/core/lessons/types.js';

const step: Step = {
  id: 'identity',
  title: 'An identity',
  explanation: '',
  outcome: '',
  solution: [],
  tasks: [
    {
      text: 'Make a service account `reader` and a pod `client` that runs as it.',
      checks: [{ exists: { kind: 'ServiceAccount', name: 'reader' } }, { field: { kind: 'Pod', name: 'client', path: '{.spec.serviceAccountName}', equals: 'reader' } }],
    },
  ],
  hints: ['`kubectl create serviceaccount --help` makes the account `reader`.', 'The pod `client` names its account in `spec.serviceAccountName`.', 'Create `reader`, then a manifest for `client`.'],
};

describe('the order hints are given in', () => {
  it('is the authored order when nothing passes yet', () => {
    expect(hintOrder(step, 'dojo', [false, false])).toEqual([0, 1, 2]);
    expect(hintOrder(step, 'dojo', [])).toEqual([0, 1, 2]);
  });

  it('skips a hint about what is already done and starts with the first check still failing', () => {
    expect(hintOrder(step, 'dojo', [true, false])).toEqual([1, 2]);
  });

  it('keeps a hint that is about a done check and a failing one', () => {
    expect(hintOrder(step, 'dojo', [true, false])).toContain(2);
  });

  it('gives every hint again when all are about done checks', () => {
    expect(hintOrder(step, 'dojo', [true, true])).toEqual([0, 1, 2]);
  });
});
