// `hostdeck host info` on this machine: both default gateways, IPv4 and IPv6,
// as `ip route` reports them (or "none" / null where there is none).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.tsx';
import { runOk } from '../../src/exec/runner.ts';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'hostdeck-host-info-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function hostdeck(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '-c', 'test:///default', '--db', join(dir, 'state.db')], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
  return { code, out, err };
}

/** The first default route's gateway of a family, as `ip` says. */
async function defaultGateway(family: '-4' | '-6'): Promise<string | null> {
  const routes = JSON.parse((await runOk('ip', ['-j', family, 'route', 'show', 'default'])).stdout || '[]') as { gateway?: string }[];
  return routes.find((r) => r.gateway)?.gateway ?? null;
}

describe('host info', () => {
  it('prints the IPv4 and the IPv6 default gateway, on their own lines and in --json', async () => {
    const [v4, v6] = [await defaultGateway('-4'), await defaultGateway('-6')];
    const human = await hostdeck('host', 'info');
    assert.equal(human.code, 0, human.err);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(human.out, new RegExp(`^gateway\\s+${escape(v4 ?? 'none')}$`, 'm'));
    assert.match(human.out, new RegExp(`^gateway6\\s+${escape(v6 ?? 'none')}$`, 'm'));
    const json = await hostdeck('host', 'info', '--json');
    assert.equal(json.code, 0, json.err);
    const info = JSON.parse(json.out) as { gateway: string | null; gateway6: string | null };
    assert.equal(info.gateway, v4);
    assert.equal(info.gateway6, v6);
  });
});
