// Names outside the cluster that the study material resolves from inside a pod (an ExternalName
// Service aimed at GitHub's raw content host). A kind cluster's CoreDNS forwards such names to the
// host's resolver; the simulated one answers these few with their published addresses.
import { own } from '../own.js';
const WELL_KNOWN: Record<string, string[]> = {
  'raw.githubusercontent.com': ['185.199.108.133', '185.199.109.133', '185.199.110.133', '185.199.111.133'],
};

export function wellKnownHost(name: string): string[] | undefined {
  return own<string[]>(WELL_KNOWN, name.toLowerCase().replace(/\.$/, ''));
}
