import type { Migration } from './index.ts';

// Per-interface traffic in the history (issue #18: "per logical network/NIC
// traffic"): every interface of this host but the VMs' own tap devices (a
// VM's traffic is in its own samples) at the three levels of 0013, keyed by
// a small id per interface name (history_nics). A logical network's traffic
// is its interface's: the bridge or VLAN interface host_network_attachments
// names as its device. The v1_ views follow 0015's contract; their
// logical_network_name is the network attached through that interface now.
const FIGURES = ['rx_bps', 'tx_bps'];
const LEVELS = [['minute', 'minute'], ['hourly', 'hour'], ['daily', 'day']] as const;

export const historyNics0018: Migration = {
  id: '0018-history-nics',
  up(db) {
    const agg = FIGURES.map((n) => `${n}_avg REAL, ${n}_max REAL`).join(', ');
    db.exec(`
      CREATE TABLE history_nics (
        nic_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );
      CREATE TABLE history_nic_minute (t INTEGER NOT NULL, nic_id INTEGER NOT NULL, ${FIGURES.map((n) => `${n} REAL`).join(', ')}, PRIMARY KEY (t, nic_id)) WITHOUT ROWID;
      CREATE TABLE history_nic_hour (nic_id INTEGER NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, ${agg}, PRIMARY KEY (nic_id, t)) WITHOUT ROWID;
      CREATE TABLE history_nic_day (nic_id INTEGER NOT NULL, t INTEGER NOT NULL, samples INTEGER NOT NULL, ${agg}, PRIMARY KEY (nic_id, t)) WITHOUT ROWID;
      ${LEVELS.map(([view, table]) => `
      CREATE VIEW v1_nic_samples_${view} AS
        SELECT strftime('%Y-%m-%dT%H:%M:%SZ', s.t, 'unixepoch') AS time, s.t, n.name AS nic_name, l.name AS logical_network_name
               ${table === 'minute' ? '' : ', s.samples'}, ${(table === 'minute' ? FIGURES : FIGURES.flatMap((f) => [`${f}_avg`, `${f}_max`])).map((c) => `s.${c}`).join(', ')}
        FROM history_nic_${table} s JOIN history_nics n ON n.nic_id = s.nic_id
        LEFT JOIN host_network_attachments a ON a.device = n.name
        LEFT JOIN logical_networks l ON l.id = a.network_id;`).join('\n')}
    `);
  },
};
