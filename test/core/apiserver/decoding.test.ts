// Bodies the apiserver's decoders refuse get the decoder's own words, whatever the format: deep
// nesting, JSON that is not an object, broken protobuf, a type the endpoint does not take. The
// server keeps serving and nothing stored changes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '../../helpers/api.js';
import { configMapMessage, configMapProtobuf, envelope } from '../../helpers/protobuf.js';
import { descriptorsFromBinary, kubectlPath } from '../../../src/core/apiserver/protobuf.js';

const CM = '/api/v1/namespaces/default/configmaps';
const TYPE_META = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

let api: TestApi;
let before: string;

beforeAll(async () => {
  api = await startApi();
  const r = await post(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: '1' } }));
  expect(r.status).toBe(201);
  before = JSON.stringify((await api.request('GET', CM)).json().items);
});
afterAll(() => api.close());

afterEach(async () => {
  // The server still answers, and holds exactly what it held.
  const list = await api.request('GET', CM);
  expect(list.status).toBe(200);
  expect(JSON.stringify(list.json().items)).toBe(before);
});

function post(body: string | Buffer, type = 'application/json', path = CM) {
  return api.request('POST', path, { body, headers: { 'content-type': type } });
}

const patch = (type: string, body: string) => api.request('PATCH', `${CM}/keep?fieldManager=learner`, { body, headers: { 'content-type': type } });

