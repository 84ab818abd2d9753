import Dockerode from 'dockerode';
import { errors } from '@lpx/sdk';

/**
 * A client for `unix:///path`, `tcp://host:port` (plain HTTP, like the docker
 * CLI without DOCKER_TLS_VERIFY), `http(s)://host:port`. TLS settings beyond
 * that come from the environment the way dockerode reads them, when the host
 * is the environment's DOCKER_HOST.
 */
export function dockerClient(host: string, fromEnvironment: boolean): Dockerode {
  if (fromEnvironment) return new Dockerode();
  if (host.startsWith('unix://')) return new Dockerode({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('/')) return new Dockerode({ socketPath: host });
  const match = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(host);
  if (match) {
    const protocol = match[1] === 'https' ? 'https' : 'http';
    return new Dockerode({ protocol, host: match[2]!.replace(/^\[|\]$/g, ''), port: Number(match[3] ?? (protocol === 'https' ? 2376 : 2375)) });
  }
  throw errors.containers.UNAVAILABLE.create(`docker host ${JSON.stringify(host)} is not unix://, tcp:// or http(s)://`);
}
