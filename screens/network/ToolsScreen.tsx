// Network tools: Test network (gateways, DNS servers, any host typed, a name
// to resolve; a result per target) and Emergency network reset (the
// management configuration rebuilt on one NIC from scratch after the NIC's
// name is typed as confirmation; staged, then applied with the usual
// confirmation countdown, so it rolls back unless kept).
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import { describeChange } from '../../src/domain/net/model.ts';
import type { TestResult } from '../../src/domain/net/test-targets.ts';
import { fieldErrorsOf } from '../../src/domain/errors.ts';
import type { NetStore } from '../../src/store/net.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { FieldList, useFieldForm, useFieldInput } from './FormView.tsx';
import type { FieldDef } from './forms.ts';
import { useNet } from './NetworkScreen.tsx';
import { NETWORK_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

const TEST_FIELDS: FieldDef[] = [
  { id: 'hosts', label: 'Also ping', type: 'text', placeholder: 'optional: hosts or IPs, space separated' },
  { id: 'resolve', label: 'Resolve name', type: 'text', placeholder: 'optional: e.g. engine.example.com' },
];

const RESET_FIELDS = (nics: string[]): FieldDef[] => [
  { id: 'nic', label: 'Management NIC', type: 'choice', options: nics.length ? nics : [''] },
  { id: 'method', label: 'IPv4', type: 'choice', options: ['dhcp', 'static'] },
  { id: 'address', label: 'Address', type: 'text', placeholder: 'CIDR, e.g. 192.0.2.10/24', visible: (v) => v.method === 'static' },
  { id: 'gateway', label: 'Gateway', type: 'text', placeholder: 'optional', visible: (v) => v.method === 'static' },
  { id: 'dns', label: 'DNS servers', type: 'text', placeholder: 'optional: keep the current ones' },
  { id: 'confirm', label: 'Type NIC name', type: 'text', placeholder: 'the NIC name again, to confirm' },
];

const KIND_WORD: Record<TestResult['kind'], string> = { gateway: 'gateway', dns: 'DNS server', engine: 'engine', host: 'host', resolve: 'resolve' };

export function makeToolsScreen(store: NetStore) {
  return function ToolsScreen({ shell, active }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const [tab, setTab] = useState<'test' | 'reset'>('test');
    const nics = s.inventory?.nics.map((n) => n.name) ?? [];
    const [testForm, testDispatch] = useFieldForm({ hosts: '', resolve: '' });
    const [resetForm, resetDispatch] = useFieldForm({ nic: nics[0] ?? '', method: 'dhcp', address: '', gateway: '', dns: '', confirm: '' });
    // The NIC list arrives after the first frame: the choice starts at the first NIC.
    useEffect(() => { if (!resetForm.values.nic && nics[0]) resetDispatch({ type: 'cycle', id: 'nic', options: nics, delta: 0 }); }, [nics.join(' ')]);
    const resetFields = RESET_FIELDS(nics).filter((f) => !f.visible || f.visible(resetForm.values));
    const testNav = useFieldInput(testForm, testDispatch, TEST_FIELDS, shell, active && tab === 'test');
    const resetNav = useFieldInput(resetForm, resetDispatch, resetFields, shell, active && tab === 'reset');
    const [results, setResults] = useState<TestResult[]>([]);
    const [running, setRunning] = useState(false);
    const [resetNote, setResetNote] = useState('');

    const runTest = async () => {
      const hosts = testForm.values.hosts!.split(/[\s,]+/).filter(Boolean);
      // The one network test `hostdeck net test` runs too: the same targets, each with its probe.
      let out: TestResult[];
      setRunning(true);
      try {
        out = await store.net!.test(hosts, {
          resolve: testForm.values.resolve!.trim() || undefined,
          onPlan: (targets) => setResults(targets.map((x) => ({ ...x, ok: false, detail: 'testing…' }))),
          onResult: (r) => setResults((cur) => cur.map((x) => (x.kind === r.kind && x.target === r.target ? r : x))),
        });
      } catch (e) {
        const errors = fieldErrorsOf(e);
        if (errors) testDispatch({ type: 'errors', errors: Object.fromEntries(errors.map((x) => [x.field, `${x.field}: ${x.message}`])) });
        shell.notify(...errorNotice(e, 'Not tested'));
        return;
      } finally {
        setRunning(false);
      }
      if (!out.length) { shell.notify('warning', 'Nothing to test: no gateway or DNS server is configured; type a host'); return; }
      const bad = out.filter((r) => !r.ok).length;
      shell.notify(bad ? 'warning' : 'success', bad ? `${bad} of ${out.length} targets failed` : `All ${out.length} targets answered`);
    };

    const runReset = async () => {
      const v = resetForm.values;
      const errors: Record<string, string> = {};
      if (!v.nic) errors.nic = 'nic: no NIC found on this host';
      if (v.confirm !== v.nic) errors.confirm = `confirm: type the NIC name (${v.nic}) exactly to confirm the reset`;
      if (v.method === 'static' && !v.address) errors.address = 'address: method static needs an address';
      if (Object.keys(errors).length) { resetDispatch({ type: 'errors', errors }); shell.notify('error', `Not reset: ${Object.values(errors)[0]}`); return; }
      if (!store.net) { shell.notify('error', 'Not reset: the network service is not available'); return; }
      const input = { nic: v.nic!, method: v.method as 'dhcp' | 'static', address: v.address || undefined, gateway: v.gateway || undefined, dns: v.dns ? v.dns.split(/[\s,]+/).filter(Boolean) : undefined };
      try {
        const r = await store.net.emergencyReset(input);
        if (r.errors.length) {
          resetDispatch({ type: 'errors', errors: Object.fromEntries(r.errors.map((e) => [e.field, `${e.field}: ${e.message}`])) });
          shell.notify('error', `Not reset: ${r.errors[0]!.field}: ${r.errors[0]!.message}`);
          return;
        }
        setResetNote(r.changes.map(describeChange).join('; '));
        await store.refreshService();
        shell.push('net-apply', { start: true });
      } catch (e) {
        shell.notify(...errorNotice(e, 'Not reset'));
      }
    };

    const b: Binding[] = [
      ...(tab === 'test' ? testNav : resetNav),
      bind(K.runTheTest, { when: tab === 'test' && !testForm.editing, disabledReason: running ? 'a test is running' : undefined, action: runTest }),
      bind(K.resetTheManagementNetwork, { when: tab === 'reset' && !resetForm.editing, disabledReason: s.pending ? 'an apply is waiting for confirmation' : undefined, action: runReset }),
      bind(K.testNetwork, { when: !testForm.editing && !resetForm.editing, action: () => setTab('test') }),
      bind(K.emergencyReset, { when: !testForm.editing && !resetForm.editing, action: () => setTab('reset') }),
    ];
    useBindings(b);
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text>
          <Text {...(tab === 'test' ? { inverse: true, bold: true } : tone(t, 'dim'))}> 1 Test network </Text>
          <Text> </Text>
          <Text {...(tab === 'reset' ? { inverse: true, bold: true } : tone(t, 'dim'))}> 2 Emergency network reset </Text>
        </Text>
        {tab === 'test' ? (
          <Box flexDirection="column" marginTop={1}>
            <Text wrap="wrap" {...tone(t, 'dim')}>Pings the default gateways ({s.inventory?.gateways.map((g) => g.gateway).join(', ') || 'none'}) and DNS servers ({s.inventory?.dns.servers.join(', ') || 'none'}), and any host below; T runs it.</Text>
            <FieldList fields={TEST_FIELDS} form={testForm} />
            <Box flexDirection="column" marginTop={1}>
              {results.map((r) => (
                <Text key={`${r.kind} ${r.target}`} wrap="truncate">
                  <Text {...tone(t, r.detail === 'testing…' ? 'dim' : r.ok ? 'ok' : 'error')}>{r.detail === 'testing…' ? '…' : r.ok ? '✓' : '✗'} </Text>
                  <Text>{`${KIND_WORD[r.kind]} ${r.target}`.padEnd(32)}</Text>
                  <Text {...tone(t, 'dim')}>{r.detail}</Text>
                </Text>
              ))}
            </Box>
          </Box>
        ) : (
          <Box flexDirection="column" marginTop={1}>
            <Text wrap="wrap" {...tone(t, 'warn')}>Rebuilds the management network on one NIC: the bonds, VLANs and bridges it is part of are removed and it gets the address below. It is applied with a confirmation: unless you keep it, it rolls back. E resets.</Text>
            <FieldList fields={resetFields} form={resetForm} />
            {resetNote ? <Text wrap="wrap" {...tone(t, 'dim')}>Staged: {resetNote}</Text> : null}
          </Box>
        )}
      </Box>
    );
  };
}
