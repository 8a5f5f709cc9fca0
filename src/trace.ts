// Start-up tracing: with HOSTDECK_TRACE=FILE, milestones are appended to FILE
// with the milliseconds since the process started and the process's own CPU
// time so far (user+sys: what a loaded machine does not distort).
import { appendFileSync } from 'node:fs';

const file = process.env.HOSTDECK_TRACE;

export function trace(label: string): void {
  if (!file) return;
  const m = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const c = process.cpuUsage();
  appendFileSync(file, `${performance.now().toFixed(1)} ${label} cpu=${((c.user + c.system) / 1000).toFixed(0)} rss=${mb(m.rss)} heap=${mb(m.heapUsed)}/${mb(m.heapTotal)} ext=${mb(m.external)}\n`);
}
