/**
 * Transport-free request handling: parse the input with the contract's schema, call the
 * service, return a Result. The IPC adapter, the utility process and web mode all call this.
 */
import { INPUT_SCHEMAS, isChannel, type Channel, type ContractOutputs } from '../../shared/contract';
import { describeZodError } from '../../shared/domain/builtinReports';
import { AppError, toErrorShape, type Result } from '../../shared/errors';
import type { AppServices } from '../services/appServices';

export type Handlers = { [C in Channel]: (input: unknown) => ContractOutputs[C] };

export function createHandlers(services: AppServices): Handlers {
  return {
    'app/info': () => services.info(),
    'projects/list': () => services.listProjects(),
    'reports/list': () => services.listReports(),
    'reports/run': (input) => services.runReport(INPUT_SCHEMAS['reports/run'].parse(input)) as unknown as ContractOutputs['reports/run'],
  };
}

export function dispatch(handlers: Handlers, channel: unknown, input: unknown): Result<unknown> {
  try {
    if (!isChannel(channel)) throw new AppError('INVALID_INPUT', `unknown channel "${String(channel).slice(0, 60)}"`);
    const parsed = INPUT_SCHEMAS[channel].safeParse(input ?? {});
    if (!parsed.success) throw new AppError('INVALID_INPUT', describeZodError(parsed.error));
    return { ok: true, value: handlers[channel](parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorShape(err) };
  }
}
