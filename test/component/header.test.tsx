// The header at the serial console's 80 columns and wider: the clock always
// shows, and each field is whole or left out (the least important first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Header } from '../../src/ui/Header.tsx';
import { renderTui } from '../lib/ink.tsx';

const registered = { hostname: 'hv01.lab.example.com', ip: '192.168.122.10', mode: 'engine engine.lab.example.com: approved, connected', clock: '14:59', readOnly: true, note: 'test driver: changes are not kept' };

function headerAt(props: typeof registered, columns: number): string {
  const ui = renderTui(<Header {...props} width={columns} />, { columns, rows: 3 });
  try { return ui.frame().split('\n')[0]!; } finally { ui.unmount(); }
}

/** The fields between the separators, without the clock. */
const fields = (line: string) => line.replace(/\s+\d\d:\d\d\s*$/, '').split('│').map((f) => f.trim()).filter(Boolean);

describe('the header', () => {
  it('shows every field in full, the clock at the right, where the terminal is wide', () => {
    const line = headerAt(registered, 200);
    assert.deepEqual(fields(line), ['hostdeck', 'hv01.lab.example.com (192.168.122.10)', 'engine engine.lab.example.com: approved, connected', 'READ-ONLY', 'test driver: changes are not kept']);
    assert.match(line, / 14:59 ?$/);
  });

  it('at 80 columns keeps the clock and shortens the least important fields by whole words', () => {
    const line = headerAt(registered, 80);
    assert.ok([...line].length <= 80, line);
    assert.match(line, / 14:59 ?$/);
    // The product's name goes first, then the note's wording, the engine's name, the address and the domain.
    assert.deepEqual(fields(line), ['hv01', 'engine: approved, connected', 'READ-ONLY', 'test driver: not kept']);
  });

  it('a standalone host at 80 columns drops only the product name', () => {
    const line = headerAt({ ...registered, hostname: 'vm', ip: '10.0.2.15', mode: 'unconfigured', readOnly: false }, 80);
    assert.deepEqual(fields(line), ['vm (10.0.2.15)', 'unconfigured', 'test driver: changes are not kept']);
    assert.match(line, / 14:59 ?$/);
  });

  it('a hostname too long for any room leaves the field out rather than cut it', () => {
    const hostname = `${'a'.repeat(60)}.example.com`;
    for (const columns of [80, 100, 120]) {
      const line = headerAt({ ...registered, hostname }, columns);
      assert.match(line, / 14:59 ?$/, `${columns}: ${line}`);
      for (const f of fields(line)) assert.ok([hostname, 'a'.repeat(60), 'hostdeck', 'READ-ONLY', 'RO', 'engine: approved, connected', 'engine engine.lab.example.com: approved, connected', 'test driver: changes are not kept', 'test driver: not kept', 'test driver'].some((whole) => f === whole || f.startsWith(`${whole} (`)), `${columns}: "${f}" is a whole field`);
    }
  });
});
