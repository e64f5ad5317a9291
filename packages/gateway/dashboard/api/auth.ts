/**
 * The API token, kept in sessionStorage: it survives reloads of this tab
 * and is gone when the tab closes, and no other site can read it. The
 * dashboard asks for it only after the API answered 401.
 */

const KEY = 'baton.apiToken';

type Listener = () => void;
const listeners = new Set<Listener>();
let required = false;
/** Where the token lives when sessionStorage is unavailable. */
let memory: string | null = null;
/** Bumped when the token changes (not when it is merely refused), so views refetch with the new one. */
let version = 0;

function changed(): void {
  for (const listener of listeners) listener();
}

export const auth = {
  token(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      // Storage can be disabled by the browser's privacy settings; the token then lasts for no reload.
      return memory;
    }
  },
  /** True after a 401, until a token is given. */
  get required(): boolean {
    return required;
  },
  get version(): number {
    return version;
  },
  setToken(token: string): void {
    memory = token;
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // Kept in memory only (see token()).
    }
    required = false;
    version += 1;
    changed();
  },
  forget(): void {
    memory = null;
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // Nothing stored.
    }
    version += 1;
    changed();
  },
  /** The API refused the token we sent (or the lack of one). */
  refused(): void {
    if (required) return;
    required = true;
    changed();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
