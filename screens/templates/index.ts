// The Templates screen as data, for screens/index.ts.
import type { ScreenDef } from '../../src/app/types.ts';
import type { TemplatesDeps } from './Templates.tsx';

/** A ScreenDef with its own dependencies (tests: a stand-in API). */
export function createTemplatesScreen(deps: TemplatesDeps = {}): ScreenDef {
  return {
    id: 'templates',
    title: 'Templates',
    key: 't',
    aliases: ['template', 'templates', 'tpl', 'golden'],
    description: 'Templates and their versions: make one from a shut-off VM, see the VMs made from it, remove it.',
    // Its own chunk, loaded when the screen first opens.
    load: () => import('./Templates.tsx').then((m) => m.makeTemplatesScreen(deps)),
  };
}

export const templatesScreen: ScreenDef = createTemplatesScreen();
