// Reboot and power off from the Host screen over the real core (SQLite,
// libvirt's test driver, whose VM "test" runs): the confirm names the running
// VM and what happens to it and how the host goes down; "no" does nothing; yes
// shuts the VM down and then runs the power command, which a runner stand-in
// answers for (this machine must stay up; test/system/host-power.test.ts runs
// it for real in a QEMU test host). Read-only mode offers no power key.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { App } from '../../src/app/App.tsx';
import { createStores } from '../../src/store/host.ts';
import { createCore } from '../../src/core/index.ts';
import { hostScreen } from '../../screens/manager-host/index.ts';
import { replace } from '../../src/exec/runner.ts';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTui } from '../lib/ink.tsx';
import { consoleCore, testServices } from '../lib/services.ts';

function mount(opts: { readOnly?: boolean } = {}) {
  const services = testServices({ readOnly: opts.readOnly });
  const stores = createStores(createCore(services, { user: 'tester', channel: 'tui' }), 60_000);
  const core = consoleCore(services);
  const ui = renderTui(<App core={core} stores={stores} screens={[hostScreen]} initialTheme="dark" readOnly={Boolean(opts.readOnly)} />, { columns: 110, rows: 32 });
  return { ui, core, services, async close() { ui.unmount(); stores.stop(); await services.cleanup(); } };
}

describe('Host screen: reboot and power off', () => {
  let env: ReturnType<typeof mount> | undefined;
  let restore = () => {};
  afterEach(async () => { restore(); await env?.close(); env = undefined; });

  it('the confirm shows the running VM and its fate; no does nothing, yes shuts it down before the power command', async () => {
    const ran: string[] = [];
    restore = replace((command, args) => (['sync', 'poweroff', 'systemctl'].includes(command) ? (ran.push([command, ...args].join(' ')), { exitCode: 0 }) : undefined));
    env = mount();
    await env.ui.waitFor(/VMs\s+1 running of 1/, 15_000);
    await env.ui.press('o');
    const f = await env.ui.waitFor('Power off this host?');
    assert.match(f, /Running VMs \(1\): test\./);
    assert.match(f, /1\. test: shut down \(ACPI\), forced off after 120 s/);
    assert.match(f, /2\. no systemd here: file systems are synced and the kernel\W+powers off at once \(poweroff -f\)/);
    await env.ui.press('n');
    await env.ui.waitFor('Nothing was done');
    assert.deepEqual(ran, []);
    await env.ui.press('o');
    await env.ui.waitFor('Power off this host?');
    await env.ui.press('y');
    await env.ui.waitFor('This host is powering off', 15_000);
    assert.deepEqual(ran, ['sync', 'poweroff -f']);
    const msgs = env.services.events.list({ limit: 50 }).map((e) => `${e.message} [${e.result}]`);
    assert.ok(msgs.includes('Shut down VM test [success]'), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^Power off this host .* \[success\]$/.test(m)), msgs.join('\n'));
  });

  it('read-only mode offers no reboot or power off', async () => {
    env = mount({ readOnly: true });
    await env.ui.waitFor(/VMs\s+\d running of 1/, 15_000);
    const f = env.ui.frame();
    assert.doesNotMatch(f, /Power the host off|Reboot the host/);
    await env.ui.press('o');
    await env.ui.press('b');
    assert.doesNotMatch(env.ui.frame(), /this host\?/);
    assert.equal(env.services.events.list({ limit: 50 }).filter((e) => /this host/.test(e.message)).length, 0);
  });

  it('where systemd runs, systemctl takes the host down and restarts libvirtd; without it the restart says how by hand', async () => {
    const ran: string[] = [];
    restore = replace((command, args) => (['sync', 'poweroff', 'reboot', 'systemctl'].includes(command) ? (ran.push([command, ...args].join(' ')), { exitCode: 0 }) : undefined));
    env = mount();
    await assert.rejects(env.core.power.restartService('libvirtd'), /systemd does not run on this host, so hostdeck cannot restart libvirtd: restart it by hand/);
    const root = mkdtempSync(join(tmpdir(), 'hostdeck-systemd-'));
    mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
    process.env.HOSTDECK_SYSTEMD_ROOT = root;
    try {
      const plan = await env.core.power.plan('reboot');
      assert.match(plan.steps.at(-1)!, /systemd stops the services and the host reboots \(systemctl reboot\)/);
      await env.core.power.run('reboot', { timeoutSec: 5 });
      await env.core.power.restartService('libvirtd');
      assert.deepEqual(ran, ['systemctl reboot', 'systemctl restart libvirtd.service']);
    } finally {
      delete process.env.HOSTDECK_SYSTEMD_ROOT;
      rmSync(root, { recursive: true, force: true });
    }
    const msgs = env.services.events.list({ limit: 50 }).map((e) => `${e.message} [${e.result}]`);
    assert.ok(msgs.includes('Restart libvirtd (libvirtd.service) [success]'), msgs.join('\n'));
  });
});
