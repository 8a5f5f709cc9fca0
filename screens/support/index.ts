// The Support screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const supportScreen: ScreenDef = {
  id: 'support', title: 'Support bundle', key: 'b', aliases: ['bundle', 'sos', 'sosreport', 'logs bundle'],
  description: 'Collect logs, state and configuration (secrets redacted) into a tar.gz; fetch it with scp or copy it to a USB disk.',
  action: 'support.bundle',
  load: () => import('./Support.tsx').then((m) => m.Support),
};
