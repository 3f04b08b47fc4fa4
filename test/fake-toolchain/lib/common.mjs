// Shared plumbing of the fake executables: the call log, the state directory, injected failures and a
// YAML library (borrowed from @meshspec/core's dependencies, so the fakes need no install of their own).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requireFromCore = createRequire(join(here, '..', '..', '..', 'packages', 'core', 'package.json'));
/** The `yaml` package (v2) as @meshspec/core resolves it. */
export const YAML = requireFromCore('yaml');

export class ToolExit extends Error {
  constructor(code, stderr = '', stdout = '') {
    super(stderr || `exit ${code}`);
    this.code = code;
    this.stderr = stderr;
    this.stdout = stdout;
  }
}

/** Ends the tool like the real one on an error: message on stderr, non-zero exit. */
export function fail(stderr, code = 1) {
  throw new ToolExit(code, stderr.endsWith('\n') ? stderr : `${stderr}\n`);
}

export function stateDir() {
  const dir = process.env.MESHSPEC_FAKE_STATE;
  if (!dir) fail('fake toolchain: MESHSPEC_FAKE_STATE is not set (use withFakeToolchain() from test/fake-toolchain)', 2);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const statePath = (...parts) => join(stateDir(), ...parts);

export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJson(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function listDir(dir) {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function remove(path) {
  rmSync(path, { recursive: true, force: true });
}

export { existsSync, mkdirSync, readFileSync, writeFileSync };

/** What was piped to stdin; nothing when stdin is a terminal or /dev/null. */
export function readStdin() {
  if (process.stdin.isTTY) return undefined;
  try {
    const text = readFileSync(0, 'utf8');
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

/** One JSON line per call, appended (O_APPEND keeps concurrent writers' lines whole). */
export function logCall(entry) {
  const file = process.env.MESHSPEC_FAKE_LOG;
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Value of `--flag value` or `--flag=value` (last one wins, like cobra/pflag). */
export function flag(argv, name) {
  let value;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === name) value = argv[i + 1];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  }
  return value;
}

export function flags(argv, name) {
  const values = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) values.push(argv[i + 1]);
    else if (argv[i].startsWith(`${name}=`)) values.push(argv[i].slice(name.length + 1));
  }
  return values;
}

export const hasFlag = (argv, name) => argv.includes(name) || argv.some((a) => a.startsWith(`${name}=`));

/** Positional arguments: everything that is not a flag nor a flag's value (`valued` lists flags taking one). */
export function positionals(argv, valued) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-')) {
      if (!a.includes('=') && valued.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * MESHSPEC_FAKE_FAIL: `;`- or newline-separated rules `<glob>[@<kube context>]`. The glob is matched against
 * the whole command line `tool arg1 arg2 ...` (`*` = anything, `?` = one character); the context against
 * the call's target cluster (see contextOfCall). Returns the rule that matched.
 */
export function injectedFailure(commandLine, context) {
  const spec = process.env.MESHSPEC_FAKE_FAIL;
  if (!spec) return undefined;
  for (const raw of spec.split(/[;\n]/)) {
    const rule = raw.trim();
    if (rule && ruleMatches(rule, commandLine, context)) return rule;
  }
  return undefined;
}

/** `<glob>[@<kube context>]` against a command line and its context (see injectedFailure). */
function ruleMatches(rule, commandLine, context) {
  const at = rule.lastIndexOf('@');
  const hasContext = at > 0 && !rule.slice(at + 1).includes(' ') && !rule.slice(at + 1).includes('*');
  const glob = hasContext ? rule.slice(0, at) : rule;
  const wanted = hasContext ? rule.slice(at + 1) : undefined;
  const pattern = new RegExp(
    `^${glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return pattern.test(commandLine) && (wanted === undefined || wanted === context);
}

/**
 * MESHSPEC_FAKE_SLEEP: how long a call takes before it answers, for timing models (the time-to-mesh bench):
 * `;`- or newline-separated `<glob>[@<kube context>]=<ms>`, globs as in MESHSPEC_FAKE_FAIL, first match
 * wins. Only time changes: what the call prints and does is the same.
 */
export function sleepFor(commandLine, context) {
  const spec = process.env.MESHSPEC_FAKE_SLEEP;
  if (!spec) return 0;
  for (const raw of spec.split(/[;\n]/)) {
    const entry = raw.trim();
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) continue;
    const ms = Number(entry.slice(eq + 1));
    if (Number.isFinite(ms) && ruleMatches(entry.slice(0, eq), commandLine, context)) return Math.max(0, ms);
  }
  return 0;
}

/** The kube context a call targets, for failure rules: --kube-context / --context, or kind-<name> for kind and its containers. */
export function contextOfCall(tool, argv) {
  if (tool === 'kind') {
    const name = flag(argv, '--name');
    return name ? `kind-${name}` : undefined;
  }
  if (tool === 'docker') {
    const container = argv.find((a) => /-(control-plane|worker\d*)$/.test(a));
    return container ? `kind-${container.replace(/-(control-plane|worker\d*)$/, '')}` : undefined;
  }
  return flag(argv, '--kube-context') ?? flag(argv, '--context');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** kind's clusters live in the state dir; context `kind-<name>` is reachable while the cluster exists. */
export const clusterDir = (name) => statePath('kind', 'clusters', name);
export function clusterOfContext(context) {
  if (!context?.startsWith('kind-')) return undefined;
  const name = context.slice('kind-'.length);
  return existsSync(join(clusterDir(name), 'cluster.json')) ? { name, ...readJson(join(clusterDir(name), 'cluster.json')) } : undefined;
}

/** Fails like client-go does when the API server of `context` is not there. */
export function requireCluster(context, tool) {
  if (!context) fail(tool === 'helm' ? 'Error: Kubernetes cluster unreachable: no kube context given' : 'Error: no current context set');
  const cluster = clusterOfContext(context);
  if (!cluster) {
    const prefix = tool === 'helm' ? 'Error: Kubernetes cluster unreachable: ' : 'Error: ';
    fail(
      `${prefix}context "${context}" does not exist or its API server is down: Get "https://127.0.0.1:${fakeApiPort(context)}/version": dial tcp 127.0.0.1:${fakeApiPort(context)}: connect: connection refused`,
    );
  }
  return cluster;
}

/** The host port kind would publish the API server on (stable per context, like a real kubeconfig). */
export function fakeApiPort(context) {
  let h = 0;
  for (const c of context) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 30000 + (h % 30000);
}

/** Load-balancer addresses the test's cluster simulation publishes (see cluster.ts), as `linkerd` would read them from the API. */
export function loadBalancerAddress(context, namespace, name) {
  try {
    return readFileSync(statePath('kube', context, 'lb', `${namespace}.${name}`), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function b64(text) {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Multi-document YAML as the real CLIs print it: `---` before every document. */
export function toYamlStream(objects) {
  return objects.map((o) => `---\n${YAML.stringify(o, { lineWidth: 0 })}`).join('');
}
