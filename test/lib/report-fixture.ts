// A history with known answers for the built-in reports: three days of
// minute samples of this host, three VMs and two storage domains, written
// through the history repository into the test's real state database and
// rolled up into hours and days as the service does, and the last half hour
// of two VMs in minute samples. Every figure is chosen so the
// reports' numbers can be worked out by hand (see FIXTURE's comments).
import { bucketStart, DAY_S, HOUR_S } from '../../src/domain/history-aggregate.ts';
import type { Db } from '../../src/manager/db.ts';
import { historyRepo, type Figures, type VmFigure } from '../../src/manager/repos/history.ts';
import { managerRepo } from '../../src/manager/repos/manager-model.ts';
import { poolRepo } from '../../src/manager/repos/pools.ts';
import { templateRepo } from '../../src/manager/repos/templates.ts';
import { storageDomainRepo } from '../../src/manager/repos/storage-domains.ts';

const GIB = 2 ** 30;
/** Minutes sampled: 3 days. */
export const MINUTES = 3 * 1440;

export const FIXTURE = {
  /** Host: CPU 20 % the first half, 40 % the second, one sample of 90 %; memory 2 GiB of 8 used, one sample of 4 GiB. */
  hostMemTotalKiB: 8 * 2 ** 20,
  cpuAvg: (2159 * 20 + 90 + 2160 * 40) / MINUTES,
  /** VM web (renamed frontend on the third day): 2 vCPUs, 2 GiB; CPU 50 %, 1 GiB used, reads 10 KiB/s, receives 2 and sends 1 KiB/s. */
  web: { uuid: '00000000-0000-4000-8000-00000000000a', vcpus: 2, memoryKiB: 2 * 2 ** 20 },
  /** VM db: 4 vCPUs, 4 GiB; CPU 70 % with one sample of 100 %, 3 GiB used, writes 100 KiB/s. */
  db: { uuid: '00000000-0000-4000-8000-00000000000b', vcpus: 4, memoryKiB: 4 * 2 ** 20, cpuAvg: (4319 * 70 + 100) / MINUTES },
  /** VM batch: 1 vCPU, 512 MiB; runs the first 18 hours (CPU 10 %, 256 MiB), shut off after. */
  batch: { uuid: '00000000-0000-4000-8000-00000000000c', vcpus: 1, memoryKiB: 2 ** 19, upMinutes: 18 * 60 },
  /** web was made from template web-tpl (version 1: two disks, 10 and 2 GiB); batch is a VM of pool desk, given to alice. */
  /** Minute samples of the last half hour (frontend up, batch off), for a range the minute level holds. */
  recentMinutes: 30,
  template: { name: 'web-tpl', diskBytes: [10 * GIB, 2 * GIB] },
  pool: { name: 'desk', owner: 'alice' },
  /** Domain data1: 100 GiB; 10 GiB used at the start, growing 12288 bytes a second. */
  data1: { capacity: 100 * GIB, used0: 10 * GIB, growthPerS: 12_288 },
  /** Domain iso1: 20 GiB, 5 GiB used throughout. */
  iso1: { capacity: 20 * GIB, used: 5 * GIB },
};

