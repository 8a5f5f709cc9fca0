// Custom VM properties, as the oVirt engine has them (UserDefinedVMProperties):
// a cluster allows property names, each with a regular expression its values
// must match whole; a VM of the cluster sets values for allowed names only,
// and its hooks get each as a variable of the property's name. The pure rules.
import type { FieldError } from './errors.ts';

export interface PropertyRule {
  name: string;
  /** Matched against the whole value. */
  regex: string;
}

/** A hook's variable name that hides none of hostdeck's (HOSTDECK_*) or the system's (PATH, HOME: upper case). */
export const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,39}$/;
export const PROPERTY_REGEX_MAX = 500;
/** A value goes into a hook's environment: no NUL, one line, within what an environment comfortably holds. */
export const PROPERTY_VALUE_MAX = 1024;

export function propertyNameProblem(name: string): string | undefined {
  if (!name) return 'is required';
  return PROPERTY_NAME.test(name) ? undefined : 'must start with a lower-case letter and have only lower-case letters, digits and "_" (at most 40), as it becomes a hook\'s variable';
}

/** The rule's regular expression, compiled to match whole values, or why it is not one. */
export function compileRule(regex: string): RegExp | string {
  if (!regex) return 'is required (".*" allows any value)';
  if (regex.length > PROPERTY_REGEX_MAX) return `must be at most ${PROPERTY_REGEX_MAX} characters`;
  // Values are one line; a rule with control or invisible format characters (a newline, a bidi override) is a mistake or a trick.
  if (/[\p{Cc}\p{Cf}]/u.test(regex)) return 'must be one line of visible characters (no control or format characters)';
  try {
    return new RegExp(`^(?:${regex})$`, 'u');
  } catch (e) {
    return `is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

export function ruleProblems(rule: PropertyRule): FieldError[] {
  const name = propertyNameProblem(rule.name);
  const re = compileRule(rule.regex);
  return [
    ...(name ? [{ field: 'name', message: `name: ${name}` }] : []),
    ...(typeof re === 'string' ? [{ field: 'regex', message: `regex: ${re}` }] : []),
  ];
}

/**
 * What is wrong with setting these values on a VM whose cluster has these
 * rules, each naming the property and the rule; none when all may be set.
 */
export function valueProblems(values: Readonly<Record<string, string>>, rules: readonly PropertyRule[], cluster: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [name, value] of Object.entries(values)) {
    const field = `property ${name}`;
    const rule = rules.find((r) => r.name === name);
    if (!rule) {
      out.push({ field, message: `${field}: cluster ${cluster} allows ${rules.length ? `only ${rules.map((r) => r.name).join(', ')}` : 'no custom property'} (hostdeck cluster property set)` });
      continue;
    }
    if (value.length > PROPERTY_VALUE_MAX) out.push({ field, message: `${field}: must be at most ${PROPERTY_VALUE_MAX} characters` });
    else if (/[\0\n\r]/.test(value)) out.push({ field, message: `${field}: must be one line with no NUL character` });
    else {
      const re = compileRule(rule.regex);
      if (typeof re !== 'string' && !re.test(value)) out.push({ field, message: `${field}: ${JSON.stringify(value.slice(0, 60))} does not match ${rule.regex} (cluster ${cluster}'s rule)` });
    }
  }
  return out;
}

/** NAME=VALUE as the CLI takes it: the name up to the first '='; the value may be empty. */
export function parseAssignment(text: string): { name: string; value: string } | undefined {
  const at = text.indexOf('=');
  return at > 0 ? { name: text.slice(0, at), value: text.slice(at + 1) } : undefined;
}
