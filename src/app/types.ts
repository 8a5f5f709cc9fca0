// Contracts between the shell and the screens. Screens live in screens/<id>/
// and are listed in screens/index.ts; the shell receives that list.
import type { ComponentType } from 'react';
import type { ActionId, ObjectKind } from '../core/catalog.ts';
import type { Core } from '../core/index.ts';

/** A key binding is data: the footer, the `?` help and the docs are generated from it. */
export interface Binding {
  /** Key names: a printable character ('r', 'R', '/'), or 'enter', 'escape', 'tab', 'shift+tab', 'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'space', 'delete', 'backspace', 'ctrl+x'. */
  keys: string[];
  description: string;
  action: () => void | Promise<void>;
  /** False hides the binding from the footer and makes it inert (use disabledReason to explain instead when the user would expect it). */
  when?: boolean;
  /** Set when the action exists but cannot run now; shown in help and as a notice when pressed. */
  disabledReason?: string;
  /** Changes the host; dropped in read-only mode, and asks for confirmation when `confirm` is set. */
  dangerous?: boolean;
  /** What a dangerous key changes, as `?` says it (default: "changes the host"; a network form only stages). */
  effect?: string;
  /** Confirmation question; the action runs only after the operator accepts. */
  confirm?: string;
  /** Shown in the footer key bar (default true); help always lists it. */
  footer?: boolean;
  /** Group heading in the help overlay. */
  group?: string;
}

/** One entry of a screen's key table: the keys and what they do, without the action. */
export interface KeyEntry {
  keys: readonly string[];
  /** What the help and the docs say the keys do (a binding may word it for the current state). */
  description: string;
  dangerous?: boolean;
  /** What a dangerous key changes, as `?` says it (default: "changes the host"). */
  effect?: string;
  group?: string;
  /** The views of the screen the keys work in; keys are unique within a view. Without it, in every view. */
  modes?: readonly string[];
}

/** A screen's keys as data, by action name (screens/<screen>/keys.ts). */
export type KeyTable = Readonly<Record<string, KeyEntry>>;

export type NoticeKind = 'info' | 'success' | 'warning' | 'error';

export interface Shell {
  /** The use cases, for the console's operator (channel tui). */
  core: Core;
  readOnly: boolean;
  /** Show a result or error in the notification area. */
  notify: (kind: NoticeKind, text: string) => void;
  /** Ask a yes/no question in a dialog; resolves true only on an explicit yes. */
  confirm: (question: string, opts?: { dangerous?: boolean; yes?: string }) => Promise<boolean>;
  /** Open a screen on top of the stack (params are screen specific). */
  push: (screenId: string, params?: Record<string, unknown>) => void;
  /** Open a screen in place of the one on top (the next tab of an area): going back skips it. */
  replace: (screenId: string, params?: Record<string, unknown>) => void;
  /** Go back one level. */
  back: () => void;
  /**
   * While true, every key goes to the screen's own input handling (text
   * fields); the shell's global keys other than ctrl+c are suspended.
   */
  setCapture: (capture: boolean) => void;
  /** Hand the terminal to an interactive program (e.g. virsh console) and come back. */
  suspend: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Every screen of the console (the dashboard's menu lists them). */
  screens: readonly ScreenDef[];
  /** The screen's own rows and columns (inside the header and footer). */
  size: { rows: number; columns: number };
}

export interface ScreenProps {
  shell: Shell;
  /** True when this screen is on top and no overlay is open: gate every useInput on it. */
  active: boolean;
  params: Record<string, unknown>;
}

export type ScreenComponent = ComponentType<ScreenProps>;

/**
 * A screen: its menu entry and either its component, or `load` returning it
 * (a dynamic import: the bundle then keeps the screen in a chunk of its own,
 * loaded the first time the screen opens, so start-up does not pay for it).
 */
export type ScreenDef = ScreenMeta & ({ component: ScreenComponent; load?: undefined } | { load: () => Promise<ScreenComponent>; component?: undefined });

export interface ScreenMeta {
  id: string;
  title: string;
  /** Single-key shortcut from the main menu (a digit or letter). */
  key?: string;
  /** Extra words the `:` palette matches (k9s-style aliases). */
  aliases?: string[];
  description: string;
  /** Shown in the main menu; screens that need a parameter (a VM's detail) are not. */
  inMenu?: boolean;
  /** Offered by the `:` palette (default true); false for screens that only make sense with a parameter (a VM, an event). */
  palette?: boolean;
  /** The kind of object the screen is for: the palette offers it only for the object the screen on top has selected (useSelectedObject), with that object's params. */
  object?: ObjectKind;
  /** The action the screen takes: the palette leaves the screen out while the door refuses it (read-only mode, an engine owning the VMs). */
  action?: ActionId;
}

/** A palette action that is not a screen (e.g. "toggle theme"). */
export interface PaletteAction {
  id: string;
  title: string;
  aliases?: string[];
  run: (shell: Shell) => void | Promise<void>;
  dangerous?: boolean;
  /** The action it takes: left out of the palette while the door refuses it. */
  action?: ActionId;
}
