// Finds a kind by what a request names: group + version + plural, a kind name, or a short name.
// Built-in kinds are shared by every cluster; each cluster adds the custom kinds its CRDs define.
import type { KindDef } from './types.js';

export function resourceKey(def: Pick<KindDef, 'group' | 'plural'>): string {
  return `${def.group}/${def.plural}`;
}

export class KindRegistry {
  private readonly byResource = new Map<string, KindDef>();
  private readonly ordered: KindDef[] = [];

  constructor(defs: readonly KindDef[] = [], private readonly parent?: KindRegistry) {
    for (const d of defs) this.add(d);
  }

  add(def: KindDef): void {
    const key = `${def.group}/${def.version}/${def.plural}`;
    if (!this.byResource.has(key)) this.ordered.push(def);
    else this.ordered.splice(this.ordered.indexOf(this.byResource.get(key)!), 1, def);
    this.byResource.set(key, def);
  }

  remove(group: string, plural: string): void {
    for (const [key, def] of this.byResource) {
      if (def.group === group && def.plural === plural) {
        this.byResource.delete(key);
        this.ordered.splice(this.ordered.indexOf(def), 1);
      }
    }
  }

  get(group: string, version: string, plural: string): KindDef | undefined {
    return this.byResource.get(`${group}/${version}/${plural}`) ?? this.parent?.get(group, version, plural);
  }

  /** The kind stored under a group-qualified resource, whatever version asked. */
  byGroupResource(group: string, plural: string): KindDef | undefined {
    for (const d of this.all()) if (d.group === group && d.plural === plural) return d;
    return undefined;
  }

  byKind(group: string, kind: string): KindDef | undefined {
    for (const d of this.all()) if (d.group === group && d.kind === kind) return d;
    return undefined;
  }

  /** Every kind, built-in first, in the order they were registered. */
  all(): KindDef[] {
    return this.parent ? [...this.parent.all(), ...this.ordered] : [...this.ordered];
  }

  own(): KindDef[] {
    return [...this.ordered];
  }
}
