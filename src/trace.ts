// Start-up tracing: with HOSTDECK_TRACE=FILE, milestones are appended to FILE
// with the milliseconds since the process started and the process's own CPU
// time so far (user+sys: what a loaded machine does not distort). With
// HOSTDECK_TRACE_MODULES=1 as well, each milestone also lists the Node
// built-in modules loaded since the previous one.
import { appendFileSync } from 'node:fs';

const file = process.env.HOSTDECK_TRACE;
const modules = process.env.HOSTDECK_TRACE_MODULES === '1';
let seenModules = 0;

export function trace(label: string): void {
  if (!file) return;
  const m = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const c = process.cpuUsage();
  let text = `${performance.now().toFixed(1)} ${label} cpu=${((c.user + c.system) / 1000).toFixed(0)} rss=${mb(m.rss)} heap=${mb(m.heapUsed)}/${mb(m.heapTotal)} ext=${mb(m.external)}\n`;
  if (modules) {
    const list = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
    text += list.slice(seenModules).map((n) => `    ${n}\n`).join('');
    seenModules = list.length;
  }
  appendFileSync(file, text);
}
