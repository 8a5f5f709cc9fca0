// Unattended registration values, from the kernel command line (as oVirt
// Node's installer reads them) or from a file of the same KEY=VALUE words:
//   management_server=HOST[:PORT]          (required to register)
//   management_server_fingerprint=AB:CD:.. (SHA-1 of the engine CA)
// and, in a file or on the command line alike, optional
//   management_server_ssh_user=, management_server_ssh_port=,
//   management_server_node_name=, management_server_node_address=
import { readFileSync } from 'node:fs';
import type { RegistrationInput } from '../../domain/engine.ts';
import { enginePaths, type EnginePaths } from './paths.ts';

/** Split a command line into words, honouring double quotes as the kernel does. */
export function splitCmdline(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const ch of text) {
    if (ch === '"') { quoted = !quoted; any = true; continue; }
    if (!quoted && /\s/.test(ch)) {
      if (cur || any) words.push(cur);
      cur = '';
      any = false;
      continue;
    }
    cur += ch;
  }
  if (cur || any) words.push(cur);
  return words;
}

const KEYS: Record<string, keyof RegistrationInput> = {
  management_server: 'engine',
  management_server_fingerprint: 'fingerprint',
  management_server_ssh_user: 'sshUser',
  management_server_ssh_port: 'sshPort',
  management_server_node_name: 'name',
  management_server_node_address: 'address',
};

/**
 * The registration input the text asks for, or undefined when it names no
 * management server. Lines starting with '#' are comments (files).
 */
export function parseUnattended(text: string): RegistrationInput | undefined {
  const body = text.split('\n').filter((l) => !l.trim().startsWith('#')).join(' ');
  const out: Partial<Record<keyof RegistrationInput, string>> = {};
  for (const w of splitCmdline(body)) {
    const eq = w.indexOf('=');
    if (eq < 0) continue;
    const key = KEYS[w.slice(0, eq)];
    if (key) out[key] = w.slice(eq + 1); // the last occurrence wins, as for the kernel
  }
  if (out.engine === undefined) return undefined;
  return { ...out, engine: out.engine };
}

/** The unattended values: the file first, the kernel command line overriding it. */
export function unattendedInput(cmdlineText: string, fileText = ''): RegistrationInput | undefined {
  const fromFile = parseUnattended(fileText);
  const fromCmdline = parseUnattended(cmdlineText);
  if (!fromFile && !fromCmdline) return undefined;
  const merged = { ...(fromFile ?? {}), ...(fromCmdline ?? {}) };
  return merged.engine ? (merged as RegistrationInput) : undefined;
}

export const readText = (p: string) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
};

/** The unattended values this host was booted with (kernel command line over the file), if any; to prefill the Engine screen. */
export function bootRegistrationValues(paths: EnginePaths = enginePaths()): RegistrationInput | undefined {
  return unattendedInput(readText(paths.procCmdline), readText(paths.unattendedFile));
}

