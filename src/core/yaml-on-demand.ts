// The YAML parser, loaded on first use. It takes a tenth of a second to load, and most commands
// read compiled JSON and never need it; loading it synchronously (it is CommonJS) keeps the
// functions that use it synchronous.
import { createRequire } from 'node:module';
import type { DocumentOptions, ParseOptions } from 'yaml';

const load = createRequire(import.meta.url);

export function parseYaml(text: string, options?: ParseOptions & DocumentOptions): unknown {
  return (load('yaml') as typeof import('yaml')).parse(text, options);
}

export function parseAllYamlDocuments(text: string): ReturnType<typeof import('yaml').parseAllDocuments> {
  return (load('yaml') as typeof import('yaml')).parseAllDocuments(text);
}
