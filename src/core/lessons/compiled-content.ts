// The lessons, quiz and exam banks as the build compiled them: JSON in dist/content, already
// checked, so a command reads them without a YAML parser or a schema validator. The YAML stays the
// source: a compiled file is used only while it is at least as new as every source it came from,
// so an author who edits a lesson sees the edit at once, without building.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { contentDir } from '../paths.js';

/** The source files (and their folders, whose time changes when a file is added or removed). */
export interface Sources {
  dir: string;
  /** Which files of `dir` are sources: all YAML files by default. */
  files?: (name: string) => boolean;
  /** Other files the compiled copy depends on (a schema). */
  also?: string[];
}

const isYaml = (name: string) => /\.ya?ml$/.test(name);

/** The newest modification time among the sources, in ms. */
export function newestSource(sources: Sources): number {
  const pick = sources.files ?? isYaml;
  let newest = statSync(sources.dir).mtimeMs;
  for (const f of readdirSync(sources.dir)) if (pick(f)) newest = Math.max(newest, statSync(path.join(sources.dir, f)).mtimeMs);
  for (const f of sources.also ?? []) if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

/**
 * The compiled copy `name` (dist/content/<name>), or undefined when there is none or a source is
 * newer than it. Equal times count as fresh: a package unpacked by npm gives every file one time.
 */
export function readCompiled<T>(name: string, sources: Sources, dir = contentDir()): T | undefined {
  const file = path.join(dir, name);
  let compiledAt: number;
  try {
    compiledAt = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  if (!existsSync(sources.dir) || newestSource(sources) > compiledAt) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
