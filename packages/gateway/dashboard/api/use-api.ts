import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useExternal } from '../components/hooks';
import { auth } from './auth';
import { ApiError, api } from './client';

/** What `useLoad` holds: the last answer (kept while refetching, so live pages do not flicker). */
export interface LoadState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again, keeping what is shown until the answer comes. */
  reload: () => void;
}

/**
 * Runs `load` when `key` or the API token changes, and on `reload()`. What
 * was shown is dropped only when the key changes (another run, other
 * filters). Only the latest call's answer is kept: a slow answer to an
 * older call never overwrites a newer one.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): LoadState<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({
    loading: key !== null,
  });
  const sequence = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const tokenVersion = useExternal(auth.subscribe, () => auth.version);

  const reload = useCallback(() => {
    if (key === null) return;
    const mine = ++sequence.current;
    setState((s) => ({ ...s, loading: true }));
    loader.current().then(
      (data) => {
        if (mine === sequence.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (mine !== sequence.current) return;
        const failure =
          error instanceof ApiError
            ? error
            : new ApiError(0, 'NETWORK', (error as Error)?.message ?? String(error));
        setState((s) => ({ ...s, error: failure, loading: false }));
      },
    );
  }, [key]);

  useEffect(() => {
    setState({ loading: key !== null });
    reload();
  }, [reload]);
  const mounted = useRef(false);
  useEffect(() => {
    // The first run is the key effect's; later ones follow a new token.
    if (mounted.current) reload();
    mounted.current = true;
  }, [tokenVersion]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** GETs `/api<path>` with `useLoad`. */
export function useApi<T>(path: string | null): LoadState<T> {
  return useLoad<T>(path, () => api<T>(path!));
}
