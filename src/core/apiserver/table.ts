// Server-side printing: `kubectl get` asks for a meta.k8s.io Table and prints its columns as
// they come, so these columns are what a learner sees. Kinds without their own columns get
// Name and Age (or, for custom resources, their CRD's additionalPrinterColumns).
import type { Column, KindContext, KindDef, KObject } from '../cluster/kinds/types.js';
import { AGE_COLUMN, NAME_COLUMN, creationAge } from '../cluster/kinds/print.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function columnsOf(def: KindDef): Column[] {
  return [NAME_COLUMN, ...(def.columns ?? [AGE_COLUMN])];
}

export function rowOf(def: KindDef, obj: KObject, ctx: KindContext, include: IncludeObject): object {
  const cells = def.row ? def.row(obj, ctx) : [creationAge(obj, ctx.now())];
  const row: Record<string, unknown> = { cells: [def.nameCell ? def.nameCell(obj) : obj.metadata.name, ...cells] };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = partialMetadata(obj);
  return row;
}

export function partialMetadata(obj: KObject): object {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function table(
  def: KindDef,
  objects: KObject[],
  ctx: KindContext,
  include: IncludeObject,
  tableVersion: string,
  meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  withColumns = true,
): object {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata: {
      ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
      ...(meta.continue ? { continue: meta.continue } : {}),
      ...(meta.remainingItemCount !== undefined ? { remainingItemCount: meta.remainingItemCount } : {}),
    },
    columnDefinitions: withColumns ? columnsOf(def).map((c) => ({ priority: 0, format: '', ...c })) : null,
    rows: objects.map((o) => rowOf(def, o, ctx, include)),
  };
}
