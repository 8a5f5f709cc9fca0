// The keys of the System screen as data: the component binds each entry to
// its action, and the footer, the `?` help and the docs read them from here.
import type { KeyTable } from '../../src/app/types.ts';

export const SYSTEM_KEYS = {
  timezone: { keys: ['z'], description: 'Set the time zone', dangerous: true, modes: ['list'] },
  ntpServers: { keys: ['n'], description: 'Set the NTP servers', dangerous: true, modes: ['list'] },
  ntpToggle: { keys: ['o'], description: 'Turn NTP on or off', dangerous: true, modes: ['list'] },
  clock: { keys: ['c'], description: 'Set the clock by hand (NTP off)', dangerous: true, modes: ['list'] },
  ssh: { keys: ['h'], description: 'SSH port, password login, root login', dangerous: true, modes: ['list'] },
  addKey: { keys: ['a'], description: "Add a key to root's authorized keys", dangerous: true, modes: ['list'] },
  removeKey: { keys: ['x', 'delete'], description: 'Remove the selected key', dangerous: true, modes: ['list'] },
  password: { keys: ['p'], description: 'Set the root password', dangerous: true, modes: ['list'] },
  syslog: { keys: ['l'], description: 'Forward the system log to a remote server', dangerous: true, modes: ['list'] },
  syslogTest: { keys: ['t'], description: 'Send a remote logging test message', dangerous: true, modes: ['list'] },
  keyboard: { keys: ['K'], description: "Set the console's keyboard layout", dangerous: true, modes: ['list'] },
  locale: { keys: ['L'], description: 'Set the system locale', dangerous: true, modes: ['list'] },
  netconsole: { keys: ['N'], description: "Send the kernel's messages to a remote host (netconsole)", dangerous: true, modes: ['list'] },
  netconsoleTest: { keys: ['M'], description: 'Send a netconsole test message', dangerous: true, modes: ['list'] },
  refresh: { keys: ['r'], description: 'Refresh', modes: ['list'] },
  editField: { keys: ['enter'], description: 'Edit field (a choice: next)', modes: ['form'] },
  nextChoice: { keys: ['space'], description: 'Next choice', modes: ['form'] },
  nextField: { keys: ['tab', 'down'], description: 'Next field', modes: ['form'] },
  previousField: { keys: ['up'], description: 'Previous field', modes: ['form'] },
  submit: { keys: ['s'], description: 'Apply', dangerous: true, modes: ['form'] },
  back: { keys: ['escape'], description: 'Cancel', modes: ['form'] },
} as const satisfies KeyTable;
