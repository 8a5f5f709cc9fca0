// Storage domains (issue #7): the service, the health monitor, and how the
// CLI and the console build them from Services.
export { createDomainService, DomainError, DomainInputError, isConnected } from './service.ts';
export type { DomainConnections, DomainService, DomainServiceDeps, ConnectionRecord, FoundDomain, Lun, StorageDomain, UploadProgress } from './service.ts';
export { createDomainMonitor, HEALTH_INTERVAL_MS, HEALTH_TIMEOUT_MS } from './monitor.ts';
export type { DomainMonitor } from './monitor.ts';
export { LibvirtError, PoolClient, parsePoolInfo } from './libvirt.ts';
export type { Runner } from './libvirt.ts';
export { domainServiceFor } from './wire.ts';
