// Protobuf bodies decoded with the descriptors the real kubectl carries in its binary.
import { describe, expect, it } from 'vitest';
import { descriptorsFromBinary, kubectlPath } from '../../../src/core/apiserver/protobuf.js';


const kubectl = kubectlPath();
const descriptors = kubectl ? descriptorsFromBinary(kubectl) : new Map();
// Debian's older kubectl sends JSON and may carry no descriptors; then there is nothing to read.
const hasDescriptors = descriptors.has('.k8s.io.api.core.v1.ConfigMap');

describe('protobuf descriptors from the kubectl binary', () => {
  it.skipIf(!hasDescriptors)('know the fields of a ConfigMap by their wire numbers', () => {
    const cm = descriptors.get('.k8s.io.api.core.v1.ConfigMap')!;
    expect(cm.fields.get(1)).toMatchObject({ name: 'metadata', type: 11, typeName: '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
    expect(cm.fields.get(2)).toMatchObject({ name: 'data', repeated: true });
    expect(descriptors.get('.k8s.io.api.core.v1.ConfigMap.DataEntry')?.mapEntry).toBe(true);
  });

  it.skipIf(!hasDescriptors)('know the apps/v1 Deployment and its pod template', () => {
    const spec = descriptors.get('.k8s.io.api.apps.v1.DeploymentSpec')!;
    const names = [...spec.fields.values()].map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['replicas', 'selector', 'template', 'strategy']));
  });

  it.skipIf(!hasDescriptors)('keep each file\'s messages in its own package when the binary stores two gzipped files back to back', () => {
    // certificates/v1 is stored right before certificates/v1beta1: both versions must be known.
    const v1 = descriptors.get('.k8s.io.api.certificates.v1.CertificateSigningRequestSpec');
    expect([...(v1?.fields.values() ?? [])].map((f) => f.name)).toEqual(expect.arrayContaining(['request', 'signerName', 'expirationSeconds', 'usages']));
    expect(descriptors.has('.k8s.io.api.certificates.v1beta1.CertificateSigningRequest')).toBe(true);
  });
});
