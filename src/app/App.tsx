// The shell: screen stack with breadcrumbs, global keys, the `:` palette,
// the `?` help, confirm dialogs and notifications. Screens come in as data.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useWindowSize, type Key } from 'ink';
import type { ThemeName } from '../config.ts';
import { fuzzyFilter } from '../domain/fuzzy.ts';
import { connectionNote } from '../domain/vm-disks.ts';
import { keyName } from '../domain/keys.ts';
import type { Core } from '../core/index.ts';
import { modeLabel, type Stores } from '../store/host.ts';
import { usePolled } from '../store/use-polled.ts';
import { ConfirmDialog } from '../ui/Dialog.tsx';
import { Breadcrumbs, Header } from '../ui/Header.tsx';
import { HelpOverlay } from '../ui/HelpOverlay.tsx';
import { KeyBar } from '../ui/KeyBar.tsx';
import { NoticeLine, noticeRows } from '../ui/Notice.tsx';
import { PaletteView } from '../ui/Palette.tsx';
import { editText } from '../ui/TextLine.tsx';
import { makeTheme, nextTheme, ThemeContext, tone } from '../ui/theme.ts';
import { BindingContext, effectiveBindings, findBinding, type BindingRegistry } from './keys.ts';
import { useScreenComponent, whenLoaded } from './lazy-screen.ts';
import { ScreenStateContext, ScreenStates, selectedObjectOf } from './screen-state.ts';
import { paletteItems as buildPaletteItems, shellActions } from './palette.ts';
import { StoresContext } from './stores.ts';
import type { Binding, NoticeKind, PaletteAction, ScreenDef, Shell } from './types.ts';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface StartupNotice { kind: NoticeKind; text: string }

export interface AppProps {
  /** Results of start-up work (e.g. unattended registration) shown when they arrive. */
  startupNotices?: readonly Promise<StartupNotice | undefined>[];
  /** The use cases for the console's operator (built before the first frame, with the stores). */
  core: Core;
  stores: Stores;
  screens: readonly ScreenDef[];
  actions?: readonly PaletteAction[];
  initialTheme: ThemeName;
  readOnly: boolean;
  /** Overrides the header's mode text (tests); by default it comes from stores.mode. */
  mode?: () => string;
  /** Called once after the first frame that shows the host, libvirt, VM counts and mode data (benchmark mark; the programs held until then start). */
  onFirstData?: () => void;
  /** Overrides for tests (ink-testing-library has no window size hook source). */
  size?: { columns: number; rows: number };
  now?: () => Date;
}

/**
 * A notice on the line above the footer. A result (success, info) expires
 * after a few seconds wherever the operator is: it often closes its screen
 * (a created VM goes back to the list). An error or a warning belongs to the
 * screen that raised it: it is gone when another screen is shown, and on the
 * next key press; otherwise it expires after a minute.
 */
interface Notice { kind: NoticeKind; text: string; id: number; owner: string }

function noticeOutlivesScreen(kind: NoticeKind): boolean {
  return kind === 'success' || kind === 'info';
}

function noticeLifetimeMs(kind: NoticeKind): number {
  return noticeOutlivesScreen(kind) ? 6000 : 60_000;
}

/** The keys `?` lists: every one of the current view, those that cannot run now with the reason (read-only mode included). */
function helpBindings(bindings: readonly Binding[], readOnly: boolean): Binding[] {
  return bindings.filter((b) => b.when !== false).map((b) => (readOnly && b.dangerous && !b.disabledReason ? { ...b, disabledReason: 'not available in read-only mode' } : b));
}

interface StackEntry { id: string; params: Record<string, unknown>; key: number }
interface Confirm { question: string; dangerous: boolean; yes: string; focusYes: boolean; resolve: (ok: boolean) => void }

function sig(bs: readonly Binding[]): string {
  return bs.map((b) => `${b.keys.join(',')}|${b.description}|${b.when}|${b.disabledReason ?? ''}|${b.dangerous ? 1 : 0}|${b.footer}`).join(';');
}

