// The CLI as a program (`node --import tsx src/cli.tsx ...`), started
// asynchronously so a server in the test's own process (the engine stand-in)
// keeps answering while it runs. stdin is an empty pipe: the CLI has no
// terminal to ask on.
import { spawn } from 'node:child_process';

const ROOT = new URL('../..', import.meta.url).pathname;

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
