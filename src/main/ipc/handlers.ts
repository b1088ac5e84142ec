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
    'reports/runDefinition': (input) => {
      const i = INPUT_SCHEMAS['reports/runDefinition'].parse(input);
      return services.runDefinition({ id: i.id, definition: i.definition, projectCode: i.projectCode, parameters: i.parameters });
    },
    'catalog/fields': (input) => services.fields(INPUT_SCHEMAS['catalog/fields'].parse(input).dataset),
    'catalog/distinct': (input) => {
      const i = INPUT_SCHEMAS['catalog/distinct'].parse(input);
      return services.distinctValues(i.dataset, i.field, i.projectCode);
    },
    'library/list': (input) => services.library.list(INPUT_SCHEMAS['library/list'].parse(input)),
    'library/get': (input) => services.library.get(INPUT_SCHEMAS['library/get'].parse(input).id),
    'library/save': (input) => {
      const i = INPUT_SCHEMAS['library/save'].parse(input);
      return services.library.save(i.definition, i.id);
    },
    'library/duplicate': (input) => {
      const i = INPUT_SCHEMAS['library/duplicate'].parse(input);
      return services.library.duplicate(i.id, i.name);
    },
    'library/rename': (input) => {
      const i = INPUT_SCHEMAS['library/rename'].parse(input);
      return services.library.rename(i.id, i.name);
    },
    'library/tags': (input) => {
      const i = INPUT_SCHEMAS['library/tags'].parse(input);
      return services.library.setTags(i.id, i.tags);
    },
    'library/delete': (input) => services.library.remove(INPUT_SCHEMAS['library/delete'].parse(input).id),
    'library/restore': (input) => services.library.restore(INPUT_SCHEMAS['library/restore'].parse(input).id),
    'runs/list': (input) => services.runs.list(INPUT_SCHEMAS['runs/list'].parse(input)),
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
