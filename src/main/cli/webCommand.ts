import { AppError } from '../../shared/errors';
import type { ParsedArgs } from './argv';
import type { CliIo } from './main';

export async function runWebCommand(_args: ParsedArgs, _io: CliIo, _dbPath: string, _now: () => Date): Promise<number> {
  throw new AppError('UNSUPPORTED_FORMAT', 'web mode is not available in this build yet');
}
