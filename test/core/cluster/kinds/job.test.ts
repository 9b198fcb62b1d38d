import { describe, expect, it } from 'vitest';
import { job, jobStatusCell } from '../../../../src/core/cluster/kinds/job.js';
import type { KindContext, KObject } from '../../../../src/core/cluster/kinds/types.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import { expectGolden } from '../../../helpers/golden.js';

const ctx: KindContext = { now: () => new Date('2026-01-01T00:10:00Z'), get: () => undefined, list: () => [] };
const UID = '0f3c2c55-6a53-4f0e-9d6c-2b0c8f3e1a77';

function newJob(spec: Record<string, unknown> = {}, name = 'pi'): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: UID, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } },
      ...spec,
    },
  };
}

/** What the apiserver does on create: prepare, default, validate. */
function create(obj: KObject): { obj: KObject; errors: string[] } {
  job.prepareForCreate!(obj, ctx);
  job.defaults!(obj, ctx);
  return { obj, errors: job.validate!(obj, ctx).map(fieldErrorMessage) };
}

const row = (obj: KObject) => [obj.metadata.name, ...job.row!(obj, ctx)].join(' | ');

describe('Job', () => {
  it('is served as batch/v1 jobs in category all with a status subresource', () => {
    expect([job.group, job.version, job.plural, job.singular, job.namespaced]).toEqual(['batch', 'v1', 'jobs', 'job', true]);
    expect(job.shortNames).toBeUndefined();
    expect(job.categories).toEqual(['all']);
    expect(job.subresources).toEqual(['status']);
    expect(job.columns!.map((c) => [c.name, c.priority ?? 0])).toEqual([
      ['Status', 0], ['Completions', 0], ['Duration', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1],
    ]);
  });

  it('generates the selector and the template labels from the uid and name on create', () => {
    const { obj, errors } = create(newJob());
    expect(errors).toEqual([]);
    const spec = obj.spec as any;
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    expect(spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': UID,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': UID,
      'job-name': 'pi',
    });
    // The Job's own labels default to its template's.
    expect(obj.metadata.labels).toEqual(spec.template.metadata.labels);
    expect(obj.status).toEqual({});
  });

  it('keeps labels the user set on the job itself', () => {
    const o = newJob();
    o.metadata.labels = { team: 'a' };
    expect(create(o).obj.metadata.labels).toEqual({ team: 'a' });
  });

  it('defaults completions and parallelism to 1, backoffLimit 6 and the policies', () => {
    const spec = create(newJob()).obj.spec as any;
    expect(spec.completions).toBe(1);
    expect(spec.parallelism).toBe(1);
    expect(spec.backoffLimit).toBe(6);
    expect(spec.completionMode).toBe('NonIndexed');
    expect(spec.suspend).toBe(false);
    expect(spec.manualSelector).toBe(false);
    expect(spec.podReplacementPolicy).toBe('TerminatingOrFailed');
  });

  it('leaves completions unset when only parallelism is given', () => {
    const spec = create(newJob({ parallelism: 3 })).obj.spec as any;
    expect(spec.completions).toBeUndefined();
    expect(spec.parallelism).toBe(3);
  });

  it('defaults podReplacementPolicy to Failed with a pod failure policy, and the condition status to True', () => {
    const spec = create(newJob({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })).obj.spec as any;
    expect(spec.podReplacementPolicy).toBe('Failed');
    expect(spec.podFailurePolicy.rules[0].onPodConditions[0].status).toBe('True');
  });

  it('uses a huge backoffLimit when backoffLimitPerIndex is set', () => {
    const spec = create(newJob({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 })).obj.spec as any;
    expect(spec.backoffLimit).toBe(2147483647);
  });

  it('refuses a template that restarts Always, or that leaves restartPolicy out', () => {
    const o = newJob();
    delete (o.spec as any).template.spec.restartPolicy;
    expect(create(o).errors).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
    const always = newJob();
    (always.spec as any).template.spec.restartPolicy = 'Always';
    expect(create(always).errors).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('refuses negative counts', () => {
    expect(create(newJob({ completions: -1, parallelism: 1, backoffLimit: -2 })).errors).toEqual([
      'spec.completions: Invalid value: -1: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
    ]);
  });

  it('requires completions for an Indexed job', () => {
    expect(create(newJob({ completionMode: 'Indexed', parallelism: 2 })).errors).toEqual([
      'spec.completions: Required value: when completion mode is Indexed',
    ]);
  });

  it('refuses an unknown completion mode', () => {
    expect(create(newJob({ completionMode: 'Sometimes' })).errors).toEqual([
      'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
    ]);
  });

  it('refuses a manual selector that does not select the template', () => {
    const o = newJob({ manualSelector: true, selector: { matchLabels: { app: 'pi' } } });
    (o.spec as any).template.metadata = { labels: { app: 'other' } };
    expect(create(o).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it('refuses a selector that was not generated when manualSelector is off', () => {
    const o = newJob({ selector: { matchLabels: { app: 'pi' } } });
    (o.spec as any).template.metadata = { labels: { app: 'pi' } };
    expect(create(o).errors).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"pi","batch.kubernetes.io/controller-uid":"0f3c2c55-6a53-4f0e-9d6c-2b0c8f3e1a77"}}: `selector` not auto-generated',
    ]);
  });

  it('refuses generated labels the user overrode with other values', () => {
    const o = newJob();
    (o.spec as any).template.metadata = { labels: { 'job-name': 'other' } };
    const { errors } = create(o);
    expect(errors[0]).toBe(
      'spec.template.metadata.labels[job-name]: Invalid value: {"batch.kubernetes.io/controller-uid":"0f3c2c55-6a53-4f0e-9d6c-2b0c8f3e1a77","batch.kubernetes.io/job-name":"pi","controller-uid":"0f3c2c55-6a53-4f0e-9d6c-2b0c8f3e1a77","job-name":"other"}: must be \'pi\'',
    );
  });

  it('refuses an Indexed job whose last pod hostname is not a DNS label', () => {
    const name = 'a'.repeat(62);
    const { errors } = create(newJob({ completionMode: 'Indexed', completions: 10 }, name));
    expect(errors).toEqual([`metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-9`]);
  });

  it('makes the template immutable', () => {
    const old = create(newJob()).obj;
    const next = structuredClone(old);
    (next.spec as any).template.spec.containers[0].image = 'perl:5.36';
    const errs = job.validateUpdate!(next, old, ctx);
    expect(errs.map((e) => [e.field, e.detail])).toEqual([['spec.template', 'field is immutable']]);
    expect(fieldErrorMessage(errs[0]!)).toMatch(/^spec\.template: Invalid value: \{.*\}: field is immutable$/);
  });

  it('makes the selector and completions immutable', () => {
    const old = create(newJob()).obj;
    const next = structuredClone(old);
    (next.spec as any).completions = 3;
    (next.spec as any).selector.matchLabels.extra = 'x';
    expect(job.validateUpdate!(next, old, ctx).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.completions: field is immutable',
      'spec.selector: field is immutable',
    ]);
  });

  it('lets a suspended job that never started change its node selector, but not its image', () => {
    const old = create(newJob({ suspend: true })).obj;
    const next = structuredClone(old);
    (next.spec as any).template.spec.nodeSelector = { disk: 'ssd' };
    expect(job.validateUpdate!(next, old, ctx)).toEqual([]);
    (next.spec as any).template.spec.containers[0].image = 'perl:5.36';
    expect(job.validateUpdate!(next, old, ctx).map((e) => e.field)).toEqual(['spec.template']);
    const running = create(newJob()).obj;
    const moved = structuredClone(running);
    (moved.spec as any).template.spec.nodeSelector = { disk: 'ssd' };
    expect(job.validateUpdate!(moved, running, ctx).map((e) => e.field)).toEqual(['spec.template']);
  });

  it('lets suspend and parallelism change', () => {
    const old = create(newJob()).obj;
    const next = structuredClone(old);
    (next.spec as any).suspend = true;
    (next.spec as any).parallelism = 4;
    expect(job.validateUpdate!(next, old, ctx)).toEqual([]);
  });

  it('prints STATUS as the 1.33 printer computes it', () => {
    const withConditions = (conditions: Array<[string, string]>, extra: Record<string, unknown> = {}) => {
      const o = newJob();
      o.status = { conditions: conditions.map(([type, status]) => ({ type, status })) };
      Object.assign(o.metadata, extra);
      return jobStatusCell(o);
    };
    expect(withConditions([])).toBe('Running');
    expect(withConditions([['Complete', 'True']])).toBe('Complete');
    expect(withConditions([['SuccessCriteriaMet', 'True'], ['Complete', 'True']])).toBe('Complete');
    expect(withConditions([['FailureTarget', 'True'], ['Failed', 'True']])).toBe('Failed');
    expect(withConditions([['Suspended', 'True']])).toBe('Suspended');
    expect(withConditions([['Suspended', 'False']])).toBe('Running');
    expect(withConditions([['FailureTarget', 'True']])).toBe('FailureTarget');
    expect(withConditions([['SuccessCriteriaMet', 'True']])).toBe('SuccessCriteriaMet');
    expect(withConditions([['Suspended', 'True']], { deletionTimestamp: '2026-01-01T00:09:00Z' })).toBe('Terminating');
    expect(withConditions([['Complete', 'True']], { deletionTimestamp: '2026-01-01T00:09:00Z' })).toBe('Complete');
  });

  it('prints rows with completions, duration, age, containers and selector', () => {
    const running = create(newJob()).obj;
    running.status = { startTime: '2026-01-01T00:00:05Z', active: 1, ready: 0 };
    const done = create(newJob({ completions: 5, parallelism: 2 }, 'batch')).obj;
    done.status = {
      startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:03:20Z', succeeded: 5,
      conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
    };
    const workQueue = create(newJob({ parallelism: 3 }, 'queue')).obj;
    workQueue.status = { startTime: '2026-01-01T00:09:30Z', succeeded: 1 };
    const failed = create(newJob({}, 'broken')).obj;
    failed.status = { startTime: '2025-12-31T20:00:00Z', failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] };
    const suspended = create(newJob({ suspend: true }, 'later')).obj;
    suspended.status = { conditions: [{ type: 'Suspended', status: 'True' }] };
    const manual = newJob({ manualSelector: true, selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] } }, 'manual');
    (manual.spec as any).template.metadata = { labels: { tier: 'web' } };
    (manual.spec as any).template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    create(manual);
    expectGolden('kinds/job', [running, done, workQueue, failed, suspended, manual].map(row).join('\n'));
  });

  it('selects on status.successful', () => {
    const o = newJob();
    expect(job.fieldSelectors!['status.successful']!(o)).toBe('0');
    o.status = { succeeded: 3 };
    expect(job.fieldSelectors!['status.successful']!(o)).toBe('3');
  });
});
