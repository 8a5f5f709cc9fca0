// Registering this host with an oVirt engine, as ordered steps with
// progress: get-version, get-pki-trust, the operator's trust decision, store
// the CA, get-ssh-trust into authorized_keys, the unique id, register.
// Nothing is written on this host before the CA is trusted. The protocol,
// SSH, trust and file adapters live in src/host/engine/.
import { rmSync } from 'node:fs';
import { engineLabel, sameFingerprint, type RegistrationInput } from '../domain/engine.ts';
import { getSetting, setSetting } from '../manager/db.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { EngineError } from '../host/engine/errors.ts';
import { persistUniqueId, readUniqueId } from '../host/engine/identity.ts';
import { enginePaths } from '../host/engine/paths.ts';
import { HostRegisterClient, PROTOCOL_VERSION } from '../host/engine/protocol.ts';
import {
  EngineInputError, Progress, checkWritable, prepareRegistration, writeFileAtomic,
  type EngineEnv,
} from '../host/engine/register.ts';
import { readText, unattendedInput } from '../host/engine/unattended-args.ts';
import { authorizedKeysPath, hostKeyFingerprint, installAuthorizedKey, lookupUser, parsePublicKey, removeAuthorizedKey, sshFingerprint } from '../host/engine/ssh.ts';
import { engineState, MODE_KEY, readRegistration, UNATTENDED_KEY, writeRegistration, type StoredRegistration } from '../host/engine/state.ts';
import { parseCa, readCa } from '../host/engine/trust.ts';
import type { Door } from './door.ts';
import type { EngineDeps, EngineUseCases, RegisterResult } from './engine.ts';

