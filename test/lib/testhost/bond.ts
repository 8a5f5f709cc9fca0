// bond0 in active-backup mode (miimon 100) over a test host's eth0 and eth1,
// up, with the extra `ip -batch` lines given after it, in one `ip -batch`
// (a program start costs under TCG; it stops at the first failing line).
import type { TestHost } from './host.ts';

export async function makeBond0(host: TestHost, then: readonly string[] = []): Promise<void> {
  await host.writeFile('/run/bond.ip', [
    'link add bond0 type bond mode active-backup miimon 100',
    'link set eth0 down', 'link set eth0 master bond0',
    'link set eth1 down', 'link set eth1 master bond0',
    'link set bond0 up',
    ...then,
  ].join('\n') + '\n');
  await host.mustRun(['ip', '-batch', '/run/bond.ip']);
}
