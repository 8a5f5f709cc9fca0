// The one rule every name of a libvirt object shares (VM, snapshot, storage
// pool, volume, network, bridge), whoever typed it: the CLI, a console form,
// the access layer. Names travel to programs (virsh, qemu-img, lvm) and onto
// the operator's screen, so a name must not be readable as an option and must
// not hold characters that drive the terminal or hide what is shown.

import { controlCharProblem } from './text.ts';

/** Bidirectional embeddings, overrides and isolates, and the direction marks (LRM, RLM, ALM). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Zero-width space, non-joiner, joiner, word joiner and the byte order mark. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;

/** Why a string cannot name a libvirt object (the rule in words), or undefined when it can. */
export function objectNameProblem(name: string): string | undefined {
  if (name.startsWith('-')) return "must not start with '-' (a program would read it as an option)";
  const control = controlCharProblem(name);
  if (control) return control;
  if (BIDI.test(name)) return 'must not contain bidirectional-override or direction-mark characters';
  if (ZERO_WIDTH.test(name)) return 'must not contain zero-width characters';
  return undefined;
}
