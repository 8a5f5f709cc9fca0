// What the console's network tools need besides the use cases: the test's
// targets from the inventory and their checks (loaded with the tools screen).
export { targetError, testTargets, type TestResult, type TestTarget } from '../domain/net/test-targets.ts';
