#!/usr/bin/env node
// exit-code.mjs FILE PROGRAM [ARGS...]: runs PROGRAM with the terminal
// inherited and writes its exit code to FILE (used by the e2e driver).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [file, program, ...args] = process.argv.slice(2);
const r = spawnSync(program, args, { stdio: 'inherit' });
const code = r.status ?? 128 + (r.signal ? 15 : 0);
writeFileSync(file, `${code}\n`);
process.exit(code);
