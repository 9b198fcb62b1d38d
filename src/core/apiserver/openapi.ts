// TEMPORARY STUB (being replaced by the generated-OpenAPI module).
export interface OpenApiResource { group: string; version: string; kind: string; plural: string; namespaced: boolean; verbs: string[]; subresources: string[] }
const empty = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.33.1' }, paths: {}, definitions: {} };
export function openapiV2(_r: OpenApiResource[]): object { return empty; }
export function openapiV3Index(_prefix: string, _r: OpenApiResource[]): object { return { paths: {} }; }
export function openapiV3GroupVersion(_gv: string, _r: OpenApiResource[]): object | undefined { return undefined; }