/** Write the fixture: returns the range it covers (whole hours, 5 days ago) and the ids it made. */
export function writeReportFixture(db: Db, now = Math.floor(Date.now() / 1000)): { from: number; to: number; clusterId: string; data1Id: string } {
  const from = bucketStart(now - 5 * DAY_S, DAY_S);
  const to = from + MINUTES * 60;
  const repo = historyRepo(db);
  const ids = repo.vmIds([FIXTURE.web.uuid, FIXTURE.db.uuid, FIXTURE.batch.uuid]);
  const [web, dbVm, batch] = [FIXTURE.web, FIXTURE.db, FIXTURE.batch].map((v) => ids.get(v.uuid)!) as [number, number, number];
  const vm = (f: Partial<Figures<VmFigure>>): Figures<VmFigure> => ({ cpu_pct: null, mem_used_kib: null, mem_total_kib: null, disk_read_bps: null, disk_write_bps: null, net_rx_bps: null, net_tx_bps: null, ...f });

  // The data center's default: storage domains need one.
  const dcId = db.prepare("SELECT id FROM data_centers WHERE name = 'Default'").pluck().get() as string;
  const domain = (name: string, type: 'data' | 'iso') => {
    const id = `${name}-0000-4000-8000-000000000000`;
    storageDomainRepo(db).insert({
      id, name, description: '', type, kind: 'file', dataCenterId: dcId, connectionId: '', status: 'active', formatVersion: 5, poolName: name, poolType: 'dir',
      path: `/srv/${name}`, device: null, capacityBytes: null, usedBytes: null, freeBytes: null, checkedAt: null, lastError: null, creatorHost: 'test', createdAt: new Date().toISOString(), attachedAt: new Date().toISOString(),
    });
    return id;
  };
  const data1Id = domain('data1', 'data');
  const iso1Id = domain('iso1', 'iso');

  db.transaction(() => {
    for (let k = 0; k < MINUTES; k++) {
      const t = from + k * 60;
      const batchUp = k < FIXTURE.batch.upMinutes;
      const used = FIXTURE.data1.used0 + (t - from) * FIXTURE.data1.growthPerS;
      repo.writeRound({
        t,
        host: { cpu_pct: k === 600 ? 90 : k < MINUTES / 2 - 1 ? 20 : 40, mem_used_kib: k === 600 ? 4 * 2 ** 20 : 2 * 2 ** 20, mem_total_kib: FIXTURE.hostMemTotalKiB, swap_used_kib: 0, disk_read_bps: 0, disk_write_bps: 0, net_rx_bps: 0, net_tx_bps: 0 },
        vms: [
          { vmId: web, state: 1, figures: vm({ cpu_pct: 50, mem_used_kib: 2 ** 20, mem_total_kib: FIXTURE.web.memoryKiB, disk_read_bps: 10_240, disk_write_bps: 0, net_rx_bps: 2048, net_tx_bps: 1024 }) },
          { vmId: dbVm, state: 1, figures: vm({ cpu_pct: k === 1000 ? 100 : 70, mem_used_kib: 3 * 2 ** 20, mem_total_kib: FIXTURE.db.memoryKiB, disk_read_bps: 0, disk_write_bps: 102_400, net_rx_bps: 0, net_tx_bps: 0 }) },
          { vmId: batch, state: batchUp ? 1 : 5, figures: batchUp ? vm({ cpu_pct: 10, mem_used_kib: 2 ** 18, mem_total_kib: FIXTURE.batch.memoryKiB, disk_read_bps: 0, disk_write_bps: 0, net_rx_bps: 0, net_tx_bps: 0 }) : vm({}) },
        ],
        storage: [
          { domainId: data1Id, figures: { used_bytes: used, free_bytes: FIXTURE.data1.capacity - used } },
          { domainId: iso1Id, figures: { used_bytes: FIXTURE.iso1.used, free_bytes: FIXTURE.iso1.capacity - FIXTURE.iso1.used } },
        ],
        configs: k === 0
          ? [{ vmId: web, name: 'web', vcpus: FIXTURE.web.vcpus, memoryKiB: FIXTURE.web.memoryKiB }, { vmId: dbVm, name: 'db', vcpus: FIXTURE.db.vcpus, memoryKiB: FIXTURE.db.memoryKiB }, { vmId: batch, name: 'batch', vcpus: FIXTURE.batch.vcpus, memoryKiB: FIXTURE.batch.memoryKiB }]
          : k === 2 * 1440 ? [{ vmId: web, name: 'frontend', vcpus: FIXTURE.web.vcpus, memoryKiB: FIXTURE.web.memoryKiB }] : [],
      });
    }
  })();
  for (let h = from; h < to; h += HOUR_S) repo.rollUp('hour', h, 5000);
  for (let d = from; d < to; d += DAY_S) repo.rollUp('day', d, 5000);
  // The last half hour in minute samples: frontend running, batch shut off.
  for (let k = 1; k <= FIXTURE.recentMinutes; k++) {
    repo.writeRound({ t: bucketStart(now, 60) - k * 60, vms: [{ vmId: web, state: 1, figures: vm({ cpu_pct: 50 }) }, { vmId: batch, state: 5, figures: vm({}) }], storage: [], configs: [] });
  }

  // web and db are placed in cluster cl-prod; batch has no row, so it is in the Default cluster.
  const m = managerRepo(db);
  const clusterId = m.insertCluster({ name: 'cl-prod', description: '', dataCenterId: dcId, cpuType: '', memoryOvercommit: 100, threadsAsCores: false });
  m.setVmCluster(FIXTURE.web.uuid, clusterId);
  m.setVmCluster(FIXTURE.db.uuid, clusterId);
  const created = new Date().toISOString();
  const templates = templateRepo(db);
  templates.insert({
    id: 'tpl-1', baseId: 'tpl-1', name: FIXTURE.template.name, version: 1, versionName: '', description: '', storageDomainId: data1Id, sourceVm: null,
    hardware: { vcpus: 2, memoryMiB: 2048, machine: 'pc', osType: 'linux', boot: 'disk', graphics: 'none', nics: [] }, sealed: true, status: 'ready', creatorPid: null, createdAt: created,
    disks: FIXTURE.template.diskBytes.map((sizeBytes, idx) => ({ idx, volume: `tpl-1-${idx}.qcow2`, path: `/srv/data1/tpl-1-${idx}.qcow2`, format: 'qcow2', bus: 'virtio', sizeBytes })),
  });
  templates.link({ vmUuid: FIXTURE.web.uuid, vmName: 'web', templateId: 'tpl-1', mode: 'thin', createdAt: created });
  const pools = poolRepo(db);
  pools.insert({ id: 'pool-1', name: FIXTURE.pool.name, description: '', templateId: 'tpl-1', templateVersion: 'latest', clusterId: null, size: 1, prestarted: 0, maxPerUser: 1, type: 'manual', status: 'ready', creatorPid: null, createdAt: created });
  pools.addVm({ vmUuid: FIXTURE.batch.uuid, vmName: 'batch', poolId: 'pool-1' });
  pools.assign(FIXTURE.batch.uuid, FIXTURE.pool.owner);
  return { from, to, clusterId, data1Id };
}
