// A point-to-point cable between two test hosts' NICs: QEMU socket netdevs
// sending UDP to each other on 127.0.0.1. Needs no root, bridge or
// namespace; frames (LLDP included) pass untouched, as on a back-to-back
// cable. Pull it with host.setLink(nic, false) on either end.
import { createSocket } from 'node:dgram';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((res, rej) => { s.once('error', rej); s.bind(0, '127.0.0.1', () => res()); });
  const { port } = s.address();
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

export class Cable {
  private taken = 0;
  private constructor(private readonly ports: [number, number]) {}

  static async create(): Promise<Cable> {
    const a = await freeUdpPort();
    let b = await freeUdpPort();
    while (b === a) b = await freeUdpPort();
    return new Cable([a, b]);
  }

  /** The QEMU -netdev for the next end of this cable (each cable has two). */
  netdev(id: string): string {
    if (this.taken >= 2) throw new Error('a cable has two ends, both already plugged');
    const [mine, theirs] = this.taken++ === 0 ? this.ports : [this.ports[1], this.ports[0]];
    return `socket,id=${id},udp=127.0.0.1:${theirs},localaddr=127.0.0.1:${mine}`;
  }
}
