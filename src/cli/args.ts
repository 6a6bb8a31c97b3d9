/**
 * A small argv parser: enough for our flat commands, no dependency, no startup cost.
 * Flags are declared per command so unknown flags are usage errors instead of silently ignored.
 */
import { UsageError } from '../model/errors.ts';

export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>, command: string): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : byShort.get(arg.slice(1));
    const name = rawName ?? '';
    const s = spec[name];
    if (!s) {
      throw new UsageError(`unknown option ${arg} for \`cairn ${command}\``, `run \`cairn ${command} --help\` to see its options`);
    }
    if (s.type === 'boolean') {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`, `write --${name} alone`);
      flags[name] = true;
    } else {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`, `e.g. --${name}=VALUE`);
      flags[name] = value;
    }
  }
  return { positionals, flags };
}
