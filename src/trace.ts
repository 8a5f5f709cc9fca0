// Start-up tracing: with HOSTDECK_TRACE=FILE, milestones are appended to FILE
// with the milliseconds since the process started.
import { appendFileSync } from 'node:fs';

const file = process.env.HOSTDECK_TRACE;

export function trace(label: string): void {
  if (!file) return;
  const m = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  appendFileSync(file, `${performance.now().toFixed(1)} ${label} rss=${mb(m.rss)} heap=${mb(m.heapUsed)}/${mb(m.heapTotal)} ext=${mb(m.external)}\n`);
}
