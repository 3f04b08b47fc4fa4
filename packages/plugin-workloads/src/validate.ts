import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core/plugin';
import { KUSTOMIZATION_FILES, resolveFrom } from './manifests.js';
import type { WorkloadsSection } from './schema.js';

/** Directory relative manifest paths resolve from; in-memory topologies (`<stdin>`) use the working dir. */
export function topologyDirOf(file: string): string {
  return file.startsWith('<') ? process.cwd() : dirname(file);
}

export function validateWorkloads(topology: Topology, section: WorkloadsSection | undefined, ctx: ValidateContext): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const clusters = Object.keys(topology.clusters);
  const dir = topologyDirOf(ctx.source.file);
  const seen = new Set<string>();
  (section?.manifests ?? []).forEach((entry, i) => {
    const at = ['workloads', 'manifests', i];
    if (seen.has(entry.name)) {
      problems.push(
        ctx.diagnostic(
          [...at, 'name'],
          `manifests name "${entry.name}" is used twice; step ids would collide`,
          'give each manifests entry a unique name',
        ),
      );
    }
    seen.add(entry.name);
    const hasPath = entry.path !== undefined;
    const hasKustomize = entry.kustomize !== undefined;
    if (hasPath === hasKustomize) {
      problems.push(
        ctx.diagnostic(
          at,
          `manifests "${entry.name}" needs exactly one of path or kustomize`,
          hasPath ? 'remove either path or kustomize' : 'add path: <file or dir of YAML> or kustomize: <dir>',
        ),
      );
    } else if (hasPath) {
      const location = resolveFrom(dir, entry.path!);
      if (!existsSync(location)) {
        problems.push(
          ctx.diagnostic(
            [...at, 'path'],
            `${entry.path} does not exist (looked in ${location})`,
            'paths are relative to the topology file; fix the path or create the file',
          ),
        );
      }
    } else {
      const location = resolveFrom(dir, entry.kustomize!);
      if (!existsSync(location) || !statSync(location).isDirectory()) {
        problems.push(
          ctx.diagnostic(
            [...at, 'kustomize'],
            `${entry.kustomize} is not a directory (looked in ${location})`,
            'kustomize takes a directory holding kustomization.yaml, relative to the topology file',
          ),
        );
      } else if (!KUSTOMIZATION_FILES.some((f) => existsSync(join(location, f)))) {
        problems.push(
          ctx.diagnostic(
            [...at, 'kustomize'],
            `${entry.kustomize} has no kustomization.yaml`,
            'add a kustomization.yaml, or use path: for plain YAML',
          ),
        );
      }
    }
    (entry.clusters ?? []).forEach((cluster, j) => {
      if (!clusters.includes(cluster)) {
        problems.push(ctx.diagnostic([...at, 'clusters', j], `unknown cluster "${cluster}"`, `use one of: ${clusters.join(', ')}`));
      }
    });
  });
  return problems;
}
