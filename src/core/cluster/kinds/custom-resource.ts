// TEMPORARY STUB (being replaced by the CRD module).
import type { KindDef, KObject } from './types.js';
export function kindsFromCrd(_crd: KObject): KindDef[] { return []; }
