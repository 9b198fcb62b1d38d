// Shared by Pod and every kind with a pod template: defaults and validation of a PodSpec.
// (Being filled in: the signatures below are the contract other kinds import.)
import type { FieldError } from '../errors.js';
import type { KindContext } from './types.js';

/** Defaults a PodSpec in place, as the apiserver's defaulting does. */
export function defaultPodSpec(spec: Record<string, unknown>): void {
  void spec;
}

/** Validates a PodSpec found at `field` (e.g. `spec.template.spec`). */
export function validatePodSpec(spec: unknown, field: string, ctx?: KindContext): FieldError[] {
  void spec; void field; void ctx;
  return [];
}

/** Defaults a PodTemplateSpec (`{metadata, spec}`) in place. */
export function defaultPodTemplateSpec(template: Record<string, unknown>): void {
  void template;
}

/** Validates a PodTemplateSpec at `field` (e.g. `spec.template`), including its labels. */
export function validatePodTemplateSpec(template: unknown, field: string, ctx?: KindContext): FieldError[] {
  void template; void field; void ctx;
  return [];
}
