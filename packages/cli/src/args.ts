import { parseArgs, type ParseArgsConfig } from 'node:util';
// The light entry point: the CLI parses its arguments before it loads the engine.
import { parseDuration } from '@meshspec/core/duration';

export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export const PICTURE_FORMATS = ['mermaid', 'dot', 'html'] as const;
export type PictureFormat = (typeof PICTURE_FORMATS)[number];

export interface CliOptions {
  command: string;
  file?: string;
  config?: string;
  stateDir?: string;
  verbose: boolean;
  help: boolean;
  /** `mermaid`, `dot` and `html` (the plan as a picture) only for plan. */
  output: 'text' | 'json' | PictureFormat;
  only: string[];
  concurrency?: number;
  /** apply/destroy: `--parallel cluster-create=2,helm=4`, as typed (checked by the command, which knows the syntax). */
  parallel?: string[];
  kubeconfig?: string;
  /** verify / status --verify: requests per split and cluster. */
  requests?: number;
  /** status: also run verify. */
  verify?: boolean;
  /** apply/destroy: run-wide deadline, as typed (`30m`) and in milliseconds. */
  timeout?: { text: string; ms: number };
  /** rotate: what to rotate. */
  rotate?: 'issuer' | 'trust-anchor';
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'state-dir': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  output: { type: 'string', short: 'o' },
  only: { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  parallel: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  requests: { type: 'string', short: 'n' },
  verify: { type: 'boolean', default: false },
  issuer: { type: 'boolean', default: false },
  'trust-anchor': { type: 'boolean', default: false },
  timeout: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Which options each command accepts; anything else is a usage error, not silently ignored. */
const ACCEPTS: Record<string, { file: 'required' | 'optional' | 'none'; options: (keyof typeof OPTIONS)[] }> = {
  validate: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output'] },
  // plan talks to no cluster, but takes --kubeconfig so scripts can pass one flag set to every command.
  plan: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only', 'kubeconfig'] },
  apply: {
    file: 'required',
    options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only', 'concurrency', 'parallel', 'kubeconfig', 'timeout'],
  },
  destroy: {
    file: 'required',
    options: ['config', 'state-dir', 'verbose', 'help', 'output', 'only', 'concurrency', 'parallel', 'kubeconfig', 'timeout'],
  },
  status: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'kubeconfig', 'verify', 'requests'] },
  verify: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'kubeconfig', 'requests'] },
  rotate: { file: 'required', options: ['config', 'state-dir', 'verbose', 'help', 'output', 'kubeconfig', 'issuer', 'trust-anchor'] },
  schema: { file: 'none', options: ['config', 'help'] },
  doctor: { file: 'optional', options: ['config', 'help', 'output', 'verbose'] },
  version: { file: 'none', options: ['help'] },
};

export const COMMANDS = Object.keys(ACCEPTS);

const MAX_TIMEOUT_MS = 24 * 86_400_000;

export function parseCli(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', verbose: false, help: true, output: 'text', only: [] };
  }
  if (command === '--version' || command === '-V') return { command: 'version', verbose: false, help: false, output: 'text', only: [] };
  const spec = ACCEPTS[command];
  if (!spec) {
    const near = nearestCommand(command);
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
    verbose: values.verbose,
    help: values.help,
    output: 'text',
    only: values.only ?? [],
  };
  if (values.help) return options;
  if (values.output !== undefined) {
    const formats: readonly string[] = command === 'plan' ? ['text', 'json', ...PICTURE_FORMATS] : ['text', 'json'];
    if (!formats.includes(values.output)) {
      const picture =
        command !== 'plan' && (PICTURE_FORMATS as readonly string[]).includes(values.output) ? ` ('${values.output}' is for plan)` : '';
      throw new UsageError(
        `--output must be ${formats
          .slice(0, -1)
          .map((f) => `'${f}'`)
          .join(', ')} or '${formats.at(-1)}', not '${values.output}'${picture}`,
        command,
      );
    }
    options.output = values.output as CliOptions['output'];
  }
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--concurrency must be a whole number >= 1, not '${values.concurrency}'`, command);
    options.concurrency = n;
  }
  if (values.parallel !== undefined && values.parallel.length > 0) options.parallel = values.parallel;
  if (values.requests !== undefined) {
    const n = Number(values.requests);
    if (!Number.isInteger(n) || n < 1 || n > 100_000)
      throw new UsageError(`--requests must be a whole number from 1 to 100000, not '${values.requests}'`, command);
    options.requests = n;
  }
  if (values.timeout !== undefined) {
    const ms = parseDuration(values.timeout);
    if (ms === undefined || ms <= 0)
      throw new UsageError(`--timeout must be a duration like 90s, 30m or 2h, not '${values.timeout}'`, command);
    // Node's timers fire at once (with a warning) beyond 2^31-1 ms.
    if (ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout must be at most 24d, not '${values.timeout}'`, command);
    options.timeout = { text: values.timeout, ms };
  }
  if (values.verify) options.verify = true;
  if (command === 'rotate') {
    if (values.issuer === values['trust-anchor']) throw new UsageError(`'rotate' needs exactly one of --issuer or --trust-anchor`, command);
    options.rotate = values.issuer ? 'issuer' : 'trust-anchor';
  }
  if (values.config !== undefined) options.config = values.config;
  if (values['state-dir'] !== undefined) options.stateDir = values['state-dir'];
  if (values.kubeconfig !== undefined) options.kubeconfig = values.kubeconfig;
  if (spec.file === 'none' && positionals.length > 0) throw new UsageError(`'${command}' takes no file argument`, command);
  if (positionals.length > 1) throw new UsageError(`'${command}' takes one topology file, got ${positionals.length}`, command);
  if (spec.file === 'required' && positionals.length === 0)
    throw new UsageError(`'${command}' needs a topology file: meshspec ${command} topology.yaml`, command);
  if (positionals[0] !== undefined) options.file = positionals[0];
  return options;
}

/**
 * The command a mistyped one most likely meant: a shared 3-letter prefix (`val` -> validate) or at most
 * two edits away, where swapping two neighbours counts as one edit (`aply`, `plna`, `dcotor`).
 */
export function nearestCommand(typed: string): string | undefined {
  const word = typed.toLowerCase();
  let best: { command: string; distance: number } | undefined;
  for (const command of COMMANDS) {
    const distance = word.length >= 3 && command.startsWith(word.slice(0, 3)) ? 0 : editDistance(word, command);
    if (distance <= 2 && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command;
}

/** Optimal string alignment distance: insert, delete, substitute, swap adjacent (each 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
