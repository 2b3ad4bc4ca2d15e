/**
 * Light, dark, or the system's choice (the default): the tokens in app.css follow `color-scheme`, which
 * `data-theme` on <html> pins. The choice is kept in this browser (localStorage), like the session.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'atrium.theme';
const ORDER: ThemeChoice[] = ['system', 'dark', 'light'];

function stored(): ThemeChoice {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

function apply(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

class Theme {
  choice: ThemeChoice = $state(stored());

  constructor() {
    apply(this.choice);
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
    apply(choice);
  }

  /** System → dark → light → system: one button reaches every choice. */
  next(): void {
    this.set(ORDER[(ORDER.indexOf(this.choice) + 1) % ORDER.length]);
  }
}

export const theme = new Theme();
