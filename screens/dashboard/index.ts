// The Dashboard as data, for screens/index.ts: the home screen, in the first chunk.
import type { ScreenDef } from '../../src/app/types.ts';
import { Dashboard } from './Dashboard.tsx';

export const dashboardScreen: ScreenDef = {
  id: 'dashboard', title: 'Dashboard', key: 'h', aliases: ['home', 'status', 'overview'],
  description: "This host's identity, resources, network and libvirt at a glance.",
  component: Dashboard,
};
