// A Killercoda scenario is a folder: index.json names Markdown pages and shell scripts beside it.
// Reading one is pure apart from the file reads; nothing here runs a script. The fields follow
// Killercoda's index.json, with the older Katacoda names (intro.courseData, intro.code) read as
// the background and foreground scripts they became.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** A script named by index.json, read with its text (it is shown to the learner before it runs). */
export interface ScenarioScript {
  /** As index.json names it, relative to the scenario's folder. */
  file: string;
  text: string;
}

export interface ScenarioPage {
  title: string;
  /** Markdown, with Killercoda's `{{exec}}`/`{{copy}}` markers left in for the player to read. */
  text: string;
  /** Runs hidden while the learner reads; the page waits for it before its checks mean anything. */
  background?: ScenarioScript;
  /** Runs in the learner's terminal, in view. */
  foreground?: ScenarioScript;
}

export interface ScenarioStep extends ScenarioPage {
  /** Exits 0 when the step is done. */
  verify?: ScenarioScript;
}

/** A file index.json asks to be copied onto a host before the scenario starts. */
export interface ScenarioAsset {
  file: string;
  target: string;
  chmod?: string;
}

export interface Scenario {
  /** The folder's path relative to the collection it was found in (its own name when alone). */
  id: string;
  dir: string;
  title: string;
  description: string;
  difficulty?: string;
  time?: string;
  /** Killercoda's environment, e.g. kubernetes-kubeadm-2nodes. */
  imageid?: string;
  intro: ScenarioPage;
  steps: ScenarioStep[];
  finish: ScenarioPage;
  assets: ScenarioAsset[];
}

/** A scenario folder that cannot be read, with what is wrong in words. */
export class ScenarioFormatError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioFormatError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** Reads the scenario in `dir`; `id` is how a collection names it. */
export function readScenario(dir: string, id = path.basename(path.resolve(dir))): Scenario {
  const fail = (what: string): never => {
    throw new ScenarioFormatError(dir, `${path.join(dir, 'index.json')}: ${what}`);
  };
  const indexFile = path.join(dir, 'index.json');
  if (!existsSync(indexFile)) throw new ScenarioFormatError(dir, `${dir} has no index.json: a Killercoda scenario is a folder with an index.json naming its pages and scripts.`);
  let index: unknown;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch (err) {
    fail(`not valid JSON (${(err as Error).message}); fix the file and open the scenario again.`);
  }
  if (!isObject(index)) return fail('must hold a JSON object with "title" and "details".');
  const details = isObject(index.details) ? index.details : fail('has no "details" object (it lists intro, steps and finish).');

  // A file named by index.json must stay inside the scenario's folder: a scenario is someone
  // else's text, and `"text": "../../.ssh/id_rsa"` would otherwise show a private file.
  const readFile = (where: string, name: unknown): string | undefined => {
    const file = str(name);
    if (file === undefined) return undefined;
    const full = path.resolve(dir, file);
    const rel = path.relative(path.resolve(dir), full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) fail(`${where} names ${JSON.stringify(file)}, which is outside the scenario's folder.`);
    if (!existsSync(full) || !statSync(full).isFile()) fail(`${where} names ${JSON.stringify(file)}, which is not a file in ${dir}.`);
    return readFileSync(full, 'utf8');
  };
  const script = (where: string, name: unknown): ScenarioScript | undefined => {
    const text = readFile(where, name);
    return text === undefined ? undefined : { file: str(name)!, text };
  };
  const page = (where: string, raw: unknown, title: string): ScenarioPage => {
    const p = isObject(raw) ? raw : {};
    return {
      title: str(p.title) ?? title,
      text: readFile(`${where}.text`, p.text) ?? '',
      background: script(`${where}.background`, p.background) ?? script(`${where}.courseData`, p.courseData),
      foreground: script(`${where}.foreground`, p.foreground) ?? script(`${where}.code`, p.code),
    };
  };

  const rawSteps = details.steps ?? [];
  if (!Array.isArray(rawSteps)) fail('"details.steps" must be a list.');
  const steps = (rawSteps as unknown[]).map((raw, i) => {
    const where = `details.steps[${i}]`;
    if (!isObject(raw)) return fail(`${where} must be an object with "title" and "text".`);
    return { ...page(where, raw, `Step ${i + 1}`), verify: script(`${where}.verify`, raw.verify) };
  });

  const assets: ScenarioAsset[] = [];
  const rawAssets = isObject(details.assets) ? details.assets : {};
  for (const host of Object.keys(rawAssets)) {
    const list = rawAssets[host];
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      if (!isObject(a) || !str(a.file) || !str(a.target)) continue;
      readFile(`details.assets.${host}`, a.file);
      assets.push({ file: a.file as string, target: a.target as string, chmod: str(a.chmod) });
    }
  }

  const backend = isObject(index.backend) ? index.backend : {};
  return {
    id,
    dir,
    title: str(index.title) ?? id,
    description: str(index.description) ?? '',
    difficulty: str(index.difficulty),
    time: str(index.time),
    imageid: str(backend.imageid),
    intro: page('details.intro', details.intro, 'Introduction'),
    steps,
    finish: page('details.finish', details.finish, 'Finished'),
    assets,
  };
}

