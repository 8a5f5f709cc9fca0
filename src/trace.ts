// Start-up tracing: with HOSTDECK_TRACE=FILE, milestones are appended to FILE
// with the milliseconds since the process started.
import { appendFileSync } from 'node:fs';

const file = process.env.HOSTDECK_TRACE;

export function trace(label: string): void {
  if (!file) return;
  appendFileSync(file, `${performance.now().toFixed(1)} ${label}\n`);
}
