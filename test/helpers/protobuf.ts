// Kubernetes protobuf bodies built by hand, just enough for a ConfigMap: the `k8s\0` prefix, the
// runtime.Unknown envelope (apiVersion and kind, then the raw message), length-delimited fields.
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function varint(v: number): Buffer {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited field (wire type 2). */
export function field(n: number, bytes: Buffer | string): Buffer {
  const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return Buffer.concat([varint((n << 3) | 2), varint(body.length), body]);
}

/** The ConfigMap message itself: metadata.name and data entries. */
export function configMapMessage(name: string, data: Record<string, string>): Buffer {
  const entries = Object.keys(data).map((k) => field(2, Buffer.concat([field(1, k), field(2, data[k])])));
  return Buffer.concat([field(1, field(1, name)), ...entries]);
}

/** A whole body: prefix, envelope naming v1 ConfigMap, and `raw` as the object's bytes. */
export function envelope(raw: Buffer, apiVersion = 'v1', kind = 'ConfigMap'): Buffer {
  return Buffer.concat([MAGIC, field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);
}

export function configMapProtobuf(name: string, data: Record<string, string>): Buffer {
  return envelope(configMapMessage(name, data));
}
