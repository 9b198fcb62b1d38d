// The only door from the UIs into the core: the CLI (src/cli*), the terminal tutor (src/tui/) and
// the Slack bot (adapters/) import from this module and nothing else under src/core, as
// .dependency-cruiser.cjs enforces in `npm test`. It exports what they use, no more; benchmarks and
// tests import the modules they measure directly.

// Errors and where data lives.
export { LearnerError, renderProblem } from './problems.js';
export { dataDir, defaultKubeconfig } from './paths.js';

// Hosting: the API server and the clusters a door starts and hands to the engine. Each is loaded
// when first started, not with this module: it brings the whole simulator, and a command that
// lists lessons or grades a running cluster needs none of it.
import type { serveInWorker as startInWorker } from './hosting/serve-in-worker.js';
import type { ClusterHost as Host } from './hosting/cluster-host.js';
import type { WorkerSandboxes as Pool } from './hosting/worker-sandboxes.js';
export type { ServingElsewhere } from './hosting/serve-in-worker.js';
export { isClusterShape } from './cluster/shapes.js';
// The cluster on a thread of its own (`serve` and the tutor): its module starts the thread and
// holds no simulator code, so the thread that asks loads none of it.
export async function serveInWorker(...args: Parameters<typeof startInWorker>): ReturnType<typeof startInWorker> {
  return (await import('./hosting/serve-in-worker.js')).serveInWorker(...args);
}
export type ClusterHost = Host;
export const ClusterHost = { start: async (...args: Parameters<typeof Host.start>): Promise<Host> => (await import('./hosting/cluster-host.js')).ClusterHost.start(...args) };
export type WorkerSandboxes = Pool;
export const WorkerSandboxes = { start: async (...args: Parameters<typeof Pool.start>): Promise<Pool> => (await import('./hosting/worker-sandboxes.js')).WorkerSandboxes.start(...args) };
// The quotas a Slack workspace's admin may set on each learner's cluster.
export type { SandboxLimits } from './cluster/admission/sandbox-limits.js';

// The learner engine.
export { Tutor, type FinishedExam, type LearnerRecord, type ProgressSummary } from './learning/tutor.js';
export { Dojo, type DojoLimits, type KubectlReply } from './learning/dojo.js';
export type { CheckOutcome, LessonSummary, MarkedCheck, MarkedTask, Session } from './learning/session.js';
export { LiveGrading } from './learning/live-grading.js';
export type { Diagnosis } from './lessons/diagnose/index.js';
export type { CheckState } from './learning/step-activity.js';
export { openLearnerRecord } from './learning/learner-record.js';
export { parseLearnerId, slackLearnerId } from './learning/learner-id.js';
export { openProgress } from './progress/index.js';
export { findLesson, loadLessons } from './lessons/loader.js';
export type { Lesson, Step } from './lessons/types.js';
export type { Target, TaskResult } from './lessons/workspace.js';
export { findItem } from './quiz/practice.js';
export { cite, type Grade } from './quiz/grade.js';
export { loadExamBank } from './quiz/exam-bank.js';
export { examTasks, type ExamInProgress, type ExamStanding } from './quiz/exam-session.js';
export { flaggedTitles, renderReport, taskMark } from './quiz/exam.js';
export type { ExamBank, ExamTask, Item, Track } from './quiz/types.js';

// Talking to a cluster, simulated or real, through its API.
export { KubeClient } from './kube/client.js';
export { changesSince, NamespaceView, kindsOfChecks, kindsOfStep, type NamespaceSnapshot, type ViewTable } from './kube/namespace-view.js';
export { agedAt } from './kube/age.js';
export { inspect, type Inspection } from './kube/inspect.js';
export type { ClusterPicture, PicturePod } from './kube/cluster-picture.js';
export { GuardedRunner } from './kube/runner.js';
export { splitWords } from './kube/kubectl.js';
export { privateDir, writeFileDurably } from './durable-files.js';

// Killercoda scenarios, played on the simulated cluster.
export { scenarioEntries, playable, type ScenarioEntry } from './scenarios/collection.js';
export type { Scenario } from './scenarios/format.js';
export { preparePage, pasteOf, type PreparedPage } from './scenarios/page-text.js';
export { consentLines, needsConsent, scriptsHash } from './scenarios/consent.js';
export { ScenarioPlay, type PlayState, type StepMark } from './scenarios/play.js';
export { openScenarioProgress, type ScenarioRecords } from './scenarios/progress.js';
export { scenarioEnv } from './scenarios/environment.js';
