// Writes the CLI's man page or bash completion to stdout, from the command
// data (src/cli/docs.ts): `node --import tsx scripts/cli-docs.ts man|bash`.
import { readFileSync } from 'node:fs';
import { commandOptions, GLOBAL_OPTIONS } from '../src/cli.tsx';
import { COMMANDS } from '../src/cli/commands.ts';
import { bashCompletion, manPage } from '../src/cli/docs.ts';
import { EXIT_STATUS_HELP } from '../src/cli/registry.ts';

const what = process.argv[2];
if (what !== 'man' && what !== 'bash') {
  process.stderr.write('usage: cli-docs.ts man|bash\n');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
// The page's date: the build's (SOURCE_DATE_EPOCH, as Debian's reproducible builds set it), else today.
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const date = new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Date.now()).toISOString().slice(0, 10);
const input = { commands: COMMANDS, globalOptions: GLOBAL_OPTIONS, optionsOf: commandOptions, version, exitStatus: EXIT_STATUS_HELP, date };
process.stdout.write(what === 'man' ? manPage(input) : bashCompletion(input));
