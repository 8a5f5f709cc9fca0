// The network service's system suite on iproute2 with systemd-networkd files.
import { suite } from './net-backends.suite.ts';

suite('iproute2', 82);
