// The tools an image has: its distribution's list (images/distros.ts) plus those the shell also
// implements that every image of the family carries (busybox builds timeout and gzip in; Debian's
// coreutils and gzip packages are essential), so a learner finds them where the real image has them.
import type { ImageInfo } from '../images.js';

const BUSYBOX_MORE = ['timeout', 'gzip', 'gunzip', 'zcat', 'awk', 'stat', 'du', 'readlink', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'expr', 'rev', 'ip', 'ifconfig'];
// Debian's awk is mawk, which is essential there.
const GNU_MORE = ['timeout', 'gzip', 'gunzip', 'zcat', 'awk', 'stat', 'du', 'readlink', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'expr', 'getent'];

const MORE: Record<ImageInfo['os'], readonly string[]> = {
  busybox: BUSYBOX_MORE,
  // Alpine's musl-utils adds getent.
  alpine: [...BUSYBOX_MORE, 'getent'],
  debian: GNU_MORE,
  ubuntu: GNU_MORE,
  centos: GNU_MORE,
  oraclelinux: GNU_MORE,
  scratch: [],
};

const cache = new WeakMap<ImageInfo, readonly string[]>();

/** Every command the image has on its PATH. */
export function commandsOf(image: ImageInfo): readonly string[] {
  let all = cache.get(image);
  if (!all) {
    // An image that drops its shell (distroless-like) keeps none of the family's extras either.
    const extra = image.commands.includes('sh') ? MORE[image.os] : [];
    all = [...new Set([...image.commands, ...extra])];
    cache.set(image, all);
  }
  return all;
}
