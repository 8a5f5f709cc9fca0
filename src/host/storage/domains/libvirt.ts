// libvirt pools and volumes for storage domains: the pool module's client
// over an injected runner (this machine's libvirtd or the one inside a test host).
export { LibvirtError, PoolClient, parsePoolInfo, type PoolInfo, type Runner } from '../../../virt/pools.ts';