export function engineRegistration(deps: EngineDeps): Pick<EngineUseCases, 'register' | 'unregister' | 'unattended'> {
  const { db, events } = deps;
  // Unattended registration is hostdeck acting on its own at start: its events name the system channel.
  const systemDoor = deps.door.forPrincipal({ user: deps.door.principal.user, channel: 'system' });

  async function register(door: Door, input: RegistrationInput, env: EngineEnv): Promise<RegisterResult> {
    const paths = env.paths ?? enginePaths();
    const reg = await prepareRegistration(input, env);
    const label = engineLabel(reg.engineHost, reg.enginePort);
    if (getSetting(db, MODE_KEY) === 'standalone') {
      throw new EngineError('state', 'this host is a standalone manager: a host has one manager; leave standalone mode first (hostdeck manager leave)');
    }
    const existing = readRegistration(db);
    if (existing && (existing.engineHost !== reg.engineHost || existing.enginePort !== reg.enginePort)) {
      throw new EngineError('state', `this host is already registered with ${engineLabel(existing.engineHost, existing.enginePort)}; unregister it first (hostdeck engine unregister)`);
    }
    const sshUser = lookupUser(paths.passwdFile, reg.sshUser)!;
    checkWritable([paths.caFile, paths.vdsmIdFile, authorizedKeysPath(paths.root, sshUser)]);
    const progress = new Progress(env.onProgress);
    const client = new HostRegisterClient({ host: reg.engineHost, port: reg.enginePort, timeoutMs: env.timeoutMs, lookup: env.lookup });

    return door.act('engine.register', { id: label }, { message: `Register as ${reg.name} (${reg.address}) with oVirt engine ${label}` }, async ({ commit }) => {
      await progress.run('version', async () => {
        const v = await client.getVersion();
        if (v !== PROTOCOL_VERSION) {
          throw new EngineError('unsupported', `this engine is not supported: it speaks host-register version ${JSON.stringify(v.slice(0, 20))}, hostdeck speaks version ${PROTOCOL_VERSION}`);
        }
        return v;
      }, (v) => `version ${v}`);

      const ca = await progress.run('pki-trust', async () => parseCa(await client.getPkiTrust()), (c) => `${c.fingerprint} ${c.subject}`);

      await progress.run('trust', async () => {
        if (reg.fingerprint) {
          if (!sameFingerprint(reg.fingerprint, ca.fingerprint)) {
            throw new EngineError('fingerprint', `fingerprint mismatch: the engine presented a CA with fingerprint ${ca.fingerprint} (${ca.subject}), but ${reg.fingerprint} was expected; nothing was changed on this host`);
          }
          return 'matches the fingerprint given in advance';
        }
        const stored = readCa(paths.caFile);
        if (stored && sameFingerprint(stored.fingerprint, ca.fingerprint)) return `already trusted (${paths.caFile})`;
        if (!env.confirmTrust) {
          throw new EngineError('untrusted', `the engine CA was not trusted: no fingerprint was given in advance and no one can confirm it here. Check on the engine that its CA fingerprint is ${ca.fingerprint} and give it as the fingerprint`);
        }
        if (!(await env.confirmTrust(ca))) throw new EngineError('rejected', `the engine CA ${ca.fingerprint} (${ca.subject}) was not accepted; nothing was changed on this host`);
        return 'accepted by the operator';
      }, (how) => how);

      // Read everything that can fail before the first write.
      const uid = readUniqueId(paths);
      const hostKey = hostKeyFingerprint(paths.sshHostKeyDir);

      // The last request before anything is written: it proves the engine's
      // HTTPS certificate chains to the CA just trusted.
      const key = await progress.run('ssh-trust', async () => parsePublicKey(await client.getSshTrust(ca.pem)), (k) => `${k.type} ${sshFingerprint(k.blob)}`);

      await progress.run('store-ca', async () => {
        try {
          writeFileAtomic(paths.caFile, ca.pem, 0o644);
        } catch (e) {
          throw new EngineError('local', `could not store the engine CA in ${paths.caFile}: ${(e as Error).message}`);
        }
      }, () => paths.caFile);

      const installed = await progress.run('authorized-key', async () => installAuthorizedKey(paths.root, sshUser, key), (r) => `${r.added ? 'added to' : 'already in'} ${r.file}`);

      await progress.run('unique-id', async () => {
        try {
          persistUniqueId(uid, paths.vdsmIdFile);
        } catch (e) {
          throw new EngineError('local', `could not write ${paths.vdsmIdFile}: ${(e as Error).message}`);
        }
        return uid;
      }, (u) => `${u.id} (from ${u.source === 'dmi' ? 'the DMI system UUID' : paths.vdsmIdFile})`);

      await progress.run('register', async () => {
        const answer = await client.register({
          name: reg.name, address: reg.address, uniqueId: uid.id, sshUser: reg.sshUser, sshPort: reg.sshPort, vdsPort: reg.vdsPort,
          sshKeyFingerprint: hostKey?.fingerprint,
        }, ca.pem);
        if (answer !== 'OK') throw new EngineError('protocol', `register answered ${JSON.stringify(answer.slice(0, 80))} instead of OK`);
      }, () => 'registered, pending approval');

      const stored: StoredRegistration = {
        engineHost: reg.engineHost, enginePort: reg.enginePort, caFingerprint: ca.fingerprint, caSubject: ca.subject,
        name: reg.name, address: reg.address, sshUser: reg.sshUser, sshPort: reg.sshPort, vdsPort: reg.vdsPort, uniqueId: uid.id,
        engineSshKey: key.line, authorizedKeysFile: installed.file, sshKeyFingerprint: hostKey?.fingerprint,
        registeredAt: new Date().toISOString(),
      };
      commit(() => writeRegistration(db, stored));
      return { registration: stored, status: engineState({ db }, paths), ca, keyAdded: installed.added };
    });
  }

  return {
    register: (input, env = {}) => register(deps.door, input, env),

    async unregister(env = {}) {
      const paths = env.paths ?? enginePaths();
      const reg = readRegistration(db);
      if (!reg) throw new EngineError('state', 'this host is not registered with an engine');
      const label = engineLabel(reg.engineHost, reg.enginePort);
      return deps.door.act('engine.unregister', { id: label }, { message: `Unregister from oVirt engine ${label}` }, async ({ commit }) => {
        let removedKey = false;
        const user = lookupUser(paths.passwdFile, reg.sshUser);
        if (user && reg.engineSshKey) removedKey = removeAuthorizedKey(paths.root, user, parsePublicKey(reg.engineSshKey));
        let removedCa = false;
        const ca = readCa(paths.caFile);
        if (ca && sameFingerprint(ca.fingerprint, reg.caFingerprint)) {
          rmSync(paths.caFile, { force: true });
          removedCa = true;
        }
        commit(() => writeRegistration(db, null));
        return { engine: label, removedKey, removedCa };
      });
    },

    async unattended(cmdlineText, env = {}) {
      const paths = env.paths ?? enginePaths();
      const input = unattendedInput(cmdlineText ?? readText(paths.procCmdline), readText(paths.unattendedFile));
      if (!input) return { status: 'not-requested' };
      const attemptKey = JSON.stringify([input.engine, input.fingerprint ?? '']);
      const existing = readRegistration(db);
      if (existing) return { status: 'already-registered', message: `already registered with ${engineLabel(existing.engineHost, existing.enginePort)}` };
      if (!env.force && getSetting(db, UNATTENDED_KEY) === attemptKey) {
        return { status: 'already-attempted', message: `unattended registration with ${input.engine} was already attempted; see the event log, or register from the Engine screen` };
      }
      // A refused attempt (read-only mode) writes nothing but its refusal event: it is tried again at the next start.
      if (!systemDoor.whyNot('engine.register')) setSetting(db, UNATTENDED_KEY, attemptKey);
      if (!input.fingerprint?.trim()) {
        const message = `Unattended registration with ${input.engine} not done: management_server_fingerprint is not given, and the engine CA is not trusted blindly; register from the Engine screen or with hostdeck engine register after checking the fingerprint`;
        events.record({ source: 'engine', objectType: 'engine', objectId: input.engine, severity: 'warning', message, result: 'failure', channel: 'system' });
        return { status: 'refused', message };
      }
      try {
        const result = await register(systemDoor, input, { ...env, paths, confirmTrust: undefined });
        return { status: 'registered', message: result.status.summary, result };
      } catch (e) {
        if (e instanceof EngineInputError) {
          const message = `Unattended registration values are not valid: ${e.message.replace(/\n/g, '; ')}`;
          events.record({ source: 'engine', objectType: 'engine', objectId: input.engine, message, result: 'failure', channel: 'system' });
          return { status: 'failed', message };
        }
        if (e instanceof ForbiddenError) return { status: 'refused', message: e.message };
        return { status: 'failed', message: (e as Error).message };
      }
    },
  };
}
