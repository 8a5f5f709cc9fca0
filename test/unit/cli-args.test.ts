import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError, type OptionSpecs } from '../../src/cli/args.ts';
import { resolveUri } from '../../src/config.ts';

const specs: OptionSpecs = {
  engine: { type: 'string', description: 'engine', required: true },
  port: { type: 'number', description: 'port', min: 1, max: 65535 },
  yes: { type: 'boolean', description: 'yes', short: 'y' },
  option: { type: 'list', description: 'repeatable' },
  version: { type: 'string', description: 'v', choices: ['3', '4.2'] },
};

describe('CLI argument parsing', () => {
  it('reads --name value, --name=value, short booleans, repeatable lists and positionals', () => {
    const r = parseArgs(['--engine', 'e.example.org', '--port=8443', '-y', '--option', 'a', '--option', 'b', 'web1'], specs);
    assert.deepEqual(r.options, { engine: 'e.example.org', port: 8443, yes: true, option: ['a', 'b'] });
    assert.deepEqual(r.positionals, ['web1']);
  });

  const bad: [string[], RegExp][] = [
    [[], /--engine: is required/],
    [['--engine'], /--engine: needs a value/],
    [['--engine', 'e', '--port', 'http'], /--port: must be a number/],
    [['--engine', 'e', '--port', '0'], /--port: must be at least 1/],
    [['--engine', 'e', '--port', '70000'], /--port: must be at most 65535/],
    [['--engine', 'e', '--version', '5'], /--version: must be one of 3, 4.2/],
    [['--engine', 'e', '--bogus'], /unknown option --bogus/],
    [['--engine', 'e', '-x'], /unknown option -x/],
    [['--engine', 'e', '--yes=maybe'], /--yes: takes no value/],
  ];
  for (const [argv, msg] of bad) {
    it(`rejects ${JSON.stringify(argv)} naming the option and the rule`, () => {
      assert.throws(() => parseArgs(argv, specs), (e: Error) => e instanceof UsageError && msg.test(e.message));
    });
  }

  it('keeps hostile strings as one value', () => {
    const v = 'x; rm -rf / $(reboot) | cat\n-oops';
    assert.equal(parseArgs(['--engine', v], specs).options.engine, v);
  });

  it('libvirt URI follows -c, then LIBVIRT_DEFAULT_URI, then qemu:///system', () => {
    assert.equal(resolveUri('test:///default', { LIBVIRT_DEFAULT_URI: 'qemu:///session' }), 'test:///default');
    assert.equal(resolveUri(undefined, { LIBVIRT_DEFAULT_URI: 'qemu:///session' }), 'qemu:///session');
    assert.equal(resolveUri(undefined, {}), 'qemu:///system');
  });
});
