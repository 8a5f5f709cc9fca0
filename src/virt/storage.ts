// Storage pools, volumes and networks: pure parsers for virsh's tables
// (recorded: test/fixtures/virsh/{pool-list-details,vol-list-details,net-list}.txt).
import { parseVirshSize, parseVirshTable } from './virsh.ts';

export interface StoragePool {
  name: string;
  /** running, inactive, building, degraded, inaccessible */
  state: string;
  autostart: boolean;
  persistent: boolean;
  capacityBytes?: number;
  allocationBytes?: number;
  availableBytes?: number;
}

export interface StorageVolume {
  name: string;
  path: string;
  type: string;
  capacityBytes?: number;
  allocationBytes?: number;
}

export interface Network {
  name: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
}

const yes = (v: string | undefined) => v === 'yes';

export function parsePoolList(text: string): StoragePool[] {
  return parseVirshTable(text).map((r) => ({
    name: r.name ?? '',
    state: r.state ?? '',
    autostart: yes(r.autostart),
    persistent: yes(r.persistent),
    capacityBytes: parseVirshSize(r.capacity ?? ''),
    allocationBytes: parseVirshSize(r.allocation ?? ''),
    availableBytes: parseVirshSize(r.available ?? ''),
  })).filter((p) => p.name);
}

export function parseVolList(text: string): StorageVolume[] {
  return parseVirshTable(text).map((r) => ({
    name: r.name ?? '',
    path: r.path ?? '',
    type: r.type ?? '',
    capacityBytes: parseVirshSize(r.capacity ?? ''),
    allocationBytes: parseVirshSize(r.allocation ?? ''),
  })).filter((v) => v.name);
}

export function parseNetList(text: string): Network[] {
  return parseVirshTable(text).map((r) => ({
    name: r.name ?? '',
    active: r.state === 'active',
    autostart: yes(r.autostart),
    persistent: yes(r.persistent),
  })).filter((n) => n.name);
}
