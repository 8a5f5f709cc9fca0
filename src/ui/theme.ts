// Colour themes. NO_COLOR (any non-empty value) drops every colour; emphasis
// then comes from bold and inverse only.
import type { ThemeName } from '../config.ts';

export interface Theme {
  name: ThemeName;
  color: boolean;
  fg?: string;
  dim?: string;
  accent?: string;
  headerBg?: string;
  headerFg?: string;
  selectBg?: string;
  selectFg?: string;
  ok?: string;
  warn?: string;
  error?: string;
  info?: string;
  border?: string;
  key?: string;
}

const THEMES: Record<ThemeName, Omit<Theme, 'color'>> = {
  dark: { name: 'dark', fg: 'white', dim: 'gray', accent: 'cyan', headerBg: 'blue', headerFg: 'white', selectBg: 'cyan', selectFg: 'black', ok: 'green', warn: 'yellow', error: 'red', info: 'cyan', border: 'gray', key: 'yellow' },
  light: { name: 'light', fg: 'black', dim: 'gray', accent: 'blue', headerBg: 'blue', headerFg: 'white', selectBg: 'blue', selectFg: 'white', ok: 'green', warn: 'magenta', error: 'red', info: 'blue', border: 'gray', key: 'blue' },
  'high-contrast': { name: 'high-contrast', fg: 'whiteBright', dim: 'white', accent: 'yellowBright', headerBg: 'black', headerFg: 'yellowBright', selectBg: 'yellowBright', selectFg: 'black', ok: 'greenBright', warn: 'yellowBright', error: 'redBright', info: 'cyanBright', border: 'whiteBright', key: 'yellowBright' },
};

export function makeTheme(name: ThemeName, env: NodeJS.ProcessEnv = process.env): Theme {
  const noColor = Boolean(env.NO_COLOR);
  if (noColor) return { name, color: false };
  return { ...THEMES[name], color: true };
}

export function nextTheme(name: ThemeName): ThemeName {
  const order: ThemeName[] = ['dark', 'light', 'high-contrast'];
  return order[(order.indexOf(name) + 1) % order.length]!;
}

import { createContext, useContext } from 'react';

export const ThemeContext = createContext<Theme>(makeTheme('dark', {}));
export const useTheme = (): Theme => useContext(ThemeContext);

/** Ink colour props for a role, or nothing when colour is off. */
export function tone(t: Theme, role: 'ok' | 'warn' | 'error' | 'info' | 'dim' | 'accent' | 'key' | 'fg' | 'border'): { color?: string } {
  return t.color && t[role] ? { color: t[role] } : {};
}
