// Who a process runs as. Its own module because both the filesystem (permission checks) and the
// process context need it, and the context already holds the filesystem.
export interface User {
  uid: number;
  gid: number;
  /** Supplementary groups (fsGroup and supplementalGroups land here). */
  groups: number[];
  /** The name /etc/passwd gives the uid, when it has one. */
  name?: string;
}
