// Safe apply, as the operator sees it: the diff, each step with its
// progress, then "keep this configuration?" with a live countdown; keeping
// confirms, Rollback (or the countdown running out) restores the previous
// configuration. An apply pending from another session opens straight at
// the question.
import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { bind, useBindings } from '../../src/app/keys.ts';
import type { Binding, ScreenProps } from '../../src/app/types.ts';
import type { ApplyStep, NetStore, PendingApply } from '../../src/store/net.ts';
import { tone, useTheme, type Theme } from '../../src/ui/theme.ts';
import { riskText } from '../../src/domain/net/impact.ts';
import { useNet } from './NetworkScreen.tsx';
import { RiskNote, diffRole, diffText, risksOf, sameRisks } from './Risk.tsx';
import { diffSign, secondsLeft } from './view.ts';
import { NETWORK_KEYS as K } from './keys.ts';
import { errorNotice } from '../../src/ui/error-notice.ts';

const MARK: Record<ApplyStep['status'], { mark: string; role: 'ok' | 'error' | 'dim' | 'warn' }> = {
  pending: { mark: '·', role: 'dim' }, running: { mark: '…', role: 'warn' }, done: { mark: '✓', role: 'ok' }, failed: { mark: '✗', role: 'error' }, skipped: { mark: '-', role: 'dim' },
};

type Phase = 'ready' | 'applying' | 'confirm' | 'confirming' | 'kept' | 'rolling-back' | 'rolled-back' | 'failed';

/** The confirmation question with its countdown. */
export function keepQuestion(deadline: number, now = Date.now()): string {
  return `Keep this configuration? Rolling back in ${secondsLeft(deadline, now)} s`;
}

