// The support bundle's inputs: where the archive goes and how large it may
// get. Rules only; whether the directory exists is the core's to check.
import type { FieldError, Validated } from './errors.ts';
import { formatBytes } from './size.ts';
import { parseSize } from './storage/domain.ts';

export const DEFAULT_BUNDLE_MAX_BYTES = 50 * 1024 ** 2;
export const MIN_BUNDLE_MAX_BYTES = 1024 ** 2;
export const MAX_BUNDLE_MAX_BYTES = 4 * 1024 ** 3;
/** Where a bundle goes when no output is given (kept across reboots, unlike /tmp on many hosts). */
export const DEFAULT_BUNDLE_DIR = '/var/tmp';

export interface BundleInput {
  output?: string;
  maxSize?: string;
}

export interface BundleOptions {
  output?: string;
  maxBytes: number;
}

export const OUTPUT_RULE = 'must be an absolute path of a new file ending in .tar.gz or .tgz';
export const MAX_SIZE_RULE = `must be a size from ${formatBytes(MIN_BUNDLE_MAX_BYTES)} to ${formatBytes(MAX_BUNDLE_MAX_BYTES)} such as 50M, 200MiB or 1G`;

export function validateBundleInput(input: BundleInput): Validated<BundleOptions> {
  const errors: FieldError[] = [];
  const { output } = input;
  if (output !== undefined && (!output.startsWith('/') || /[\0\n\r]/.test(output) || !/[^/]\.(tar\.gz|tgz)$/.test(output))) {
    errors.push({ field: 'output', message: `output: ${OUTPUT_RULE} (got ${JSON.stringify(output.slice(0, 80))})` });
  }
  let maxBytes = DEFAULT_BUNDLE_MAX_BYTES;
  if (input.maxSize !== undefined) {
    const n = parseSize(input.maxSize);
    if (n === undefined || n < MIN_BUNDLE_MAX_BYTES || n > MAX_BUNDLE_MAX_BYTES) errors.push({ field: 'max-size', message: `max-size: ${MAX_SIZE_RULE} (got ${JSON.stringify(input.maxSize.slice(0, 40))})` });
    else maxBytes = n;
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { ...(output !== undefined ? { output } : {}), maxBytes } };
}
