// kubectl fetches /openapi/v2 as protobuf only (gnostic's openapi_v2.Document): older kubectls
// validate manifests and explain fields from it, newer ones read patch strategies from it.
// This encodes the JSON document's info and definitions in that wire format; paths are left
// out because no kubectl reads them from v2.
import { stringify as toYaml } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

class Writer {
  private readonly parts: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }

  varint(n: number): void {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    while (v >= 0x80n) {
      bytes.push(Number((v & 0x7fn) | 0x80n));
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.push(Buffer.from(bytes));
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  string(field: number, s: string | undefined): void {
    if (s === undefined || s === '') return;
    const b = Buffer.from(s, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  bool(field: number, v: boolean | undefined): void {
    if (!v) return;
    this.tag(field, 0);
    this.varint(1);
  }

  int(field: number, v: number | undefined): void {
    if (v === undefined || v === 0) return;
    this.tag(field, 0);
    this.varint(v);
  }

  double(field: number, v: number | undefined): void {
    if (v === undefined) return;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.tag(field, 1);
    this.push(b);
  }

  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    const b = inner.finish();
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  finish(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** gnostic Any: the value kept as YAML text. */
function any(w: Writer, field: number, value: Json): void {
  w.message(field, (a) => a.string(2, toYaml(value)));
}

function namedAny(w: Writer, field: number, name: string, value: Json): void {
  w.message(field, (n) => {
    n.string(1, name);
    any(n, 2, value);
  });
}

function schema(w: Writer, s: Record<string, Json>): void {
  w.string(1, s.$ref as string | undefined);
  w.string(2, s.format as string | undefined);
  w.string(3, s.title as string | undefined);
  w.string(4, s.description as string | undefined);
  if (s.default !== undefined) any(w, 5, s.default);
  w.double(6, s.multipleOf as number | undefined);
  w.double(7, s.maximum as number | undefined);
  w.bool(8, s.exclusiveMaximum as boolean | undefined);
  w.double(9, s.minimum as number | undefined);
  w.bool(10, s.exclusiveMinimum as boolean | undefined);
  w.int(11, s.maxLength as number | undefined);
  w.int(12, s.minLength as number | undefined);
  w.string(13, s.pattern as string | undefined);
  w.int(14, s.maxItems as number | undefined);
  w.int(15, s.minItems as number | undefined);
  w.bool(16, s.uniqueItems as boolean | undefined);
  for (const r of (s.required as string[] | undefined) ?? []) w.string(19, r);
  for (const e of (s.enum as Json[] | undefined) ?? []) any(w, 20, e);
  const ap = s.additionalProperties;
  if (ap !== undefined) {
    w.message(21, (m) => {
      if (typeof ap === 'boolean') {
        m.tag(2, 0);
        m.varint(ap ? 1 : 0);
      } else m.message(1, (x) => schema(x, ap as Record<string, Json>));
    });
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    w.message(22, (t) => types.forEach((v) => t.string(1, v)));
  }
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? (s.items as Record<string, Json>[]) : [s.items as Record<string, Json>];
    w.message(23, (m) => items.forEach((it) => m.message(1, (x) => schema(x, it))));
  }
  for (const sub of (s.allOf as Record<string, Json>[] | undefined) ?? []) w.message(24, (x) => schema(x, sub));
  const props = s.properties as Record<string, Record<string, Json>> | undefined;
  if (props) {
    w.message(25, (p) => {
      for (const [name, value] of Object.entries(props)) {
        p.message(1, (n) => {
          n.string(1, name);
          n.message(2, (x) => schema(x, value));
        });
      }
    });
  }
  w.bool(27, s.readOnly as boolean | undefined);
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) namedAny(w, 31, k, v);
}

export function encodeOpenApiV2(doc: Record<string, unknown>): Buffer {
  const w = new Writer();
  w.string(1, (doc.swagger as string) ?? '2.0');
  const info = (doc.info ?? {}) as Record<string, string>;
  w.message(2, (i) => {
    i.string(1, info.title);
    i.string(2, info.version);
  });
  const defs = (doc.definitions ?? {}) as Record<string, Record<string, Json>>;
  w.message(9, (d) => {
    for (const [name, value] of Object.entries(defs)) {
      d.message(1, (n) => {
        n.string(1, name);
        n.message(2, (x) => schema(x, value));
      });
    }
  });
  return w.finish();
}

/** What clients ask for in Accept; the response names it with '.' for '@', as Go's mime parser needs. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_RESPONSE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
