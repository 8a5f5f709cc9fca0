// Where a built-in report is exported (`hostdeck report run --output`, the
// console's Reports screen): a new file in a directory that exists; an
// existing file is never replaced, and the check comes before the report runs.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { InvalidInputError } from '../domain/errors.ts';
import { OUTPUT_RULE } from '../domain/reports.ts';

const refuse = (message: string) => new InvalidInputError([{ field: 'output', message: `output: ${message}` }]);

/** The absolute path of a new file to write the report to; refused naming the field output and the rule. */
export function checkReportOutput(path: string): string {
  // Relative paths are refused: the console and the CLI run from any directory, and a file landing in whichever one it was is lost.
  if (!isAbsolute(path) || /[\p{Cc}\p{Cf}]/u.test(path)) throw refuse(`${OUTPUT_RULE} (got ${JSON.stringify(path.slice(0, 80))})`);
  const full = path;
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw refuse(`the directory ${dir} does not exist`);
  if (existsSync(full)) throw refuse(`${full} exists; hostdeck does not replace a file (give a new name)`);
  return full;
}

/** Write a new file (never replacing one that appeared since the check). */
export function writeReportFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(`${path} appeared meanwhile; hostdeck does not replace a file`);
    throw e;
  }
}