const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('a body nested 100,000 levels deep', () => {
  it('is the JSON decoder\'s max-depth error for a create, quoting the body\'s start', async () => {
    const r = await post(objects(100_000));
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({
      reason: 'BadRequest',
      message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '{' exceeded max depth ({"a":{"a":{"a":{"a":{"a":{"a": ...)`,
    });
  });

  it('quotes a body that does not open an object in hex', async () => {
    const r = await post(arrays(100_000));
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(`the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '[' exceeded max depth (${'5b'.repeat(30)} ...)`);
  });

  it('is refused by each patch decoder in its own words', async () => {
    const json = await patch('application/json-patch+json', arrays(100_000));
    expect([json.status, json.json().message]).toEqual([400, "invalid character '[' exceeded max depth"]);
    const merge = await patch('application/merge-patch+json', objects(100_000));
    expect([merge.status, merge.json().message]).toEqual([400, 'Invalid JSON Patch']);
    const strategic = await patch('application/strategic-merge-patch+json', objects(100_000));
    expect([strategic.status, strategic.json().message]).toEqual([400, "invalid character '{' exceeded max depth"]);
    const apply = await patch('application/apply-patch+yaml', objects(100_000));
    expect([apply.status, apply.json().message]).toEqual([400, 'error decoding YAML: error converting YAML to JSON: yaml: exceeded max depth of 10000']);
  });

  it('is the YAML decoder\'s max-depth error for YAML, naming the line past the first', async () => {
    const first = await post(`data: ${arrays(100_000)}`, 'application/yaml');
    expect(first.status).toBe(400);
    expect(first.json().message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): error converting YAML to JSON: yaml: exceeded max depth of 10000 \([0-9a-f]{60} \.\.\.\)$/);
    const third = await post(`metadata:\n  name: deep\ndata: ${arrays(100_000)}`, 'application/yaml');
    expect(third.json().message).toMatch(/: yaml: line 3: exceeded max depth of 10000 \(/);
  });
});

describe('a JSON body that is not an object', () => {
  for (const [body, type, hex] of [
    ['[]', 'array', '5b5d'],
    ['42', 'number', '3432'],
    ['"text"', 'string', '227465787422'],
    ['true', 'bool', '74727565'],
  ]) {
    it(`answers ${body} as the decoder reading apiVersion and kind into its struct does`, async () => {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.json().message).toBe(`the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal ${type} into Go value of type ${TYPE_META} (${hex})`);
    });
  }

  it('decodes null as an empty object, which then has no name', async () => {
    const r = await post('null');
    expect(r.status).toBe(422);
    expect(r.json().message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  it('answers an empty body as JSON that ends before it starts', async () => {
    const r = await post('');
    expect(r.status).toBe(400);
    expect(r.json().message).toBe("the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)");
  });

  it('refuses a kind that is not a string', async () => {
    const r = await post('{"apiVersion":"v1","kind":5,"metadata":{"name":"x"}}');
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(`the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"apiVersion":"v1","kind":5,"m ...)`);
  });
});

describe('a body declaring another type than the endpoint takes', () => {
  it('cannot convert another registered kind into the endpoint\'s', async () => {
    const r = await post(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion');
  });

  it('finds no such kind in an unknown version, or no such kind at all', async () => {
    const version = await post(JSON.stringify({ apiVersion: 'foo/v9', kind: 'ConfigMap', metadata: { name: 'x' } }));
    expect(version.json().message).toBe('ConfigMap in version "v9" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "foo/v9" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    const kind = await post(JSON.stringify({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } }));
    expect(kind.json().message).toBe('Widget in version "v1" cannot be handled as a ConfigMap: no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    expect([version.status, kind.status]).toEqual([400, 400]);
  });

  it('decodes the kind in another group it is served from, then refuses its version', async () => {
    const r = await post(JSON.stringify({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' } }), 'application/json', '/api/v1/namespaces/default/events');
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('the API version in the data (events.k8s.io/v1) does not match the expected API version (v1)');
  });
});

describe('a number too big for its field', () => {
  it('is refused with the number named, as Go\'s decoder names it', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'huge' }, spec: { replicas: 3_000_000_000, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx' }] } } } };
    const r = await post(JSON.stringify(deployment), 'application/json', '/apis/apps/v1/namespaces/default/deployments');
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32');
    expect((await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/huge')).status).toBe(404);
  });
});

describe('text that is not valid UTF-8', () => {
  it('is stored with U+FFFD in place of the broken bytes, as Go\'s JSON decoder coerces it', async () => {
    const body = Buffer.concat([Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"utf"},"data":{"a":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"}}')]);
    const r = await post(body);
    expect(r.status).toBe(201);
    expect(r.json().data.a).toBe('x\uFFFD\uFFFDy');
    expect((await api.request('DELETE', `${CM}/utf`)).status).toBe(200);
  });
});

const kubectl = kubectlPath();
const hasDescriptors = !!kubectl && descriptorsFromBinary(kubectl).has('.k8s.io.api.core.v1.ConfigMap');
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

describe('a protobuf body', () => {
  it.skipIf(!hasDescriptors)('cut short inside its envelope is an unexpected EOF before any kind is known', async () => {
    const whole = configMapProtobuf('cut', { a: '1' });
    const r = await post(whole.subarray(0, whole.length - 3), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(`the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (${whole.subarray(0, 30).toString('hex')} ...)`);
  });

  it.skipIf(!hasDescriptors)('cut short inside the object is an unexpected EOF of the kind it declared', async () => {
    const message = configMapMessage('cut', { a: '1' });
    const r = await post(envelope(message.subarray(0, message.length - 2)), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF');
  });

  it.skipIf(!hasDescriptors)('without the Kubernetes prefix is not a protobuf message', async () => {
    const r = await post(Buffer.from('not protobuf'), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(`the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (${Buffer.from('not protobuf').toString('hex')})`);
  });

  it.skipIf(!hasDescriptors)('with an illegal wire type is refused, not a 500', async () => {
    // Field 15 (none of a ConfigMap's) with wire type 7, which protobuf does not have.
    const r = await post(envelope(Buffer.from([0x7f, 0x00])), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: illegal wireType 7');
  });

  it.skipIf(!hasDescriptors)('with a field sent as the wrong wire type names the field', async () => {
    // Field 1, metadata, sent as a varint instead of a message.
    const r = await post(envelope(Buffer.from([0x08, 0x01])), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field Metadata');
  });
});

describe('a body in a media type the endpoint does not take', () => {
  it('is 415 for a create, listing what a create takes', async () => {
    const r = await post('apiVersion: v1', 'text/plain');
    expect(r.status).toBe(415);
    expect(r.json()).toMatchObject({
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    });
  });

  it('is 415 for a patch, listing the patch types', async () => {
    const r = await patch('application/json', '{"data":{"a":"2"}}');
    expect(r.status).toBe(415);
    expect(r.json().message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
    const cbor = await patch('application/apply-patch+cbor', '{}');
    expect(cbor.status).toBe(415);
  });

  it('is 415 for a custom resource in protobuf or a strategic merge patch, which custom resources do not take', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    expect((await post(JSON.stringify(crd), 'application/json', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).status).toBe(201);
    const widgets = '/apis/example.com/v1/namespaces/default/widgets';
    const proto = await post(Buffer.from([0x6b, 0x38, 0x73, 0x00]), 'application/vnd.kubernetes.protobuf', widgets);
    expect(proto.status).toBe(415);
    expect(proto.json().message).toBe('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
    expect((await post(JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }), 'application/json', widgets)).status).toBe(201);
    const smp = await api.request('PATCH', `${widgets}/w`, { body: '{"spec":{}}', headers: { 'content-type': 'application/strategic-merge-patch+json' } });
    expect(smp.status).toBe(415);
    expect(smp.json().message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  });
});
