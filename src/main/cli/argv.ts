/** A small, strict argument parser: unknown flags are errors, never silently ignored. */
import { AppError } from '../../shared/errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export function parseArgv(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      let value: string;
      if (booleanFlags.has(name)) {
        if (eq !== -1) throw new AppError('INVALID_INPUT', `--${name} takes no value`);
        value = 'true';
      } else if (eq !== -1) {
        value = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('--') && next !== '-')) throw new AppError('INVALID_INPUT', `--${name} needs a value`);
        value = next;
        i += 1;
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, flags };
}

export function takeFlag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw new AppError('INVALID_INPUT', `--${name} given more than once`);
  args.flags.delete(name);
  return values[0];
}

export function takeAll(args: ParsedArgs, name: string): string[] {
  const values = args.flags.get(name) ?? [];
  args.flags.delete(name);
  return values;
}

export function takeBoolean(args: ParsedArgs, name: string): boolean {
  return takeFlag(args, name) === 'true';
}

export function rejectLeftovers(args: ParsedArgs, command: string): void {
  const left = [...args.flags.keys()];
  if (left.length > 0) throw new AppError('INVALID_INPUT', `${command} does not take --${left[0]}`);
}

export function parseWholeNumber(text: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new AppError('INVALID_INPUT', `--${name} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new AppError('INVALID_INPUT', `--${name} must be from ${min} to ${max}`);
  return n;
}
