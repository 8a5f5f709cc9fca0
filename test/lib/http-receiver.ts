// A loopback HTTP receiver for tests of what hostdeck posts (webhooks): every
// request body in the order it came, answered 200 (or never, for an endpoint
// that hangs).
import { createServer } from 'node:http';

export interface Receiver {
  /** The bodies received, oldest first. */
  readonly bodies: string[];
  url(path?: string): string;
  close(): Promise<void>;
}

export async function startReceiver(opts: { hang?: boolean } = {}): Promise<Receiver> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    if (opts.hang) return;
    let b = '';
    req.on('data', (c: Buffer) => { b += c.toString(); });
    req.on('end', () => { bodies.push(b); res.end('ok'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    bodies,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(() => r())); },
  };
}
