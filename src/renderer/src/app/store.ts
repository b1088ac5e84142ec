/** App-wide UI state: the open screen, theme, project and the component grid's drill filter. */
import { create } from 'zustand';

export type View = 'dashboard' | 'components' | 'reports' | 'builder' | 'schedules' | 'runs' | 'data' | 'settings';
export type Theme = 'light' | 'dark';

export interface GridFilter {
  area?: string;
  status?: Array<'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'ON_HOLD'>;
}

interface AppState {
  view: View;
  theme: Theme;
  projectCode: string | null;
  gridFilter: GridFilter;
  /** Bumped when the data changes, so open views reload. */
  refreshTick: number;
  go(view: View): void;
  drill(filter: GridFilter): void;
  setTheme(theme: Theme): void;
  setProject(code: string): void;
  refresh(): void;
}

const THEME_KEY = 'sitereport.theme';

function initialTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useApp = create<AppState>((set) => ({
  view: 'dashboard',
  theme: initialTheme(),
  projectCode: null,
  gridFilter: {},
  refreshTick: 0,
  go: (view) => set({ view }),
  drill: (gridFilter) => set({ view: 'components', gridFilter }),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  setProject: (projectCode) => set({ projectCode }),
  refresh: () => set((s) => ({ refreshTick: s.refreshTick + 1 })),
}));
