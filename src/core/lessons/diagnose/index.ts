// Diagnosis before verdict: when a check fails (or a command does), detectors name the learner's
// likely mistake and what to do next. Each detector is small and reads the cluster only through
// the Kubernetes API; they run most specific first, and a detector that fails is passed over.
import { ACCESS_DETECTORS } from './detectors/access.js';
import { MANIFEST_DETECTORS } from './detectors/manifest.js';
import { PLACEMENT_DETECTORS } from './detectors/placement.js';
import { POD_DETECTORS } from './detectors/pods.js';
import { SERVICE_DETECTORS } from './detectors/services.js';
import { TYPING_DETECTORS } from './detectors/typing.js';
import type { DiagnoseContext, Diagnosis, Detector } from './types.js';

export type { DiagnoseContext, Diagnosis, Detector, LastCommand } from './types.js';

/**
 * Most specific first: what the last command's own error text names, then what the failing check
 * names, then whatever in the lesson's namespaces is unwell.
 */
export const DETECTORS: readonly Detector[] = [...TYPING_DETECTORS, ...MANIFEST_DETECTORS, ...ACCESS_DETECTORS, ...PLACEMENT_DETECTORS, ...POD_DETECTORS, ...SERVICE_DETECTORS];

/** Runs every detector, most specific first; at most `limit` (default 2) answers, never throwing (a detector's error is skipped). */
export async function diagnose(ctx: DiagnoseContext, limit = 2, detectors: readonly Detector[] = DETECTORS): Promise<Diagnosis[]> {
  const answers = await Promise.all(
    detectors.map(async (d) => {
      try {
        return await d.detect(ctx);
      } catch {
        // A detector that cannot read what it needs (no permission on a real cluster, a kind the
        // server lacks) has nothing to say; the others still may.
        return undefined;
      }
    }),
  );
  const out: Diagnosis[] = [];
  const seen = new Set<string>();
  for (const a of answers) {
    if (!a || seen.has(a.mistake)) continue;
    seen.add(a.mistake);
    out.push(a);
    if (out.length >= limit) break;
  }
  return out;
}
