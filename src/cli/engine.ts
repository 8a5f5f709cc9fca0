// hostdeck engine register | status | unregister: registration with an oVirt
// engine from the command line, with the same steps and rules as the Engine
// screen. Without --fingerprint and --yes the CA fingerprint is shown and the
// operator is asked; without a terminal the CLI refuses rather than trusting.
import { readFileSync } from 'node:fs';
import { REGISTRATION_STEPS, type FieldError, type RegistrationInput, type StepProgress } from '../domain/engine.ts';
import { EngineError, enginePaths, stateWords, unattendedInput, type CaInfo } from '../core/engine.ts';
import { printable } from '../domain/text.ts';
import { exitCodeOf, toCommandError } from './errors.ts';
import { CommandError, type Command, type CommandContext } from './registry.ts';

const label = (id: string) => REGISTRATION_STEPS.find((s) => s.id === id)?.label ?? id;

function progressPrinter(ctx: CommandContext): (steps: StepProgress[]) => void {
  const shown = new Map<string, string>();
  return (steps) => {
    if (ctx.json) return;
    for (const s of steps) {
      if ((s.status !== 'done' && s.status !== 'failed') || shown.get(s.id) === s.status) continue;
      shown.set(s.id, s.status);
      const line = `${s.status === 'done' ? 'ok    ' : 'FAILED'} ${label(s.id)}${s.detail && s.status === 'done' ? `: ${s.detail}` : ''}`;
      (s.status === 'done' ? ctx.out : ctx.err)(line);
    }
  };
}

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CommandError(`${option}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}

const FIELD_OPTION: Record<string, string> = { engine: 'engine', port: 'engine', fingerprint: 'fingerprint', sshUser: 'ssh-user', sshPort: 'ssh-port', name: 'name', address: 'address' };

/** A field error as the CLI says it: naming the option, e.g. "--ssh-user: must be a POSIX user name ...". */
export function optionMessage(e: FieldError): string {
  const opt = FIELD_OPTION[e.field];
  if (!opt) return e.message;
  const i = e.message.indexOf(': ');
  const label = i >= 0 ? e.message.slice(0, i) : '';
  const rest = i >= 0 ? e.message.slice(i + 2) : e.message;
  // Keep a word the option alone does not say ("--engine: port must be ...").
  const extra = /port$/.test(label) && opt === 'engine' ? 'port ' : '';
  return `--${opt}: ${extra}${rest}`;
}

function describeCa(ca: CaInfo): string {
  return [
    'The engine presented this CA certificate (it cannot be verified yet):',
    `  subject      ${printable(ca.subject)}`,
    `  fingerprint  ${printable(ca.fingerprint)} (SHA-1)`,
    `  valid until  ${printable(ca.validTo)}`,
    'Compare the fingerprint with the one the engine shows (engine host: openssl x509 -in /etc/pki/ovirt-engine/ca.pem -noout -fingerprint -sha1).',
  ].join('\n');
}

export const engineCommands: Command[] = [
  {
    noun: 'engine',
    verb: 'register',
    summary: 'Register this host with an oVirt engine (host-register protocol version 1)',
    options: {
      engine: { type: 'string', description: 'Engine address, HOST[:PORT] or [IPv6]:PORT (port 443 if not given)', value: 'HOST[:PORT]' },
      fingerprint: { type: 'string', description: 'SHA-1 fingerprint of the engine CA, checked instead of asking', value: 'FP' },
      'ssh-user': { type: 'string', description: 'User the engine logs in as over SSH (default root)', value: 'USER' },
      'ssh-port': { type: 'number', description: 'Port of this host\'s SSH server (default 22)', value: 'N', min: 1, max: 65535 },
      name: { type: 'string', description: 'Name of this host on the engine (default: the host name)', value: 'NAME' },
      address: { type: 'string', description: 'Address the engine reaches this host at (default: the management IP)', value: 'ADDRESS' },
      yes: { type: 'boolean', description: 'Trust the engine CA without asking when no --fingerprint is given' },
      'from-cmdline': { type: 'boolean', description: 'Take management_server= and management_server_fingerprint= from /proc/cmdline (flags override)' },
      'from-file': { type: 'string', description: 'Take the same KEY=VALUE settings from a file (flags override)', value: 'PATH' },
    },
    async run(ctx) {
      const o = ctx.options;
      const paths = enginePaths();
      const flags: RegistrationInput = {
        engine: (o.engine as string | undefined) ?? '',
        fingerprint: o.fingerprint as string | undefined,
        sshUser: o['ssh-user'] as string | undefined,
        sshPort: o['ssh-port'] as number | undefined,
        name: o.name as string | undefined,
        address: o.address as string | undefined,
      };
      let input = flags;
      if (o['from-cmdline'] || o['from-file']) {
        const cmdline = o['from-cmdline'] ? readText(paths.procCmdline, '--from-cmdline') : '';
        const file = o['from-file'] ? readText(o['from-file'] as string, '--from-file') : '';
        const base = unattendedInput(cmdline, file);
        if (!base && !flags.engine) throw new CommandError(`${o['from-cmdline'] ? '--from-cmdline' : '--from-file'}: no management_server= setting found`, 2);
        input = { ...(base ?? { engine: '' }) };
        for (const [k, v] of Object.entries(flags)) if (v !== undefined && v !== '') (input as unknown as Record<string, unknown>)[k] = v;
      }
      if (!input.engine) throw new CommandError('--engine: is required (HOST[:PORT], e.g. engine.example.com or 192.0.2.10:8443)', 2);

      const confirmTrust = async (ca: CaInfo): Promise<boolean> => {
        if (o.yes) {
          ctx.err(`Trusting the engine CA ${ca.fingerprint} (${ca.subject}) because of --yes.`);
          return true;
        }
        if (!ctx.interactive) {
          throw new EngineError('untrusted', `refusing to trust the engine CA without a terminal to ask on.\n${describeCa(ca)}\nAfter checking it, run again with --fingerprint ${ca.fingerprint}`);
        }
        ctx.err(describeCa(ca));
        const a = await ctx.prompt('Trust this CA and register with the engine? [y/N] ');
        return /^y(es)?$/i.test((a ?? '').trim());
      };

      try {
        const r = await ctx.core.engine.register(input, { paths, confirmTrust, onProgress: progressPrinter(ctx) });
        if (ctx.json) {
          const { engineSshKey: _k, ...reg } = r.registration;
          ctx.out(JSON.stringify({ ...reg, engine: r.status.engine, mode: r.status.mode, state: r.status.state, keyAdded: r.keyAdded }, null, 2));
        } else {
          ctx.out(`Registered with ${r.status.engine} as ${r.registration.name} (${r.registration.address}): ${stateWords(r.status.state)}.`);
          if (r.status.state === 'pending-approval') ctx.out('Approve the host on the engine (Compute > Hosts); until then the engine does not manage it.');
        }
        return 0;
      } catch (e) {
        // The refusal to trust is hostdeck's own text over several lines (the CA's values in it are escaped).
        if (e instanceof EngineError && e.kind === 'untrusted') throw new CommandError(e.message.split('\n'), exitCodeOf(e));
        throw toCommandError(e, optionMessage);
      }
    },
  },
  {
    noun: 'engine',
    verb: 'status',
    summary: 'Show whether this host is registered with an oVirt engine and whether the engine approved it',
    async run(ctx) {
      const s = await ctx.core.engine.show(enginePaths());
      if (ctx.json) {
        const { registration, ...rest } = s;
        const reg = registration ? (({ engineSshKey: _k, ...r }) => r)(registration) : undefined;
        ctx.out(JSON.stringify({ ...rest, registration: reg }, null, 2));
        return 0;
      }
      const rows: [string, string][] = [['mode', s.mode], ['state', stateWords(s.state)]];
      const r = s.registration;
      if (r && s.engine) {
        rows.splice(1, 0, ['engine', s.engine]);
        rows.push(['ca', `${r.caFingerprint} ${r.caSubject}`], ['name', r.name], ['address', r.address], ['ssh', `${r.sshUser}@:${r.sshPort}`], ['unique id', r.uniqueId], ['registered', r.registeredAt]);
      }
      for (const [k, v] of rows) ctx.out(`${k.padEnd(12)} ${v}`);
      return 0;
    },
  },
  {
    noun: 'engine',
    verb: 'unregister',
    summary: "Forget the engine on this host: remove its SSH key and CA (remove the host on the engine as well)",
    options: {
      yes: { type: 'boolean', description: 'Do not ask for confirmation' },
    },
    async run(ctx) {
      const s = await ctx.core.engine.show(enginePaths());
      if (s.mode !== 'registered') throw new CommandError('engine unregister: this host is not registered with an engine', 1);
      if (!ctx.options.yes) {
        if (!ctx.interactive) throw new CommandError('--yes: is required to unregister without a terminal to confirm on', 2);
        const a = await ctx.prompt(`Unregister from ${s.engine}? The engine loses SSH access to this host. [y/N] `);
        if (!/^y(es)?$/i.test((a ?? '').trim())) { ctx.err('Not unregistered.'); return 1; }
      }
      try {
        const r = await ctx.core.engine.unregister({ paths: enginePaths() });
        if (ctx.json) ctx.out(JSON.stringify({ unregistered: true, ...r }, null, 2));
        else ctx.out(`Unregistered from ${r.engine}${r.removedKey ? '; its SSH key was removed' : ''}${r.removedCa ? '; its CA was removed' : ''}. Remove the host on the engine too.`);
        return 0;
      } catch (e) {
        throw toCommandError(e);
      }
    },
  },
];
