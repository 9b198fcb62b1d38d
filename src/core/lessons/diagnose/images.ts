// Well-known image names, for "did you mean nginx?" when a pull fails. A short table of the images
// lessons and tutorials use on Docker Hub, with a few of their tags; it names images, it does not
// decide what can be pulled (the cluster's pull error does that).

export const WELL_KNOWN_IMAGES: Readonly<Record<string, readonly string[]>> = {
  nginx: ['latest', 'stable', 'mainline', 'alpine', '1.27', '1.26', '1.25'],
  busybox: ['latest', 'stable', 'musl', 'glibc', 'uclibc', '1.37', '1.36'],
  alpine: ['latest', '3.21', '3.20', '3.19'],
  redis: ['latest', 'alpine', '7', '7.4', '7.2'],
  httpd: ['latest', 'alpine', '2.4'],
  ubuntu: ['latest', 'noble', 'jammy', '24.04', '22.04'],
  debian: ['latest', 'bookworm', 'bookworm-slim', 'bullseye', '12', '11'],
  centos: ['latest', '7'],
  node: ['latest', 'lts', 'alpine', '22', '20'],
  python: ['latest', 'slim', 'alpine', '3.13', '3.12'],
  postgres: ['latest', 'alpine', '17', '16'],
  mysql: ['latest', '8.4', '8.0'],
  mongo: ['latest', '8.0', '7.0'],
  memcached: ['latest', 'alpine', '1.6'],
  traefik: ['latest', 'v3.3', 'v2.11'],
};

export interface ImageParts {
  /** The registry host when one is written (`quay.io`); '' for Docker Hub's short form. */
  registry: string;
  /** The repository path without the registry: `nginx`, `library/nginx`, `bitnami/kubectl`. */
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageParts {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0];
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return { registry: hasRegistry ? first : '', path: hasRegistry ? rest.slice(first.length + 1) : rest, tag, digest };
}

/** The Docker Hub official-image name an image names (`nginx` for `docker.io/library/nginx:1.25`), if it is one. */
export function officialName(p: ImageParts): string | undefined {
  if (p.registry && p.registry !== 'docker.io' && p.registry !== 'index.docker.io') return undefined;
  const path = p.path.startsWith('library/') ? p.path.slice('library/'.length) : p.path;
  return path.includes('/') ? undefined : path;
}

export function imageText(name: string, p: ImageParts): string {
  return `${name}${p.tag ? `:${p.tag}` : ''}${p.digest ? `@${p.digest}` : ''}`;
}
