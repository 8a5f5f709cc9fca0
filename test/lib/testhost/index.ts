// Real Linux test hosts under QEMU for system tests. See scripts/testhost/README.md.
export { withTestHost, withTestHosts, TestHost, TestHostError } from './host.ts';
export type { TestHostOptions, NicSpec, HostNic, RunOptions, RunResult, ServiceRequest } from './host.ts';
export { Segment, withSegment } from './segment.ts';
export type { SegmentOptions, DhcpOptions } from './segment.ts';
export type { ServiceName, ServiceOptions } from './services.ts';
export { ensureImage, chooseAccel } from './image.ts';
export { leftovers, leaked, sweepStale } from './cleanup.ts';
export { testHostRunner } from './runner.ts';
export type { TestHostRunner } from './runner.ts';
export { Cable } from './cable.ts';
export { makeBond0 } from './bond.ts';
