// Whether a scenario can be played on the simulated cluster. Its scripts and the commands its pages
// show are read for programs that need a real machine: a scenario that logs in to a node or drives
// a container runtime is listed with the reason, never started and left broken.
import type { Scenario, ScenarioScript, ScenarioStep } from './format.js';

interface Need {
  /** Matches the program where a command names it. */
  program: RegExp;
  reason: string;
}

// A command word starts a line, or follows a separator, a pipe, `sudo`, `$(` or a backtick.
const word = (names: string) => new RegExp(String.raw`(?:^|[;&|({\x60]|\$\(|\bsudo\s+|\bthen\s+|\bdo\s+)\s*(?:${names})(?=\s|$|;)`, 'm');

const NEEDS: Need[] = [
  { program: word('ssh|scp'), reason: 'it logs in to a node with ssh, and kubedojo\'s nodes are simulated: there is no machine to log in to' },
  { program: word('systemctl|journalctl|service'), reason: 'it manages system services (systemctl, journalctl), which need a real node\'s init system' },
  { program: word('crictl|ctr|nerdctl'), reason: 'it talks to the container runtime (crictl), which the simulated nodes do not run' },
  { program: word('docker|podman|buildah'), reason: 'it needs a container engine (docker or podman) to build or run images, which kubedojo does not have' },
  { program: word('etcdctl|etcdutl'), reason: 'it backs up or reads etcd directly (etcdctl), and kubedojo\'s store is not etcd' },
  { program: word('kubeadm'), reason: 'it installs or upgrades the cluster with kubeadm, which needs real control-plane machines' },
  { program: word('helm'), reason: 'it installs charts with helm, which is not part of kubedojo and would download them' },
];

/** The commands a page shows: its fenced code blocks, Killercoda markers removed. */
export function codeBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^( {0,3})(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^ {0,3}\2[`~]*/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push(m[3]);
  return blocks;
}

// Comments name programs too ("# no need for docker here"); only commands count.
const withoutComments = (script: string) =>
  script
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? '' : line))
    .join('\n');

/** Why the scenario cannot be played here, one reason per program it needs; empty when it can be. */
export function unplayableReasons(s: Scenario): string[] {
  const texts: string[] = [];
  const pages: Partial<ScenarioStep>[] = [s.intro, ...s.steps, s.finish];
  for (const page of pages) {
    texts.push(...codeBlocks(page.text ?? ''));
    const scripts: (ScenarioScript | undefined)[] = [page.background, page.foreground, page.verify];
    for (const script of scripts) if (script) texts.push(script.text);
  }
  const body = texts.map(withoutComments).join('\n');
  return NEEDS.filter((n) => n.program.test(body)).map((n) => n.reason);
}
