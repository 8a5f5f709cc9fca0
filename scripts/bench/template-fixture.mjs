// The template the template and pool benchmarks make VMs from: the tiny test
// guest (shut off) copied into a template on a local-directory data domain
// in a scratch directory, with a scratch state DB, as the templates
// integration test sets it up; `remove` takes away every VM named with the
// fixture's prefix, the domain's libvirt pool and every file (overlays and
// the template's image live in the scratch directory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const { testServices } = await import(join(root, 'test/lib/services.ts'));
const { defineGuest, guestImage, guestName, removeGuests, SYSTEM_URI } = await import(join(root, 'test/lib/guest.ts'));
const { libvirtReady } = await import(join(root, 'test/lib/lifecycle.ts'));
const { localDataDomain, removeDomainPool } = await import(join(root, 'test/lib/local-data-domain.ts'));
const { createCore } = await import(join(root, 'src/core/index.ts'));

/** `tag`: lower-case letters naming the bench (its VMs are hd-test-<tag>-...). */
export async function templateFixture(tag) {
  await libvirtReady(root);
  await guestImage();
  const prefix = guestName(tag);
  const dir = mkdtempSync(join(tmpdir(), `hostdeck-${tag}-`));
  const services = testServices({ uri: SYSTEM_URI, channel: 'cli' });
  const core = createCore(services, { user: 'bench', channel: 'cli' });
  let domain;
  const remove = async () => {
    await removeGuests(`${prefix}-`);
    await removeDomainPool(domain);
    await services.cleanup();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    services.config.hooks = { enabled: false, root: join(dir, 'hooks'), timeoutMs: 30_000 };
    domain = await localDataDomain(core, dir, 'bench');
    await defineGuest(`${prefix}-src`, { nic: false });
    process.stderr.write('[bench] making the template\n');
    const template = await (await core.templates()).create({ name: 'tiny', vm: `${prefix}-src`, storageDomain: 'bench-data' });
    await services.virt.domainList(); // connect once, as the console does at start
    return { prefix, dir, services, core, template, images: join(domain.path, 'images'), remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
