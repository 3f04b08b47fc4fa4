// Fake `kubectl`: meshspec talks to the API itself, so only `version --client` and `kustomize <dir>`
// (workloads manifests) exist; everything else fails loudly so a stray kubectl call shows up in tests.
import { join, resolve } from 'node:path';
import { fail, positionals, readFileSync, toYamlStream, YAML } from './common.mjs';

export async function run(argv) {
  const [verb, dir] = positionals(argv, ['--context', '--kubeconfig', '-o', '--output']);
  if (verb === 'version') return 'Client Version: v1.29.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n';
  if (verb === 'kustomize') return kustomize(dir ?? '.');
  fail(
    `error: the fake toolchain's kubectl implements only "version" and "kustomize" (meshspec applies objects through the API), got: ${argv.join(' ')}`,
  );
}

/** `resources:` files only (no patches, no generators): enough to show the call and its output. */
function kustomize(dir) {
  let k;
  try {
    k = YAML.parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
  } catch {
    fail(`error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${resolve(dir)}'`);
  }
  const objects = (k.resources ?? []).flatMap((file) =>
    YAML.parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
      .map((d) => d.toJS())
      .filter(Boolean),
  );
  return toYamlStream(
    objects.map((o) =>
      k.namespace && o.metadata && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace: k.namespace } } : o,
    ),
  );
}
