import { useEffect, useRef, useState } from 'preact/hooks';
import { auth } from '../api/auth';
import { useExternal } from './hooks';

/** Re-renders on token changes and returns whether the API asked for one. */
export function useAuth(): { required: boolean; hasToken: boolean } {
  const required = useExternal(auth.subscribe, () => auth.required);
  const hasToken = useExternal(auth.subscribe, () => auth.token() !== null);
  return { required, hasToken };
}

/**
 * Asks for the API token when the API answered 401: a modal dialog (focus
 * stays inside until it is answered or dismissed with Escape). The token
 * goes to sessionStorage, for this tab only.
 */
export function TokenDialog() {
  const { required, hasToken } = useAuth();
  const dialog = useRef<HTMLDialogElement>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (required && !element.open) {
      // A token we sent was refused: say so rather than asking as if for the first time.
      setRefused(hasToken);
      element.showModal();
    }
    if (!required && element.open) element.close();
  }, [required]);

  return (
    <dialog ref={dialog} class="token-dialog" aria-labelledby="token-heading">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const input = event.currentTarget.elements.namedItem('token') as HTMLInputElement;
          const token = input.value.trim();
          if (!token) return;
          input.value = '';
          auth.setToken(token);
        }}
      >
        <h2 id="token-heading">API token</h2>
        <p>
          This gateway's admin API needs the token it was started with (<code>BATON_API_TOKEN</code>). It is
          kept in this browser tab only, until the tab closes.
        </p>
        {refused ? (
          <p class="notice error" role="alert">
            The API refused the token. Check it and enter it again.
          </p>
        ) : null}
        <label for="token-input">Token</label>
        <input id="token-input" name="token" type="password" autocomplete="off" required autofocus />
        <div class="actions">
          <button type="submit" class="primary">
            Use this token
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Not now
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The header's token control: enter one after dismissing the dialog, or forget the one kept. */
export function TokenButton() {
  const { required, hasToken } = useAuth();
  if (hasToken && !required)
    return (
      <button type="button" class="link-button" onClick={() => auth.forget()}>
        Forget token
      </button>
    );
  if (!required) return null;
  return (
    <button
      type="button"
      class="link-button"
      onClick={() => document.querySelector<HTMLDialogElement>('dialog.token-dialog')?.showModal()}
    >
      Enter token
    </button>
  );
}
