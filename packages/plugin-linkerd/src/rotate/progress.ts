// Progress of a rotation, so an interrupted one continues where it stopped: one JSON file in the state
// dir, written after every completed unit (a phase on one cluster). Holds fingerprints only, never keys.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROTATION_FILE = 'linkerd-rotation.json';

export interface RotationProgress {
  target: 'issuer' | 'trust-anchor';
  startedAt: string;
  /** Fingerprint of the anchor being rotated to (trust-anchor) or of the new issuer (issuer). */
  fingerprint: string;
  /** `<phase>@<cluster>` units done, in order. */
  done: string[];
}

export function readProgress(stateDir: string): RotationProgress | undefined {
  const file = join(stateDir, ROTATION_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RotationProgress;
}

export function writeProgress(stateDir: string, progress: RotationProgress): void {
  const file = join(stateDir, ROTATION_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export function clearProgress(stateDir: string): void {
  rmSync(join(stateDir, ROTATION_FILE), { force: true });
}
