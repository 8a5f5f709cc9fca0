// The recorded test host (test/fixtures/net) answering the network use
// cases' reads through the runner's stand-in: anything else fails without
// starting (nothing on this machine changes), except programs `real` lets run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replace } from '../../src/exec/runner.ts';

const FIX = new URL('../fixtures/net/', import.meta.url).pathname;
const RECORDED: Record<string, string> = {
  'ip -j -d addr show': 'ip-d-addr.json', 'ip -j link show': 'ip-j-link.json', 'ip -j route show default': 'ip-route-default.json',
  'ip -j -6 route show default': 'ip6-route-default.json', 'ip -j -4 route show default': 'ip-route-default.json', 'lldpcli -f json show neighbors': 'lldpcli-neighbors.json',
  'ip -d -j addr show': 'ip-d-addr.json', 'ip -j -4 route show table main': 'ip-route-default.json', 'ip -j -6 route show table main': 'ip6-route-default.json',
};

/** Run fn with the host's reads answered from the recording; every program start is pushed on `calls`. */
export async function onRecordedHost<T>(calls: string[], fn: () => Promise<T>, real: (command: string) => boolean = () => false): Promise<T> {
  const undo = replace((command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    if (real(command)) return undefined;
    if (RECORDED[line]) return { exitCode: 0, stdout: readFileSync(join(FIX, RECORDED[line]!), 'utf8') };
    if (command === 'grep') return { exitCode: 2, stdout: readFileSync(join(FIX, 'grep-sysfs.txt'), 'utf8') };
    return { exitCode: 1, stderr: `${command}: not run by this test (stand-in)\n` };
  });
  try { return await fn(); } finally { undo(); }
}
