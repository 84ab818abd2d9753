export { startEmbeddedRedis, type EmbeddedRedis, type EmbeddedRedisOptions } from './embedded-redis.js';
export { connectRedis, redactRedisUrl, type ConnectRedisOptions } from './connect.js';
export { findFreePort } from './free-port.js';
