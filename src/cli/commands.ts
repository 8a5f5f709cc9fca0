// Every CLI command, as data. Capabilities add their nouns here.
import type { Command } from './registry.ts';
import { engineCommands } from './engine.ts';
import { eventCommands } from './events.ts';
import { hostCommands } from './host.ts';
import { hostPowerCommands } from './host-power.ts';
import { hookCommands } from './hooks.ts';
import { customPropertyCommands } from './custom-property.ts';
import { lifecycleCommands } from './vm.ts';
import { netCommands } from './net.ts';
import { topCommands } from './top.ts';
import { storageDomainCommands } from './storage-domain.ts';
import { storageConnectionCommands } from './storage-connection.ts';
import { supportCommands } from './support.ts';
import { logCommands } from './logs.ts';
import { diagnoseCommands } from './diagnose.ts';
import { managerCommands } from './manager.ts';
import { serviceCommands } from './service.ts';
import { templateCommands } from './template.ts';
import { poolCommands } from './pool.ts';
import { logicalNetworkCommands } from './logical-network.ts';
import { hostNetworkCommands } from './host-network.ts';
import { vmDeviceCommands } from './vm-devices.ts';
import { reportCommands } from './report.ts';
import { notifyCommands } from './notify.ts';
import { alertCommands } from './alert.ts';
import { userCommands } from './user.ts';

export const COMMANDS: readonly Command[] = [...hostCommands, ...hostPowerCommands, ...managerCommands, ...customPropertyCommands, ...eventCommands, ...engineCommands, ...topCommands, ...lifecycleCommands, ...vmDeviceCommands, ...templateCommands, ...poolCommands, ...storageDomainCommands, ...storageConnectionCommands, ...netCommands, ...logicalNetworkCommands, ...hostNetworkCommands, ...supportCommands, ...logCommands, ...hookCommands, ...diagnoseCommands, ...serviceCommands, ...reportCommands, ...alertCommands, ...notifyCommands, ...userCommands];
