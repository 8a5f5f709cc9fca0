// The Alert thresholds screen as data, for screens/index.ts (its own chunk, loaded when first opened).
import type { ScreenDef } from '../../src/app/types.ts';

export const alertThresholdsScreen: ScreenDef = {
  id: 'alert-thresholds', title: 'Alert thresholds', inMenu: false, aliases: ['alerts', 'thresholds', 'alert'],
  description: 'What raises an alert: each threshold, its window and clear level, globally or for one storage domain or network; set and reset.',
  load: () => import('./AlertThresholds.tsx').then((m) => m.AlertThresholds),
};
