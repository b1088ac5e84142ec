/**
 * One typed client over two transports: the preload's IPC bridge in the desktop app, or HTTP
 * to `sitereport web` (token from the URL fragment, kept for the tab's session).
 */
import type { Channel, ContractInput, ContractOutput } from '../../../shared/contract';
import type { Result } from '../../../shared/errors';

const TOKEN_KEY = 'sitereport.token';

function webToken(): string | null {
  const match = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function transport(channel: Channel, input: unknown): Promise<Result<unknown>> {
  if (window.api) return (await window.api.invoke(channel, input)) as Result<unknown>;
  const token = webToken();
  const response = await fetch(`/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` },
    body: JSON.stringify(input ?? {}),
  });
  return (await response.json()) as Result<unknown>;
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function call<C extends Channel>(channel: C, input: ContractInput<C>): Promise<ContractOutput<C>> {
  const result = await transport(channel, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value as ContractOutput<C>;
}
