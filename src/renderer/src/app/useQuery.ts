/** A contract call as React state: loading, error in words, or the value; reloads on refresh. */
import { useEffect, useState } from 'react';
import { call } from '../api/client';
import type { Channel, ContractInput, ContractOutput } from '../../../shared/contract';
import { useApp } from './store';

export type Query<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; value: T };

export function useQuery<C extends Channel>(channel: C, input: ContractInput<C>, deps: unknown[] = []): [Query<ContractOutput<C>>, () => void] {
  const [state, setState] = useState<Query<ContractOutput<C>>>({ kind: 'loading' });
  const tick = useApp((s) => s.refreshTick);
  const [local, setLocal] = useState(0);
  useEffect(() => {
    let live = true;
    call(channel, input)
      .then((value) => live && setState({ kind: 'ready', value }))
      .catch((err: unknown) => live && setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
    // The input is described by deps; callers pass the values it is built from.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, tick, local, ...deps]);
  return [state, () => setLocal((n) => n + 1)];
}
