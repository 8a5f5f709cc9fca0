// Ordered list of schema migrations. Append new ones at the end with a new,
// unique id; never edit one that has shipped.
import type { Db } from '../db.ts';
import { core0001 } from './0001-core.ts';
import { network0002 } from './0002-network.ts';
import { storageConnections0003 } from './0003-storage-connections.ts';
import { storageDomains0004 } from './0004-storage-domains.ts';
import { eventAttempts0005 } from './0005-event-attempts.ts';
import { storageConnectionErrorTime0006 } from './0006-storage-connection-error-time.ts';
import { managerModel0007 } from './0007-manager-model.ts';
import { templates0008 } from './0008-templates.ts';
import { pools0009 } from './0009-pools.ts';
import { logicalNetworks0010 } from './0010-logical-networks.ts';
import { customProperties0012 } from './0012-custom-properties.ts';
import { hostNetworks0011 } from './0011-host-networks.ts';
import { history0013 } from './0013-history.ts';
import { reportViews0014 } from './0014-report-views.ts';
import { historyViews0015 } from './0015-history-views.ts';
import { alerts0016 } from './0016-alerts.ts';
import { notifications0017 } from './0017-notifications.ts';
import { historyNics0018 } from './0018-history-nics.ts';
import { permissions0020 } from './0020-permissions.ts';
import { users0021 } from './0021-users.ts';

export interface Migration {
  id: string;
  up: (db: Db) => void;
}

export const MIGRATIONS: readonly Migration[] = [core0001, network0002, storageConnections0003, storageDomains0004, eventAttempts0005, storageConnectionErrorTime0006, managerModel0007, templates0008, pools0009, logicalNetworks0010, hostNetworks0011, customProperties0012, history0013, reportViews0014, historyViews0015, alerts0016, notifications0017, historyNics0018, permissions0020, users0021];