export function App(props: AppProps) {
  const { core, stores, screens, readOnly } = props;
  const { exit, suspendTerminal } = useApp();
  const win = useWindowSize();
  const size = props.size ?? win;
  const [themeName, setThemeName] = useState<ThemeName>(props.initialTheme);
  const theme = useMemo(() => makeTheme(themeName), [themeName]);
  const home = screens[0]!;
  const [stack, setStack] = useState<StackEntry[]>([{ id: home.id, params: {}, key: 0 }]);
  const [overlay, setOverlay] = useState<'none' | 'help' | 'palette'>('none');
  const [helpOffset, setHelpOffset] = useState(0);
  const [palette, setPalette] = useState({ query: '', selected: 0 });
  const [confirmState, setConfirm] = useState<Confirm | null>(null);
  const [notice, setNotice] = useState<Notice>();
  const [capture, setCaptureState] = useState(false);
  // The state the key handler reads lives in a ref updated synchronously, so
  // several keys arriving in one chunk (fast typing, paste) act in order.
  const live = useRef({ overlay: 'none' as 'none' | 'help' | 'palette', palette: { query: '', selected: 0 }, confirm: null as Confirm | null, capture: false });
  const [clock, setClock] = useState(() => (props.now ?? (() => new Date()))());
  const keySeq = useRef(1);
  // The stack key of the screen on top: a notice raised through the shell
  // belongs to it, unless a screen's own shell names itself (its late results stay with it).
  const topKey = useRef('0');

  // Bindings registered by the screen on top (owner = its stack key).
  const bindingsRef = useRef(new Map<string, Binding[]>());
  const [bindingSig, setBindingSig] = useState('');
  const registry = useMemo<BindingRegistry>(() => ({
    set(owner, bs) {
      const prev = bindingsRef.current.get(owner);
      bindingsRef.current.set(owner, bs);
      if (!prev || sig(prev) !== sig(bs)) setBindingSig(`${owner}:${sig(bs)}`);
    },
    clear(owner) {
      if (bindingsRef.current.delete(owner)) setBindingSig(`${owner}:cleared`);
    },
  }), []);

  const top = stack[stack.length - 1]!;
  topKey.current = String(top.key);
  const bindingCtx = useMemo(() => ({ registry, owner: String(top.key) }), [registry, top.key]);
  // What each screen on the stack keeps (sort, filter, selection) while another covers it.
  const screenStates = useMemo(() => new ScreenStates(), []);
  const screenStateCtx = useMemo(() => ({ states: screenStates, owner: String(top.key) }), [screenStates, top.key]);
  useEffect(() => { screenStates.retain(stack.map((e) => String(e.key))); }, [screenStates, stack]);
  const topDef = screens.find((s) => s.id === top.id) ?? home;
  const screenBindings = bindingsRef.current.get(String(top.key)) ?? [];
  void bindingSig;

  // Clock (hours and minutes), chained to the next minute: a per-second
  // clock would redraw the whole frame every second on every screen.
  useEffect(() => {
    let t: NodeJS.Timeout;
    const next = () => 60_000 - (Date.now() % 60_000) + 5;
    const tick = () => { setClock((props.now ?? (() => new Date()))()); t = setTimeout(tick, next()); };
    t = setTimeout(tick, next());
    return () => clearTimeout(t);
  }, [props.now]);

  const notifyFrom = useCallback((owner: string, kind: NoticeKind, text: string) => {
    const id = keySeq.current++;
    setNotice({ kind, text, id, owner });
    const t = setTimeout(() => setNotice((n) => (n?.id === id ? undefined : n)), noticeLifetimeMs(kind));
    t.unref?.();
  }, []);
  const notify = useCallback((kind: NoticeKind, text: string) => notifyFrom(topKey.current, kind, text), [notifyFrom]);

  useEffect(() => {
    let live = true;
    for (const p of props.startupNotices ?? []) void p.then((n) => { if (live && n) notify(n.kind, n.text); }, () => undefined);
    return () => { live = false; };
  }, [props.startupNotices, notify]);

  const confirm = useCallback<Shell['confirm']>((question, opts) => new Promise<boolean>((resolve) => {
    setConfirm({ question, dangerous: opts?.dangerous ?? true, yes: opts?.yes ?? 'Yes', focusYes: false, resolve });
  }), []);

  // A screen in a chunk of its own opens once loaded: its breadcrumb and its
  // content appear together (a failed load opens it with the reason).
  const open = useCallback((id: string, params: Record<string, unknown>, inPlace: boolean) => {
    const def = screens.find((s) => s.id === id);
    if (!def) { notify('error', `No screen named ${id}`); return; }
    void whenLoaded(def, () => {
      setStack((st) => [...(inPlace && st.length > 1 ? st.slice(0, -1) : st), { id, params, key: keySeq.current++ }]);
      live.current = { ...live.current, capture: false };
      setCaptureState(false);
    });
  }, [screens, notify]);
  const push = useCallback((id: string, params: Record<string, unknown> = {}) => open(id, params, false), [open]);
  const replace = useCallback((id: string, params: Record<string, unknown> = {}) => open(id, params, true), [open]);

  const back = useCallback(() => {
    setStack((st) => (st.length > 1 ? st.slice(0, -1) : st));
    live.current = { ...live.current, capture: false };
    setCaptureState(false);
  }, []);

  const jump = useCallback((id: string) => {
    const def = screens.find((s) => s.id === id) ?? home;
    void whenLoaded(def, () => {
      setStack((st) => (id === home.id ? [st[0]!] : [st[0]!, { id, params: {}, key: keySeq.current++ }]));
      live.current = { ...live.current, capture: false };
      setCaptureState(false);
    });
  }, [screens, home]);

  // Takes effect for the very next key, not only after the next render.
  const setCapture = useCallback((c: boolean) => { live.current = { ...live.current, capture: c }; setCaptureState(c); }, []);

  const suspend = useCallback<Shell['suspend']>(async (fn) => {
    let result: Awaited<ReturnType<typeof fn>> | undefined;
    await suspendTerminal(async () => { result = await fn(); });
    return result as Awaited<ReturnType<typeof fn>>;
  }, [suspendTerminal]);

  const shownNotice = notice && (noticeOutlivesScreen(notice.kind) || notice.owner === String(top.key)) ? notice : undefined;
  // A notice wraps (up to 3 lines) instead of being cut; the screen gets the rest.
  const bodyRows = Math.max(1, size.rows - 3 - noticeRows(shownNotice, size.columns));
  const shell: Shell = useMemo(() => ({
    core, readOnly, notify, confirm, push, replace, back, setCapture, suspend, screens,
    size: { rows: bodyRows, columns: size.columns },
  }), [core, readOnly, notify, confirm, push, replace, back, setCapture, suspend, screens, bodyRows, size.columns]);
  // The shell the screen on top gets: its notices are its own.
  const screenShell: Shell = useMemo(() => ({ ...shell, notify: (kind, text) => notifyFrom(String(top.key), kind, text) }), [shell, notifyFrom, top.key]);
  // Another screen shown: the notices that belonged to the one before are gone.
  useEffect(() => { setNotice((n) => (n && !noticeOutlivesScreen(n.kind) && n.owner !== String(top.key) ? undefined : n)); }, [top.key]);

  const actions: PaletteAction[] = useMemo(() => [
    ...shellActions({ switchTheme: () => setThemeName((n) => nextTheme(n)), quit: () => exit() }),
    ...(props.actions ?? []),
  ], [props.actions, exit]);

  // Built again when the palette opens: the door's answers and the selection are those of that moment.
  const paletteItems = useMemo(() => buildPaletteItems(screens, actions, { readOnly, whyNot: core.whyNot, selected: selectedObjectOf(screenStates, String(top.key)) }),
    [screens, actions, readOnly, core, screenStates, top.key, overlay]);
  const paletteMatches = useMemo(() => fuzzyFilter(palette.query, paletteItems), [palette.query, paletteItems]);

  const runBinding = useCallback(async (b: Binding) => {
    if (b.disabledReason) { notify('warning', `${b.description}: ${b.disabledReason}`); return; }
    if (b.confirm && !(await confirm(b.confirm, { dangerous: b.dangerous }))) { notify('info', `${b.description}: cancelled`); return; }
    try {
      await b.action();
    } catch (err) {
      notify('error', `${b.description} failed: ${(err as Error).message}`);
    }
  }, [confirm, notify]);

  const globalBindings: Binding[] = useMemo(() => [
    { keys: ['?'], description: 'Help', action: () => { setHelpOffset(0); setOverlay('help'); }, group: 'Global' },
    { keys: [':'], description: 'Command palette', action: () => { setPalette({ query: '', selected: 0 }); setOverlay('palette'); }, group: 'Global' },
    { keys: ['escape'], description: 'Back', action: back, when: stack.length > 1, group: 'Global' },
    { keys: ['q'], description: stack.length > 1 ? 'Back' : 'Quit', action: () => (stack.length > 1 ? back() : exit()), group: 'Global', footer: false },
    { keys: ['ctrl+c'], description: 'Quit', action: () => exit(), group: 'Global', footer: false },
  ], [back, exit, stack.length]);

  const tooSmall = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;

  live.current = { ...live.current, overlay, palette, confirm: confirmState, capture };
  const setOverlayNow = (o: typeof overlay) => { live.current = { ...live.current, overlay: o }; setOverlay(o); };
  const setPaletteNow = (p: typeof palette) => { live.current = { ...live.current, palette: p }; setPalette(p); };

  const handleKey = (input: string, key: Key) => {
    const name = keyName(input, key);
    if (name === 'ctrl+c') { exit(); return; }
    if (tooSmall) return;
    // The operator has seen an error or warning once they press the next key.
    setNotice((n) => (n && !noticeOutlivesScreen(n.kind) ? undefined : n));
    const cur = live.current;
    if (cur.confirm) {
      const c = cur.confirm;
      const done = (ok: boolean) => { live.current = { ...live.current, confirm: null }; setConfirm(null); c.resolve(ok); };
      if (name === 'y' || name === 'Y') done(true);
      else if (name === 'n' || name === 'N' || name === 'escape' || name === 'q') done(false);
      else if (name === 'left' || name === 'right' || name === 'tab' || name === 'shift+tab') { const n = { ...c, focusYes: !c.focusYes }; live.current = { ...live.current, confirm: n }; setConfirm(n); }
      else if (name === 'enter') done(c.focusYes);
      return;
    }
    if (cur.overlay === 'help') {
      if (name === 'escape' || name === '?' || name === 'q') setOverlayNow('none');
      else if (name === 'down' || name === 'j') setHelpOffset((o) => o + 1);
      else if (name === 'up' || name === 'k') setHelpOffset((o) => Math.max(0, o - 1));
      else if (name === 'pagedown') setHelpOffset((o) => o + bodyRows - 3);
      else if (name === 'pageup') setHelpOffset((o) => Math.max(0, o - bodyRows + 3));
      return;
    }
    if (cur.overlay === 'palette') {
      const p = cur.palette;
      const matches = fuzzyFilter(p.query, paletteItems);
      if (name === 'escape') { setOverlayNow('none'); return; }
      if (name === 'down' || name === 'tab') { setPaletteNow({ ...p, selected: Math.min(p.selected + 1, Math.max(0, matches.length - 1)) }); return; }
      if (name === 'up' || name === 'shift+tab') { setPaletteNow({ ...p, selected: Math.max(0, p.selected - 1) }); return; }
      if (name === 'enter') {
        const item = matches[p.selected];
        if (!item) { notify('warning', `Nothing matches "${p.query}"`); return; }
        setOverlayNow('none');
        if (item.kind === 'screen') { if (item.params) push(item.screenId, item.params); else jump(item.screenId); }
        else void Promise.resolve(item.action.run(shell)).catch((e: Error) => notify('error', e.message));
        return;
      }
      const next = editText(p.query, input, key);
      if (next !== undefined) setPaletteNow({ query: next, selected: 0 });
      return;
    }
    if (cur.capture) return;
    // Read the screen's bindings fresh: they close over its latest state.
    const current = bindingsRef.current.get(String(top.key)) ?? [];
    const sb = findBinding(effectiveBindings(current, readOnly), name);
    if (sb) { void runBinding(sb); return; }
    if (readOnly) {
      const dropped = findBinding(current.filter((b) => b.dangerous), name);
      if (dropped) { notify('warning', `${dropped.description}: not available in read-only mode`); return; }
    }
    const gb = findBinding(effectiveBindings(globalBindings, false), name);
    if (gb) {
      if (gb.keys.includes('?')) live.current = { ...live.current, overlay: 'help' };
      if (gb.keys.includes(':')) live.current = { ...live.current, overlay: 'palette', palette: { query: '', selected: 0 } };
      void runBinding(gb);
    }
  };

  useInput((input, key) => {
    // A chunk of plain characters (typed fast or pasted) is handled key by key.
    if (input.length > 1 && !key.ctrl && !key.meta && !input.startsWith('\x1b')) {
      for (const ch of input) {
        if (ch === '\r' || ch === '\n') handleKey('', { ...key, return: true });
        else handleKey(ch, key);
      }
      return;
    }
    handleKey(input, key);
  });

  const identity = usePolled(stores.identity).data;
  const modeState = usePolled(stores.mode);
  // The first complete frame: the host, libvirt, the VM counts (or why there
  // are none: libvirtd down, the sampler failing) and the mode (header,
  // engine status line) drawn. Until then the shell listens to those stores
  // itself (their updates re-render it, so this effect sees the frame that
  // has them); afterwards only the screens that show them keep them polling.
  const [firstDataSent, setFirstDataSent] = useState(false);
  const [, setFirstDataTick] = useState(0);
  useEffect(() => {
    if (firstDataSent) return;
    const wake = () => setFirstDataTick((n) => n + 1);
    const offs = [stores.host.subscribe(wake), stores.virt.subscribe(wake), stores.vms.subscribe(wake)];
    return () => { for (const off of offs) off(); };
  }, [stores, firstDataSent]);
  useEffect(() => {
    const virt = stores.virt.getSnapshot().data;
    const vms = stores.vms.getSnapshot();
    const vmsShown = Boolean(vms.data || vms.error || virt?.status.state === 'disconnected');
    if (!firstDataSent && identity && stores.host.getSnapshot().data && virt && vmsShown && (props.mode || modeState.data) && !tooSmall) {
      setFirstDataSent(true);
      props.onFirstData?.();
    }
  });

  const trail = stack.map((e) => (screens.find((s) => s.id === e.id) ?? home).title);
  const screenModule = useScreenComponent(topDef);
  const Screen = screenModule.component;
  const footer = useMemo(() => [...effectiveBindings(screenBindings, readOnly), ...effectiveBindings(globalBindings, false)], [screenBindings, globalBindings, readOnly]);

  const bodyActive = overlay === 'none' && !confirmState && !tooSmall;
  return (
    <ThemeContext.Provider value={theme}>
      <StoresContext.Provider value={stores}>
        {tooSmall ? (
          <Box width={size.columns} height={size.rows} flexDirection="column" justifyContent="center" alignItems="center">
            <Text bold>Terminal too small</Text>
            <Text wrap="wrap">hostdeck needs at least {MIN_COLUMNS}x{MIN_ROWS}; this terminal is {size.columns}x{size.rows}.</Text>
            <Text wrap="wrap">Enlarge the window (Ctrl-C quits).</Text>
          </Box>
        ) : null}
        {/* Rows clipped only vertically: a horizontal clip makes ink slice every line of every frame (a third of a key press's CPU in the VM list); every line fits the width it is given. */}
        {/* Hidden, not unmounted, while the terminal is too small: an open form keeps what was typed across a resize. */}
        <Box display={tooSmall ? 'none' : 'flex'} width={size.columns} height={size.rows} flexDirection="column" overflowY="hidden">
          <Header hostname={identity?.hostname ?? '…'} ip={identity?.ip} mode={props.mode ? props.mode() : modeLabel(modeState.data)} clock={clock.toTimeString().slice(0, 5)} width={size.columns} readOnly={readOnly} note={connectionNote(core.config.uri)} />
          <Breadcrumbs trail={trail} width={size.columns} />
          <Box height={bodyRows} width={size.columns} flexDirection="column" overflowY="hidden">
            {confirmState ? (
              <Box height={bodyRows} justifyContent="center" alignItems="center"><ConfirmDialog question={confirmState.question} dangerous={confirmState.dangerous} yes={confirmState.yes} focusYes={confirmState.focusYes} /></Box>
            ) : overlay === 'help' ? (
              <HelpOverlay screenTitle={topDef.title} height={bodyRows} width={size.columns} offset={helpOffset}
                sections={[{ title: topDef.title, bindings: helpBindings(screenBindings, readOnly) }, { title: 'Global', bindings: globalBindings.filter((b) => b.when !== false) }]} />
            ) : overlay === 'palette' ? (
              <PaletteView query={palette.query} entries={paletteMatches} selected={palette.selected} width={size.columns} height={bodyRows} />
            ) : null}
            <Box display={bodyActive ? 'flex' : 'none'} flexDirection="column" height={bodyRows}>
              <BindingContext.Provider value={bindingCtx}>
                <ScreenStateContext.Provider value={screenStateCtx}>
                  {Screen ? <Screen key={top.key} shell={screenShell} active={bodyActive} params={top.params} />
                    : <Text {...tone(theme, screenModule.error ? 'error' : 'dim')}>{screenModule.error ? `Could not load the ${topDef.title} screen: ${screenModule.error}` : `Opening ${topDef.title}…`}</Text>}
                </ScreenStateContext.Provider>
              </BindingContext.Provider>
            </Box>
          </Box>
          <NoticeLine notice={shownNotice} width={size.columns} />
          <KeyBar bindings={footer} width={size.columns} />
        </Box>
      </StoresContext.Provider>
    </ThemeContext.Provider>
  );
}
