// Reading user manifests: files, directories of YAML, or `kubectl kustomize` output.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { CommandRunner } from '@meshspec/core/plugin';
import type { ManifestEntry } from './schema.js';

const YAML_FILE = /\.ya?ml$/i;
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Absolute location of a topology-relative path. */
export function resolveFrom(topologyDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(topologyDir, path);
}

/** The YAML files a `path` entry applies, in a stable (sorted) order; a file is itself. */
export async function yamlFilesOf(location: string): Promise<string[]> {
  if (!(await stat(location)).isDirectory()) return [location];
  const names = (await readdir(location)).filter((n) => YAML_FILE.test(n)).sort();
  return names.map((n) => join(location, n));
}

/** Multi-document YAML text of an entry: concatenated files, or the kustomize rendering. */
export async function loadManifestText(
  entry: ManifestEntry,
  topologyDir: string,
  exec: CommandRunner,
  signal?: AbortSignal,
): Promise<string> {
  if (entry.kustomize !== undefined) {
    const result = await exec.run('kubectl', ['kustomize', resolveFrom(topologyDir, entry.kustomize)], {
      timeout: 120_000,
      ...(signal ? { signal } : {}),
    });
    return result.stdout;
  }
  const files = await yamlFilesOf(resolveFrom(topologyDir, entry.path ?? '.'));
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  return texts.map((t) => t.replace(/^---\s*\n/, '')).join('\n---\n');
}

/**
 * Content digest of everything an entry reads (synchronous: `steps()` is), so that editing a manifest
 * changes the step's fingerprint and the next apply re-applies it. Missing files digest as `missing`.
 */
export function digestEntry(entry: ManifestEntry, topologyDir: string): string {
  const hash = createHash('sha256');
  const root = resolveFrom(topologyDir, entry.kustomize ?? entry.path ?? '.');
  const visit = (location: string, recurse: boolean) => {
    let info;
    try {
      info = statSync(location);
    } catch {
      hash.update(`missing:${relative(root, location)}\n`);
      return;
    }
    if (!info.isDirectory()) {
      hash.update(`file:${relative(root, location)}\n`).update(readFileSync(location));
      return;
    }
    for (const name of readdirSync(location).sort()) {
      const child = join(location, name);
      const isDir = statSync(child).isDirectory();
      // kustomize may read any file below its directory; a plain directory entry reads only its YAML.
      if (isDir ? recurse : recurse || YAML_FILE.test(name)) visit(child, recurse);
    }
  };
  visit(root, entry.kustomize !== undefined);
  return hash.digest('hex').slice(0, 16);
}
