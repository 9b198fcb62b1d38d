// The node's kernel and machine, which every container shares and reports (uname, nproc, free,
// nginx's start-up notices, /proc).

export const KERNEL = {
  sysname: 'Linux',
  release: '6.8.0-1017-gcp',
  version: '#19-Ubuntu SMP Fri Oct  4 21:32:16 UTC 2024',
  machine: 'x86_64',
};

export const MACHINE = {
  cpus: 4,
  memoryKiB: 16_365_908,
  /** The node's disk as overlay and the kubelet's volumes see it. */
  diskKiB: 101_430_960,
  diskUsedKiB: 23_144_812,
};
