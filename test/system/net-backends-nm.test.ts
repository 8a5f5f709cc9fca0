// The network service's system suite on NetworkManager (nmcli, D-Bus checkpoints).
import { suite } from './net-backends.suite.ts';

suite('networkmanager', 81);
