export * from './conformance.js';
export * from './start-test-host.js';
export * from './suites/discovery-strategy-suite.js';
export * from './suites/selection-algorithm-suite.js';