export function Steps({ steps, t }: { steps: ApplyStep[]; t: Theme }) {
  return (
    <Box flexDirection="column">
      {steps.map((s) => (
        <Text key={s.id} wrap="truncate">
          <Text {...tone(t, MARK[s.status].role)}>{MARK[s.status].mark} </Text>
          <Text {...(s.status === 'pending' ? tone(t, 'dim') : {})}>{s.label}</Text>
          {s.detail ? <Text {...tone(t, s.status === 'failed' ? 'error' : 'dim')}>  {s.detail}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** The question an applied change waits on: the countdown, the probes after the change, Keep or Rollback. */
export function KeepBox({ deadline, probes, t }: { deadline: number; probes: readonly { name: string; ok: boolean; detail?: string }[]; t: Theme }) {
  return (
    <Box flexDirection="column" borderStyle="double" {...(t.color ? { borderColor: t.warn } : {})} paddingX={2} marginTop={1} alignSelf="flex-start">
      <Text bold {...tone(t, 'warn')}>{keepQuestion(deadline)}</Text>
      {probes.map((p) => <Text key={p.name} wrap="truncate" {...tone(t, p.ok ? 'ok' : 'error')}>{p.ok ? '✓' : '✗'} {p.name}{p.detail ? `  ${p.detail}` : ''}</Text>)}
      <Box gap={3} marginTop={1}><Text inverse bold>[ Keep (y) ]</Text><Text>[ Rollback (R) ]</Text></Box>
    </Box>
  );
}

export function makeApplyScreen(store: NetStore, opts: { confirmTimeoutS: () => number }) {
  return function ApplyScreen({ shell, params }: ScreenProps) {
    const t = useTheme();
    const s = useNet(store, shell);
    const svc = store.net;
    const [phase, setPhase] = useState<Phase>(s.pending ? 'confirm' : 'ready');
    const [steps, setSteps] = useState<ApplyStep[]>([]);
    const [pending, setPending] = useState<PendingApply | undefined>(s.pending);
    const [message, setMessage] = useState<string>('');
    const [, tick] = useState(0);
    const started = useRef(false);
    const timeoutS = opts.confirmTimeoutS();

    // What the staged changes do to the management interface; params.acceptedRisks: already confirmed (the wizard asks before it stages).
    const risks = risksOf(s, s.staged);
    const start = async () => {
      if (!svc || (started.current && phase !== 'rolled-back' && phase !== 'failed')) return;
      if (risks.length && !sameRisks(risks, params.acceptedRisks) && !(await shell.confirm(`${riskText(risks)}. Apply anyway?`, { yes: 'Apply anyway' }))) {
        shell.notify('info', 'Not applied: the changes stay staged');
        return;
      }
      started.current = true;
      setSteps([]);
      setMessage('');
      setPending(undefined);
      setPhase('applying');
      try {
        const p = await store.apply({ confirmTimeoutS: timeoutS, onSteps: setSteps });
        setPending(p);
        setPhase('confirm');
      } catch (e) {
        setMessage((e as Error).message);
        setPhase('failed');
        shell.notify(...errorNotice(e, 'Not applied'));
      } finally {
        await store.refresh();
      }
    };

    useEffect(() => { if (params.start === true && !s.pending) void start(); }, []);
    // An apply pending from another session (or found after this screen opened) goes straight to the question.
    useEffect(() => {
      if (phase === 'ready' && s.pending) { setPending(s.pending); setPhase('confirm'); }
    }, [phase, s.pending]);

    // The countdown redraws every second while the question is open; at zero the service has rolled back.
    useEffect(() => {
      if (phase !== 'confirm' || !pending) return;
      let timer: ReturnType<typeof setTimeout>;
      const next = () => {
        timer = setTimeout(() => {
          tick((n) => n + 1);
          if (Date.now() < pending.deadline) { next(); return; }
          setSteps((st) => st.map((x) => (x.id === 'confirm' ? { ...x, status: 'failed', detail: 'not confirmed in time' } : x)));
          const done = (reason?: string) => {
            store.settled();
            setPhase('rolled-back');
            setMessage(`${started.current ? `Not confirmed within ${timeoutS} s` : 'Not confirmed in time'}: the previous configuration is back.${reason ? ` (${reason})` : ''}`);
            shell.notify('warning', 'Network change not confirmed: rolled back');
            void store.refresh();
          };
          if (!pending.outcome) { done(); return; }
          setPhase('rolling-back');
          void pending.outcome.then((o) => {
            if (o.status === 'confirmed') { store.settled(); setPhase('kept'); setMessage('Confirmed (from another session): the new configuration is kept.'); void store.refresh(); } else done();
          });
        }, 250);
      };
      next();
      return () => clearTimeout(timer);
    }, [phase, pending]);

    const keep = async () => {
      if (!svc) return;
      setPhase('confirming');
      try {
        await svc.confirm();
        store.settled();
        setPhase('kept');
        setSteps((st) => st.map((x) => (x.id === 'confirm' ? { ...x, status: 'done', detail: 'confirmed' } : x)));
        setMessage('Confirmed: the new configuration is kept.');
        shell.notify('success', 'Network configuration confirmed');
      } catch (e) {
        setPhase('failed');
        setMessage(`Confirm failed: ${(e as Error).message}`);
        shell.notify(...errorNotice(e, 'Confirm failed'));
      } finally {
        await store.refresh();
      }
    };
    const rollback = async () => {
      if (!svc) return;
      setPhase('rolling-back');
      try {
        await svc.rollback('rolled back by the operator');
        store.settled();
        setPhase('rolled-back');
        setSteps((st) => st.map((x) => (x.id === 'confirm' ? { ...x, status: 'failed', detail: 'rolled back by you' } : x)));
        setMessage('Rolled back: the previous configuration is back.');
        shell.notify('warning', 'Network configuration rolled back');
      } catch (e) {
        setPhase('failed');
        setMessage(`Rollback failed: ${(e as Error).message}`);
        shell.notify(...errorNotice(e, 'Rollback failed'));
      } finally {
        await store.refresh();
      }
    };

    const b: Binding[] = [
      bind(K.applyNow, { description: `Apply (confirm within ${timeoutS} s)`, when: phase === 'ready' || ((phase === 'rolled-back' || phase === 'failed') && s.staged.length > 0), disabledReason: s.staged.length ? undefined : 'nothing is staged', action: start }),
      bind(K.keepThisConfiguration, { when: phase === 'confirm', action: keep }),
      bind(K.rollBackNow, { when: phase === 'confirm', action: rollback }),
    ];
    useBindings(b);

    const diff = pending?.diff.length ? pending.diff : s.diff;
    return (
      <Box flexDirection="column" height={shell.size.rows} paddingX={1} overflow="hidden">
        <Text bold {...tone(t, 'accent')}>Apply the staged network changes</Text>
        <Box flexDirection="column" marginBottom={1}>
          {pending ? null : <RiskNote risks={risks} t={t} />}
          {diff.slice(0, Math.max(3, Math.floor(shell.size.rows / 3))).map((d, i) => (
            <Text key={i} wrap="truncate" {...tone(t, diffRole(d))}>{pending ? diffSign(d) : diffText(d, risks)}</Text>
          ))}
          {!diff.length ? <Text {...tone(t, 'dim')}>Nothing staged.</Text> : null}
        </Box>
        {phase === 'ready' ? <Text wrap="wrap">Enter applies: a checkpoint is taken first; you then have {timeoutS} s to confirm from here or with `hostdeck net confirm`, otherwise it rolls back.</Text> : null}
        {steps.length ? <Steps steps={steps} t={t} /> : null}
        {phase === 'applying' && !steps.length ? <Text {...tone(t, 'warn')}>Applying…</Text> : null}
        {(phase === 'confirm' || phase === 'confirming') && pending ? (
          <KeepBox deadline={pending.deadline} probes={pending.probes} t={t} />
        ) : null}
        {phase === 'rolling-back' ? <Text {...tone(t, 'warn')}>Rolling back…</Text> : null}
        {message ? <Text wrap="wrap" {...tone(t, phase === 'kept' ? 'ok' : phase === 'rolled-back' ? 'warn' : 'error')}>{message}</Text> : null}
        {(phase === 'rolled-back' || phase === 'failed') && s.staged.length ? (
          <Text wrap="wrap" {...tone(t, 'dim')}>The changes are staged again: Esc goes back to change them, X there discards them, Enter here applies them again.</Text>
        ) : null}
      </Box>
    );
  };
}
