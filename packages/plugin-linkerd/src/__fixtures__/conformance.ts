// Real upstream data (../shared/conformance beside the repo): read at test time, never copied in. A
// missing folder fails the test with a message that says so.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CONFORMANCE_DIR = join(REPO, '../shared/conformance');

export function conformancePath(relative: string): string {
  const path = join(CONFORMANCE_DIR, relative);
  if (!existsSync(path)) {
    throw new Error(`conformance data missing: ${path} (the real upstream manifests live in ../shared/conformance beside the repository; see its README)`);
  }
  return path;
}

export const readConformance = (relative: string): string => readFileSync(conformancePath(relative), 'utf8');
