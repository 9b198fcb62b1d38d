// Image references parsed and normalised the way the kubelet and containerd do it (the grammar of
// distribution/reference), so a learner's typo fails with the error a real node gives.

export interface ImageReference {
  domain: string;
  /** The repository path inside the registry: library/nginx, kuar-demo/kuard-amd64. */
  path: string;
  tag?: string;
  digest?: string;
  /** domain/path, the name containerd keys images by. */
  repository: string;
  /** What containerd reports: docker.io/library/nginx:latest, or …@sha256:… for a digest. */
  normalized: string;
}

export type ParsedReference = { ok: true; ref: ImageReference } | { ok: false; message: string };

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX_ID = /^[a-f0-9]{64}$/;

/** Parses as the kubelet's applyDefaultImageTag does; failures carry the kubelet's InvalidImageName message. */
export function parseReference(image: string): ParsedReference {
  const problem = referenceProblem(image);
  if (problem) return { ok: false, message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${problem}` };
  const { domain, remainder } = splitDockerDomain(image);
  const m = REFERENCE.exec(`${domain}/${remainder}`)!;
  const name = m[1];
  const path = name.slice(domain.length + 1);
  const tag = m[2] ?? (m[3] ? undefined : 'latest');
  const digest = m[3];
  const normalized = `${name}${tag && !digest ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { ok: true, ref: { domain, path, tag, digest, repository: name, normalized } };
}

function referenceProblem(image: string): string | undefined {
  if (HEX_ID.test(image)) return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  if (image === '') return 'repository name must have at least one component';
  const { domain, remainder } = splitDockerDomain(image);
  const sep = remainder.indexOf(':');
  const remote = sep > -1 ? remainder.slice(0, sep) : remainder;
  if (remote.toLowerCase() !== remote) return `invalid reference format: repository name (${remote}) must be lowercase`;
  const m = REFERENCE.exec(`${domain}/${remainder}`);
  if (!m) return 'invalid reference format';
  if (m[1].length > 255) return 'repository name must not be more than 255 characters';
  return undefined;
}

/** The first path element is a registry when it looks like a host; otherwise the image is on Docker Hub. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  const first = i < 0 ? '' : name.slice(0, i);
  let domain: string;
  let remainder: string;
  if (i < 0 || (first !== 'localhost' && !/[.:]/.test(first) && first.toLowerCase() === first)) {
    domain = 'docker.io';
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { domain, remainder };
}