/** One entry of a collection: the scenario, or why its folder could not be read. */
export type FoundScenario = { id: string; dir: string; scenario: Scenario } | { id: string; dir: string; error: string };

/**
 * The scenarios in a folder: the folder itself when it holds an index.json, else those a
 * structure.json lists (Killercoda reads only those when it is there), else every sub-folder with
 * an index.json, two levels deep (a course groups scenarios in a sub-folder).
 */
export function findScenarios(root: string): FoundScenario[] {
  const found: FoundScenario[] = [];
  const visit = (dir: string, id: string) => {
    try {
      found.push({ id, dir, scenario: readScenario(dir, id) });
    } catch (err) {
      found.push({ id, dir, error: (err as Error).message });
    }
  };
  if (existsSync(path.join(root, 'index.json'))) {
    visit(root, path.basename(path.resolve(root)));
    return found;
  }
  const listed = structureOf(root);
  if (listed) {
    for (const id of listed) visit(path.join(root, id), id);
    return found;
  }
  const walk = (dir: string, prefix: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const sub = path.join(dir, name);
      if (!statSync(sub).isDirectory()) continue;
      const id = prefix ? `${prefix}/${name}` : name;
      if (existsSync(path.join(sub, 'index.json'))) visit(sub, id);
      else if (depth > 1) walk(sub, id, depth - 1);
    }
  };
  walk(root, '', 2);
  return found;
}

function structureOf(root: string): string[] | undefined {
  const file = path.join(root, 'structure.json');
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const items = isObject(s) && Array.isArray(s.items) ? s.items : undefined;
    if (!items) return undefined;
    return items
      .map((i) => (isObject(i) ? str(i.path) : undefined))
      .filter((p): p is string => p !== undefined && !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..'));
  } catch {
    return undefined;
  }
}

/** Every script the scenario would run, in the order it would run them, for the learner to review. */
export function scriptsOf(s: Scenario): { where: string; script: ScenarioScript }[] {
  const out: { where: string; script: ScenarioScript }[] = [];
  const add = (where: string, script?: ScenarioScript) => script && out.push({ where, script });
  add('set-up (background)', s.intro.background);
  add('set-up (in the terminal)', s.intro.foreground);
  s.steps.forEach((step, i) => {
    add(`step ${i + 1} set-up (background)`, step.background);
    add(`step ${i + 1} set-up (in the terminal)`, step.foreground);
    add(`step ${i + 1} check`, step.verify);
  });
  add('finish (background)', s.finish.background);
  add('finish (in the terminal)', s.finish.foreground);
  return out;
}
