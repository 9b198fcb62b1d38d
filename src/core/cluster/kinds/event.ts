// Event (core/v1): what happened to an object, printed LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.
import type { KindDef, KObject, Unstructured } from './types.js';
import { AGE_COLUMN, age } from './print.js';


export type EventType = 'Normal' | 'Warning';

export function lastSeen(e: Unstructured): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
}

function involved(e: Unstructured): string {
  const o = e.involvedObject ?? {};
  return `${String(o.kind ?? '').toLowerCase()}/${o.name ?? ''}`;
}

export const event: KindDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  columns: [
    { name: 'Last Seen', type: 'string', description: 'The last time this event was seen.' },
    { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future.' },
    { name: 'Reason', type: 'string', description: 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.' },
    { name: 'Object', type: 'string', description: 'The object that this event is about.' },
    { name: 'Subobject', type: 'string', priority: 1, description: 'The subobject that this event is about.' },
    { name: 'Source', type: 'string', priority: 1, description: 'The component reporting this event.' },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.' },
    { name: 'First Seen', type: 'string', priority: 1, description: 'The first time this event was seen.' },
    { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.' },
    { name: 'Name', type: 'string', priority: 1, description: 'The name of this event.' },
  ],
  row(obj, ctx) {
    const e = obj as Unstructured;
    const now = ctx.now();
    const src = e.source?.component ? `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}` : e.reportingComponent ?? '';
    return [age(lastSeen(e), now), e.type ?? '', e.reason ?? '', involved(e), e.involvedObject?.fieldPath ?? '', src, e.message ?? '', age(e.firstTimestamp ?? e.eventTime, now), String(e.series?.count ?? e.count ?? 1), e.metadata.name];
  },
  fieldSelectors: {
    'involvedObject.kind': (o) => (o as Unstructured).involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => (o as Unstructured).involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => (o as Unstructured).involvedObject?.name ?? '',
    'involvedObject.uid': (o) => (o as Unstructured).involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => (o as Unstructured).involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => (o as Unstructured).involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => (o as Unstructured).involvedObject?.fieldPath ?? '',
    reason: (o) => (o as Unstructured).reason ?? '',
    reportingComponent: (o) => (o as Unstructured).reportingComponent ?? '',
    source: (o) => (o as Unstructured).source?.component ?? '',
    type: (o) => (o as Unstructured).type ?? '',
  },
  defaults(obj: KObject) {
    const e = obj as Unstructured;
    e.type ??= 'Normal';
  },
};
void AGE_COLUMN;
