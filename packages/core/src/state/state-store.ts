// What meshspec has already done for a topology: one state.json per topology, rewritten atomically after
// every step so an interrupted apply resumes where it stopped.
import { crypto } from '../lazy-crypto.js';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MeshspecError } from '../errors.js';
import type { Step, StepOutputs } from '../plugin/types.js';

export interface StepRecord {
  fingerprint: string;
  /** ISO-8601 time the step finished (or was found already present). */
  completedAt: string;
  outputs: StepOutputs;
  /** How long `run` took the last time it ran, in ms (absent when found already present). */
  durationMs?: number;
}

/** The last apply that ran at least one step: its wall time, to compare with the plan's critical path. */
export interface ApplyRecord {
  /** ISO-8601 times the run started and finished. */
  startedAt: string;
  finishedAt: string;
  /** Wall time of the whole run, in ms (first step started to last step settled). */
  wallMs: number;
  /** Steps that ran, and steps found up to date (not run). */
  ran: number;
  upToDate: number;
  /** Every selected step succeeded. */
  ok: boolean;
}

export interface StateFile {
  version: 1;
  topology: string;
  steps: Record<string, StepRecord>;
  lastApply?: ApplyRecord;
}

export const STATE_FILE = 'state.json';

/** `<dir of topology file>/.meshspec/<metadata.name>/`: next to the file it describes, one dir per topology. */
export function defaultStateDir(topologyFile: string, topologyName: string): string {
  return join(dirname(resolve(topologyFile)), '.meshspec', topologyName);
}

/** sha256 of the stable JSON of `{ id, inputs ?? plan }`: what defines a step's result. */
export function fingerprint(step: Pick<Step, 'id' | 'inputs' | 'plan'>): string {
  return crypto()
    .createHash('sha256')
    .update(stableStringify({ id: step.id, inputs: step.inputs ?? step.plan }))
    .digest('hex');
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function stableStringify(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      return v;
    }) ?? 'null'
  );
}

export class StateStore {
  readonly file: string;
  private data: StateFile;
  /** Saves are chained so an older snapshot can never be renamed over a newer one. */
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    data: StateFile,
  ) {
    this.file = join(dir, STATE_FILE);
    this.data = data;
  }

  /** Opens (creating the 0700 directory if needed) the state of `topology` in `dir`. */
  static async open(dir: string, topology: string): Promise<StateStore> {
    await ensurePrivateDir(dir);
    const file = join(dir, STATE_FILE);
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text === undefined) return new StateStore(dir, { version: 1, topology, steps: {} });
    let data: StateFile;
    try {
      data = JSON.parse(text) as StateFile;
    } catch (e) {
      throw new MeshspecError(
        `state file ${file} is not valid JSON (${(e as Error).message}); move it aside to start from scratch (meshspec then re-checks every step)`,
      );
    }
    if (data.version !== 1 || typeof data.steps !== 'object' || data.steps === null) {
      throw new MeshspecError(`state file ${file} has unsupported version ${String(data.version)}; this meshspec reads version 1`);
    }
    if (data.topology !== topology) {
      throw new MeshspecError(`state dir ${dir} belongs to topology "${data.topology}", not "${topology}"; use another --state-dir`);
    }
    return new StateStore(dir, data);
  }

  get topology(): string {
    return this.data.topology;
  }

  get(id: string): StepRecord | undefined {
    return this.data.steps[id];
  }

  ids(): string[] {
    return Object.keys(this.data.steps);
  }

  /** Recorded with the same fingerprint the step has now. */
  isUpToDate(step: Pick<Step, 'id' | 'inputs' | 'plan'>): boolean {
    return this.get(step.id)?.fingerprint === fingerprint(step);
  }

  async record(
    id: string,
    record: { fingerprint: string; outputs?: StepOutputs; completedAt?: string; durationMs?: number },
  ): Promise<void> {
    this.data.steps[id] = {
      fingerprint: record.fingerprint,
      completedAt: record.completedAt ?? new Date().toISOString(),
      outputs: record.outputs ?? {},
      ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
    };
    await this.save();
  }

  get lastApply(): ApplyRecord | undefined {
    return this.data.lastApply;
  }

  /** Kept beside the steps' own durations so `plan -o html` can show wall time against the critical path. */
  async recordApply(record: ApplyRecord): Promise<void> {
    this.data.lastApply = record;
    await this.save();
  }

  async remove(id: string): Promise<void> {
    delete this.data.steps[id];
    await this.save();
  }

  /** A deep copy, for inspection (status, tests). */
  snapshot(): StateFile {
    return JSON.parse(JSON.stringify(this.data)) as StateFile;
  }

  save(): Promise<void> {
    const next = this.saving.then(() => writeAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`, 0o600));
    this.saving = next.catch(() => {});
    return next;
  }
}

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing dir's mode alone (and umask may loosen a new one).
  await chmod(dir, 0o700);
}

/** Write to a temp file in the same dir, fsync, then rename: readers see the old or the new file, never half. */
export async function writeAtomic(file: string, content: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
}
