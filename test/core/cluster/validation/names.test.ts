// Name, label and metadata validation, asserted against apimachinery's exact wording.
import { describe, expect, it } from 'vitest';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  validateName,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../../../src/core/cluster/validation/names.js';
import { fieldErrorMessage } from '../../../../src/core/cluster/errors.js';
import type { ObjectMeta } from '../../../../src/core/cluster/kinds/types.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QNAME_DETAIL =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const messages = (meta: ObjectMeta, namespaced = true, rule: Parameters<typeof validateObjectMeta>[2] = 'subdomain') =>
  validateObjectMeta(meta, namespaced, rule).map(fieldErrorMessage);

describe('name formats', () => {
  it('accepts dotted lowercase subdomains and explains anything else', () => {
    expect(isDNS1123Subdomain('web.example.com')).toEqual([]);
    expect(isDNS1123Subdomain('Bad_Name')).toEqual([SUBDOMAIN_MSG]);
  });

  it('limits subdomains to 253 characters and labels to 63', () => {
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Label('a'.repeat(63))).toEqual([]);
  });

  it('refuses dots in a DNS-1123 label', () => {
    expect(isDNS1123Label('web.v1')).toEqual([LABEL_MSG]);
  });

  it('requires a DNS-1035 label to start with a letter', () => {
    expect(isDNS1035Label('my-svc')).toEqual([]);
    expect(isDNS1035Label('1svc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('lets path-segment names be anything but slashes, percents, . and ..', () => {
    expect(isValidPathSegmentName('system:controller:Foo_Bar')).toEqual([]);
    expect(isValidPathSegmentName('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(isValidPathSegmentName('..')).toEqual(["may not be '..'"]);
  });

  it('masks the trailing dash of a generateName by replacing its last two characters', () => {
    expect(validateName('label', 'web-', true)).toEqual([]);
    expect(validateName('label', 'Web-', true)).toEqual([LABEL_MSG]);
  });
});

describe('qualified names and label values', () => {
  it('accepts a key with a DNS subdomain prefix', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('MyKey')).toEqual([]);
  });

  it('explains each part of a bad key separately', () => {
    expect(isQualifiedName('app.kubernetes_io/name')).toEqual([`prefix part ${SUBDOMAIN_MSG}`]);
    expect(isQualifiedName('/name')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty', `name part ${QNAME_DETAIL}`]);
    expect(isQualifiedName('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });

  it('describes a key with more than one slash as a whole', () => {
    expect(isQualifiedName('a/b/c')).toEqual([`a qualified name ${QNAME_DETAIL} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]);
  });

  it('allows empty label values but not spaces or punctuation at the ends', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1.2_3')).toEqual([]);
    expect(isValidLabelValue('bad value!')).toEqual([LABEL_VALUE_MSG]);
    expect(isValidLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('validateObjectMeta', () => {
  it('requires a name (or generateName) and a namespace for namespaced kinds', () => {
    expect(messages({})).toEqual(['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']);
  });

  it('accepts a cluster-scoped object whatever namespace it carries, since the server clears it', () => {
    expect(messages({ name: 'n1', namespace: 'default' }, false)).toEqual([]);
  });

  it('checks the namespace as a DNS label', () => {
    expect(messages({ name: 'a', namespace: 'My_NS' })).toEqual([`metadata.namespace: Invalid value: "My_NS": ${LABEL_MSG}`]);
  });

  it('checks the name against the kind\'s rule', () => {
    expect(messages({ name: 'Bad_Name', namespace: 'default' })).toEqual([`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`]);
    expect(messages({ name: 'a/b' }, false, 'path-segment')).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
    expect(messages({ name: '1svc', namespace: 'default' }, true, 'dns1035')).toHaveLength(1);
  });

  it('reports a bad generateName and the name generated from it', () => {
    expect(messages({ generateName: 'Web-', name: 'Web-x7k2p', namespace: 'default' })).toEqual([
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`,
      `metadata.name: Invalid value: "Web-x7k2p": ${SUBDOMAIN_MSG}`,
    ]);
  });

  it('reports bad label keys and values against metadata.labels', () => {
    expect(messages({ name: 'a', namespace: 'default', labels: { app: 'bad value!', 'x/y/z': 'ok' } })).toEqual([
      `metadata.labels: Invalid value: "bad value!": ${LABEL_VALUE_MSG}`,
      `metadata.labels: Invalid value: "x/y/z": a qualified name ${QNAME_DETAIL} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  it('ignores case in annotation keys but not spaces', () => {
    expect(messages({ name: 'a', namespace: 'default', annotations: { 'Example.COM/Note': 'x' } })).toEqual([]);
    expect(messages({ name: 'a', namespace: 'default', annotations: { 'my note': 'x' } })).toEqual([`metadata.annotations: Invalid value: "my note": name part ${QNAME_DETAIL}`]);
  });

  it('limits all annotations together to 256 KiB', () => {
    const big = { note: 'x'.repeat(256 * 1024) };
    expect(messages({ name: 'a', namespace: 'default', annotations: big })).toEqual(['metadata.annotations: Too long: must have at most 262144 bytes']);
  });

  it('checks the shape of owner references and that only one is the controller', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
    expect(messages({ name: 'a', namespace: 'default', ownerReferences: [{ ...ref, uid: '' }] })).toEqual(['metadata.ownerReferences.uid: Invalid value: "": must not be empty']);
    expect(messages({ name: 'a', namespace: 'default', ownerReferences: [{ ...ref, apiVersion: 'apps/' }] })).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
    ]);
    const two = validateObjectMeta({ name: 'a', namespace: 'default', ownerReferences: [ref, { ...ref, name: 'rs2', uid: 'u2' }] }, true, 'subdomain');
    expect(two.map((e) => e.detail)).toEqual(['Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs and ReplicaSet/rs2']);
  });

  it('requires finalizers to be qualified names and forbids orphan with foregroundDeletion', () => {
    expect(messages({ name: 'a', namespace: 'default', finalizers: ['example.com/cleanup', 'kubernetes'] })).toEqual([]);
    expect(messages({ name: 'a', namespace: 'default', finalizers: ['bad finalizer'] })).toEqual([`metadata.finalizers: Invalid value: "bad finalizer": name part ${QNAME_DETAIL}`]);
    expect(validateObjectMeta({ name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }, true, 'subdomain').map((e) => e.detail)).toEqual([
      'finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'default', uid: 'u1', creationTimestamp: '2024-05-01T10:00:00Z', generation: 2 };
  const update = (next: Partial<ObjectMeta>, before: ObjectMeta = old) => validateObjectMetaUpdate({ ...old, ...next }, before).map(fieldErrorMessage);

  it('accepts an update that keeps identity fields', () => {
    expect(update({ labels: { x: 'y' } })).toEqual([]);
  });

  it('refuses to change the name, namespace or uid', () => {
    expect(update({ name: 'b' })).toEqual(['metadata.name: Invalid value: "b": field is immutable']);
    expect(update({ namespace: 'other' })).toEqual(['metadata.namespace: Invalid value: "other": field is immutable']);
    expect(update({ uid: 'u2' })).toEqual(['metadata.uid: Invalid value: "u2": field is immutable']);
  });

  it('prints a changed creationTimestamp the way Go prints a time', () => {
    expect(update({ creationTimestamp: '2024-05-02T10:00:00Z' })).toEqual(['metadata.creationTimestamp: Invalid value: 2024-05-02 10:00:00 +0000 UTC: field is immutable']);
  });

  it('refuses to decrement generation', () => {
    expect(update({ generation: 1 })).toEqual(['metadata.generation: Invalid value: 1: must not be decremented']);
  });

  it('forbids new finalizers once deletion has started', () => {
    const deleting = { ...old, deletionTimestamp: '2024-05-03T00:00:00Z', finalizers: ['a.io/x'] };
    expect(update({ deletionTimestamp: deleting.deletionTimestamp, finalizers: ['a.io/x', 'b.io/y', 'a.io/z'] }, deleting)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/z", "b.io/y"}',
    ]);
  });
});
