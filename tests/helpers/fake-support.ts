/**
 * The fake AWS Support API of tests: the same server `npm start` files its demo claims on (src/cli/local-support.ts),
 * speaking the real JSON 1.1 protocol so the real SDK client talks to it by endpoint.
 */
export * from '../../src/cli/local-support.ts';
