// The wizard's cluster choices: the manager's clusters with their CPU type,
// the vNIC profiles of the VM networks attached to each, and the core's rule
// for a profile NIC of the chosen cluster (the same one `vm create` applies).
import { useEffect, useState } from 'react';
import type { Shell } from '../../src/app/types.ts';
import type { HostFacts } from '../../src/domain/vm-create.ts';

export interface ClusterChoices {
  clusters?: { name: string; cpuType: string }[];
  /** By cluster name: NETWORK/PROFILE of the VM networks attached to it. */
  profiles?: Record<string, string[]>;
  profileProblem?: HostFacts['profileProblem'];
}

export function useClusterChoices(shell: Shell, cluster: string): ClusterChoices {
  const [read, setRead] = useState<Omit<ClusterChoices, 'profileProblem'>>({});
  const [rule, setRule] = useState<{ cluster: string; problem: NonNullable<HostFacts['profileProblem']> }>();
  useEffect(() => {
    let live = true;
    (async () => {
      const [clusters, networks] = await Promise.all([shell.core.manager.clusters.list(), shell.core.logicalNetworks.list()]);
      const profiles = Object.fromEntries(clusters.map((c) => [c.name, networks
        .filter((n) => n.vmNetwork && n.clusters.some((a) => a.cluster === c.name))
        .flatMap((n) => n.profiles.map((p) => `${n.name}/${p.name}`))
        .sort()]));
      if (live) setRead({ clusters: clusters.map((c) => ({ name: c.name, cpuType: c.cpuType })), profiles });
    })().catch(() => undefined);
    return () => { live = false; };
  }, []);
  useEffect(() => {
    let live = true;
    shell.core.vms.profileProblem(cluster).then((problem) => { if (live) setRule({ cluster, problem }); }, () => undefined);
    return () => { live = false; };
  }, [cluster]);
  return { ...read, profileProblem: rule?.cluster === cluster ? rule.problem : undefined };
}
