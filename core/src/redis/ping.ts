import { connect } from 'node:net';

export interface ProbeResult {
  /** PING answered +PONG: the server is accepting commands (a server loading its AOF answers -LOADING). */
  ready: boolean;
  /** Which process answered, from INFO server; tells our child apart from a stranger on the same port. */
  pid: number | undefined;
}

/**
 * `PING` plus `INFO server` over a fresh socket, in raw RESP, so readiness of
 * a redis-server we spawned is decided before any client library is involved.
 */
export function probeRedis(host: string, port: number, timeoutMs = 500): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const finish = (): void => {
      socket.destroy();
      const pid = /process_id:(\d+)/.exec(answer)?.[1];
      resolve({ ready: answer.startsWith('+PONG'), pid: pid === undefined ? undefined : Number(pid) });
    };
    socket.setTimeout(timeoutMs, finish);
    socket.once('error', finish);
    socket.once('close', finish);
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (/process_id:\d+\r\n/.test(answer) || answer.startsWith('-')) finish();
    });
  });
}

/** True when something on host:port answers PING. */
export async function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return (await probeRedis(host, port, timeoutMs)).ready;
}
