// The support bundle from the console: b collects it (with its progress),
// then the screen shows the file, its size, the scp command that fetches it
// and what the size limit cut or the host lacked; c copies it to a mounted
// removable disk (a USB stick), the one selected when there are several.
import { useCallback, useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import { useSelection } from '../../src/app/list.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { CollectProgress, RemovableMount, SupportBundle } from '../../src/core/support.ts';
import { formatBytes } from '../../src/domain/size.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';
import { tone, useTheme } from '../../src/ui/theme.ts';
import { SUPPORT_KEYS as K } from './keys.ts';

export function Support({ shell }: ScreenProps) {
  const t = useTheme();
  const [progress, setProgress] = useState<CollectProgress | 'starting'>();
  const [bundle, setBundle] = useState<SupportBundle>();
  const [mounts, setMounts] = useState<RemovableMount[]>([]);
  const [copying, setCopying] = useState(false);
  const [copied, setCopied] = useState<string>();

  const lookForDisks = useCallback(() => { shell.core.support.removableMounts().then(setMounts, () => setMounts([])); }, [shell.core]);
  useEffect(lookForDisks, [lookForDisks]);
  const { selected, bindings: nav } = useSelection(mounts.map((m) => m.mountPoint), 5, 'mount');

  const write = async () => {
    setBundle(undefined);
    setCopied(undefined);
    setProgress('starting');
    try {
      const b = await shell.core.support.bundle({}, setProgress);
      setBundle(b);
      shell.notify('success', `Support bundle written: ${b.path} (${formatBytes(b.bytes)})`);
    } catch (e) {
      shell.notify(...errorNotice(e, 'Support bundle not written'));
    } finally {
      setProgress(undefined);
      lookForDisks();
    }
  };
  const copy = async () => {
    if (!bundle || !selected) return;
    setCopying(true);
    try {
      const c = await shell.core.support.copyToRemovable(bundle.path, selected);
      setCopied(c.path);
      shell.notify('success', `Copied to ${c.path}`);
    } catch (e) {
      shell.notify(...errorNotice(e, 'Not copied'));
    } finally {
      setCopying(false);
    }
  };

  const refused = shell.core.whyNot('support.bundle');
  const busy = progress !== undefined || copying;
  const bindings: Binding[] = [
    ...nav,
    bind(K.bundle, { disabledReason: refused ?? (busy ? 'a bundle is being written' : undefined), action: write }),
    bind(K.copy, {
      when: Boolean(bundle),
      disabledReason: shell.core.whyNot('support.copy') ?? (busy ? 'busy' : !mounts.length ? 'no removable disk is mounted' : copied ? `copied already to ${copied}` : undefined),
      action: copy,
    }),
    bind(K.refresh, { footer: false, action: lookForDisks }),
  ];
  useBindings(bindings);

  const trimmed = bundle?.parts.filter((p) => p.trimmed) ?? [];
  const missing = bundle?.parts.filter((p) => p.status === 'missing') ?? [];
  return (
    <Box flexDirection="column" paddingX={1} height={shell.size.rows} overflow="hidden">
      <Text bold {...tone(t, 'accent')}>Support bundle</Text>
      <Text {...tone(t, 'dim')} wrap="truncate-end">System facts, hostdeck&apos;s events, settings and log, libvirt logs and domain XML, network and storage state, dmesg, the journal; secrets redacted.</Text>
      <Box marginTop={1} flexDirection="column">
        {progress === 'starting' ? <Text {...tone(t, 'warn')}>Collecting…</Text> : null}
        {progress && progress !== 'starting' ? <Text {...tone(t, 'warn')} wrap="truncate-end">Collecting {progress.done}/{progress.total}: {progress.part}</Text> : null}
        {!progress && !bundle ? (refused ? <Text {...tone(t, 'warn')} wrap="truncate-end">No bundle here: {refused}</Text> : <Text>b writes a bundle to /var/tmp.</Text>) : null}
        {bundle ? (
          <>
            <Text wrap="truncate-middle"><Text {...tone(t, 'ok')}>Written: </Text>{bundle.path}  ({formatBytes(bundle.bytes)})</Text>
            <Text wrap="truncate-middle">Fetch it: {bundle.scp}</Text>
            {trimmed.length ? <Text {...tone(t, 'warn')} wrap="truncate-end">Trimmed to the size limit (tail kept): {trimmed.map((p) => p.path).join(', ')}</Text> : null}
            {missing.length ? <Text {...tone(t, 'dim')} wrap="truncate-end">Not on this host (in the index): {missing.map((p) => p.path).join(', ')}</Text> : null}
            {copied ? <Text {...tone(t, 'ok')} wrap="truncate-middle">Copied to {copied}</Text> : null}
          </>
        ) : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Removable disks</Text>
        {mounts.length ? mounts.map((m) => {
          const isSel = m.mountPoint === selected;
          return <Text key={m.mountPoint} wrap="truncate-end" {...(isSel ? { inverse: true } : {})}>{isSel ? '› ' : '  '}{m.mountPoint}  ({m.device}, {m.fsType})</Text>;
        }) : <Text {...tone(t, 'dim')}>None mounted: mount a USB disk to copy the bundle onto it (ctrl+r looks again).</Text>}
      </Box>
    </Box>
  );
}
