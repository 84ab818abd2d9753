import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { cpuSeconds } from './proc-cpu.js';
const sock = '/tmp/rb/redis.sock';
const child = spawn('redis-server', ['--port', '6499', '--unixsocket', sock, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
async function run(name: string, client: Redis) {
  await client.set('k', 'x'.repeat(200));
  const n = 20000; const c = 16;
  const cpu0 = process.cpuUsage(); const s0 = cpuSeconds(child.pid!)!; const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: c }, async () => { while (next++ < n) await client.get('k'); }));
  const t = performance.now() - t0; const cpu = process.cpuUsage(cpu0); const s = cpuSeconds(child.pid!)! - s0;
  console.log(name, `client ${((cpu.user + cpu.system) / n).toFixed(1)} us/cmd, server ${(s * 1e6 / n).toFixed(1)} us/cmd, ${(n / t * 1000).toFixed(0)} cmd/s`);
}
for (let i = 0; i < 2; i++) {
  const tcp = new Redis({ port: 6499 }); await run('tcp ', tcp); tcp.disconnect();
  const unix = new Redis({ path: sock }); await run('unix', unix); unix.disconnect();
}
child.kill();
