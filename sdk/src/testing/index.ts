export * from './conformance.js';
export * from './start-test-host.js';
export * from './suites/discovery-strategy-suite.js';
export * from './suites/selection-algorithm-suite.js';
export * from './suites/transcode-backend-suite.js';
export * from './media/generate-media.js';
export * from './media/probe-media.js';
export * from './media/descendant-processes.js';
export type { MediaTools } from './media/run-tool.js';
