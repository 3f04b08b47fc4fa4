import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

export interface CliOptions {
  command: string;
  file?: string;
  config?: string;
  stateDir?: string;
  verbose: boolean;
  help: boolean;
  output: 'text' | 'json';
  only: string[];
  concurrency?: number;
  kubeconfig?: string;
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'state-dir': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  output: { type: 'string', short: 'o' },
  only: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  kubeconfig: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Which options each command accepts; anything else is a usage error, not silently ignored. */
const ACCEPTS: Record<string, { file: 'required' | 'optional' | 'none'; options: (keyof typeof OPTIONS)[] }> = {
  validate: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output'] },
  plan: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only'] },
  apply: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only', 'concurrency', 'kubeconfig'] },
  destroy: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only', 'concurrency', 'kubeconfig'] },
  status: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'kubeconfig'] },
  schema: { file: 'none', options: ['config', 'help'] },
  doctor: { file: 'optional', options: ['config', 'help', 'output', 'verbose'] },
  version: { file: 'none', options: ['help'] },
};

export const COMMANDS = Object.keys(ACCEPTS);

export function parseCli(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', verbose: false, help: true, output: 'text', only: [] };
  }
  if (command === '--version' || command === '-V') return { command: 'version', verbose: false, help: false, output: 'text', only: [] };
  const spec = ACCEPTS[command];
  if (!spec) {
    const near = COMMANDS.find((c) => c.startsWith(command.slice(0, 3)));
    throw new UsageError(`unknown command '${command}'${near ? `; did you mean '${near}'?` : ''}`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), command);
  }
  const { values, positionals } = parsed;
  for (const key of Object.keys(values) as (keyof typeof OPTIONS)[]) {
    const isDefault = 'default' in OPTIONS[key] && values[key] === (OPTIONS[key] as { default?: unknown }).default;
    if (!isDefault && !spec.options.includes(key)) throw new UsageError(`'${command}' does not take --${key}`, command);
  }
  const options: CliOptions = {
    command,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
    output: 'text',
    only: values.only ?? [],
  };
  if (values.help) return options;
  if (values.output !== undefined) {
    if (values.output !== 'text' && values.output !== 'json') throw new UsageError(`--output must be 'text' or 'json', not '${values.output}'`, command);
    options.output = values.output;
  }
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a whole number >= 1, not '${values.concurrency}'`, command);
    options.concurrency = n;
  }
  if (values.config !== undefined) options.config = values.config;
  if (values['state-dir'] !== undefined) options.stateDir = values['state-dir'];
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  if (spec.file === 'none' && positionals.length > 0) throw new UsageError(`'${command}' takes no file argument`, command);
  if (positionals.length > 1) throw new UsageError(`'${command}' takes one topology file, got ${positionals.length}`, command);
  if (spec.file === 'required' && positionals.length === 0) throw new UsageError(`'${command}' needs a topology file: meshspec ${command} topology.yaml`, command);
  if (positionals[0] !== undefined) options.file = positionals[0];
  return options;
}
