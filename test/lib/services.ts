// Real services for tests: a temporary SQLite file and a libvirt URI (the
// test driver by default), nothing shared with the host's own state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type Config } from '../../src/config.ts';
import { Services } from '../../src/services.ts';
import { createCore, type Core } from '../../src/core/index.ts';
import type { Channel } from '../../src/manager/events.ts';

export function testServices(opts: { uri?: string; channel?: Channel; readOnly?: boolean } = {}): Services & { cleanup: () => Promise<void>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hostdeck-test-'));
  const config: Config = { ...resolveConfig({ connect: opts.uri ?? 'test:///default', db: join(dir, 'state.db'), readOnly: opts.readOnly }, {}), logFile: join(dir, 'hostdeck.log'), user: 'tester' };
  const s = new Services(config, opts.channel ?? 'tui') as Services & { cleanup: () => Promise<void>; dir: string };
  s.dir = dir;
  s.cleanup = async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); };
  return s;
}

/** The console's core over test services: the principal the console itself uses (the configured user, channel tui). */
export function consoleCore(s: Services): Core {
  return createCore(s, { user: s.config.user, channel: 'tui' });
}
