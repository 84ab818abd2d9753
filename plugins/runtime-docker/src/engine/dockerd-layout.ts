import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where one dockerd this plugin runs keeps everything. */
export interface DockerdLayout {
  readonly stateDir: string;
  /** Images, containers, volumes: survives restarts, so built images are reused. */
  readonly dataRoot: string;
  /** Runtime state and sockets (containerd's among them): kept short, unix socket paths are limited to 107 bytes. */
  readonly execRoot: string;
  readonly socketPath: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** An empty daemon.json of our own: the machine's /etc/docker/daemon.json must not clash with our flags. */
  readonly configFile: string;
}

/** containerd nests `containerd/containerd.sock.ttrpc` and more under the exec root; keep the root itself well under the limit. */
const MAX_EXEC_ROOT = 48;

export function dockerdLayout(stateDir: string): DockerdLayout {
  const dir = resolve(stateDir);
  const inside = join(dir, 'exec');
  // A long data dir (test dirs, deep installs) gets its exec root in the temp dir, named by a hash of the state dir so a restart finds it again.
  const execRoot = inside.length <= MAX_EXEC_ROOT ? inside : join(tmpdir(), `lpx-dockerd-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`);
  return {
    stateDir: dir,
    dataRoot: join(dir, 'root'),
    execRoot,
    socketPath: join(execRoot, 'docker.sock'),
    pidFile: join(execRoot, 'dockerd.pid'),
    logFile: join(dir, 'dockerd.log'),
    configFile: join(dir, 'daemon.json'),
  };
}

export interface DockerdFlags {
  /**
   * Let dockerd manage iptables (NAT for outbound traffic from containers).
   * Off by default: every dockerd flushes and rewrites the shared DOCKER
   * chains when it starts, so two engines on one machine would break each
   * other's rules (docs/adr/0028-container-runtime.md).
   */
  readonly iptables?: boolean;
}

/**
 * The command line of an engine that coexists with other engines on the
 * machine: no default docker0 bridge (a second engine would put its
 * containers on the first one's bridge with clashing addresses), its own
 * roots, socket and pidfile. Containers join a user-defined bridge network
 * the runtime creates; the engine picks a subnet no other interface uses,
 * and published ports go through docker-proxy.
 */
export function dockerdArgs(layout: DockerdLayout, flags: DockerdFlags = {}): string[] {
  return [
    '--data-root', layout.dataRoot,
    '--exec-root', layout.execRoot,
    '--pidfile', layout.pidFile,
    '--host', `unix://${layout.socketPath}`,
    '--config-file', layout.configFile,
    '--bridge', 'none',
    `--iptables=${flags.iptables === true}`,
    '--userland-proxy=true',
    '--shutdown-timeout', '10',
  ];
}
