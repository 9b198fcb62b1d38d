// events.k8s.io/v1 Event: a second view of the same stored core events, converted as the
// apiserver converts them (note ↔ message, regarding ↔ involvedObject, …).
import type { KindDef, KObject, Unstructured } from './types.js';
import { event } from './event.js';


function fromStored(core: KObject): KObject {
  const c = core as Unstructured;
  const out: Unstructured = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: c.metadata,
    eventTime: c.eventTime ?? null,
    reason: c.reason,
    regarding: c.involvedObject,
    note: c.message,
    type: c.type,
    reportingController: c.reportingComponent || c.source?.component,
    reportingInstance: c.reportingInstance || c.source?.host,
    deprecatedSource: c.source,
    deprecatedFirstTimestamp: c.firstTimestamp,
    deprecatedLastTimestamp: c.lastTimestamp,
    deprecatedCount: c.count,
  };
  if (c.related) out.related = c.related;
  if (c.action) out.action = c.action;
  if (c.series) out.series = c.series;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as KObject;
}

function toStored(ev: KObject): KObject {
  const e = ev as Unstructured;
  const out: Unstructured = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    related: e.related,
    action: e.action,
    series: e.series,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as KObject;
}

export const eventsV1Event: KindDef = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  columns: event.columns,
  row: (obj, ctx) => event.row!(toStored(obj), ctx),
  storedAs: { group: '', plural: 'events', toStored, fromStored },
};
