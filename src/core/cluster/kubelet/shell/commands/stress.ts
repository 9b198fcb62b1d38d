// polinux/stress, the load generator the resource-limit docs use: --vm holds memory (which the
// kubelet weighs against the container's limit) and --cpu burns CPU time.
import { err, sleep } from '../io.js';
import type { Program } from './types.js';
import { fail } from './util.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function bytes(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(s);
  return m ? Math.round(Number(m[1]) * UNITS[m[2].toLowerCase()]) : undefined;
}

export const stressProgram: Program = function* (argv, sys) {
  let cpu = 0;
  let io = 0;
  let vm = 0;
  let hdd = 0;
  let vmBytes = 256 * 1024 ** 2;
  let timeout: number | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--cpu' || a === '-c') cpu = Number(v());
    else if (a === '--io' || a === '-i') io = Number(v());
    else if (a === '--vm' || a === '-m') vm = Number(v());
    else if (a === '--hdd' || a === '-d') hdd = Number(v());
    else if (a === '--vm-bytes') {
      const b = bytes(v());
      if (b === undefined) return yield* fail(sys, `FAIL: [1] (${'326'}) invalid number`);
      vmBytes = b;
    } else if (a === '--timeout' || a === '-t') timeout = Number(v().replace(/s$/, ''));
    else if (a === '--vm-hang' || a === '--vm-stride' || a === '--backoff' || a === '--hdd-bytes') v();
  }
  const pid = sys.ctx.pid ?? 1;
  yield* err(`stress: info: [${pid}] dispatching hogs: ${cpu} cpu, ${io} io, ${vm} vm, ${hdd} hdd\n`);
  try {
    sys.ctx.setMemory?.(vm * vmBytes);
    sys.ctx.setCpuMillicores?.(cpu * 1000);
    yield* sleep(timeout === undefined ? Infinity : timeout * 1000);
  } finally {
    sys.ctx.setMemory?.(0);
    sys.ctx.setCpuMillicores?.(0);
  }
  yield* err(`stress: info: [${pid}] successful run completed in ${timeout}s\n`);
  return 0;
};
