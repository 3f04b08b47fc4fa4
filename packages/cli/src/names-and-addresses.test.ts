// Values that become Kubernetes names, kube contexts or command arguments are checked against their real
// rules in the schema; addresses that cannot work (everything, nothing, outside the docker network) are
// caught at validate. Each case: one mistake in an otherwise valid topology -> one positioned error there.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'meshspec-names-'));
const topology = (overrides: Record<string, string>) => {
  const v = {
    demo: '{ podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16 }',
    demo3: '{ podSubnet: 10.245.0.0/16, serviceSubnet: 10.97.0.0/16 }',
    metallb: '{}',
    export: '[{ namespace: test, service: podinfo }]',
    splits: '[{ namespace: test, service: podinfo }]',
    expose: '[{ namespace: test, service: frontend, port: 8080 }]',
    workloads: '{ namespace: test }',
    ...overrides,
  };
  return [
    'apiVersion: meshspec.dev/v1alpha1',
    'kind: Topology',
    'metadata: { name: names }',
    'clusters:',
    `  demo: ${v.demo}`,
    `  demo3: ${v.demo3}`,
    'kindClusters: { workers: 1 }',
    `metallb: ${v.metallb}`,
    'linkerd:',
    `  export: ${v.export}`,
    `smi: { splits: ${v.splits} }`,
    `ingress: { expose: ${v.expose} }`,
    `workloads: { demo: ${v.workloads} }`,
    '',
  ].join('\n');
};

async function validate(name: string, text: string) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, text);
  const { code, stdout } = await runCli(['validate', '-o', 'json', file]);
  return {
    code,
    result: JSON.parse(stdout) as { valid: boolean; diagnostics: { line: number; path: string; message: string; fix?: string }[] },
  };
}

const cases: { name: string; overrides: Record<string, string>; line: number; path: string; message: RegExp }[] = [
  {
    name: 'metallb.namespace with capitals and _',
    overrides: { metallb: '{ namespace: Bad_NS }' },
    line: 8,
    path: 'metallb.namespace',
    message: /DNS-1123 label/,
  },
  {
    name: 'exposed namespace __proto__',
    overrides: { expose: '[{ namespace: __proto__, service: frontend, port: 8080 }]' },
    line: 12,
    path: 'ingress.expose[0].namespace',
    message: /DNS-1123 label/,
  },
  {
    name: 'exposed service ""',
    overrides: { expose: '[{ namespace: test, service: "", port: 8080 }]' },
    line: 12,
    path: 'ingress.expose[0].service',
    message: /DNS-1035 label/,
  },
  {
    name: 'workload namespace of 100,000 digits',
    overrides: { workloads: `{ namespace: "${'1'.repeat(100_000)}" }` },
    line: 13,
    path: 'workloads.demo.namespace',
    message: /at most 63/,
  },
  {
    name: 'exported service starting with a digit',
    overrides: { export: '[{ namespace: test, service: 1podinfo }]' },
    line: 10,
    path: 'linkerd.export[0].service',
    message: /DNS-1035 label/,
  },
  {
    name: 'exported namespace of 64 characters',
    overrides: { export: `[{ namespace: ${'a'.repeat(64)}, service: podinfo }]` },
    line: 10,
    path: 'linkerd.export[0].namespace',
    message: /at most 63/,
  },
  {
    name: 'split backend service with a dot',
    overrides: { splits: '[{ namespace: test, service: podinfo, backends: [{ service: pod.info, weight: 100 }] }]' },
    line: 11,
    path: 'smi.splits[0].backends[0].service',
    message: /DNS-1035 label/,
  },
  {
    name: 'kube context that reads as an option',
    overrides: { demo: '{ context: --kubeconfig=/etc/passwd }' },
    line: 5,
    path: 'clusters.demo.context',
    message: /kube context name/,
  },
  {
    name: 'pod subnet 0.0.0.0/0',
    overrides: { demo: '{ podSubnet: 0.0.0.0/0, serviceSubnet: 10.96.0.0/16 }' },
    line: 5,
    path: 'clusters.demo.podSubnet',
    message: /every address|overlaps/,
  },
  {
    name: 'a /32 service subnet',
    overrides: { demo: '{ podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.1/32 }' },
    line: 5,
    path: 'clusters.demo.serviceSubnet',
    message: /too small|addresses/,
  },
  {
    name: 'metallb pool 0.0.0.0/0',
    overrides: { metallb: '{ pools: { demo: 0.0.0.0/0 } }' },
    line: 8,
    path: 'metallb.pools.demo',
    message: /too large|addresses/,
  },
  {
    name: "the seed's pools outside kind's docker network",
    overrides: { metallb: '{ dockerSubnet: 172.18.0.0/16, pools: { demo: 172.17.0.200-172.17.0.209, demo3: 172.17.0.210-172.17.0.219 } }' },
    line: 8,
    path: 'metallb.pools.demo',
    message: /outside the docker network/,
  },
];

describe('names and addresses are checked at validate', () => {
  it('the base topology is valid', async () => {
    const { code, result } = await validate('base', topology({}));
    expect(result.diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it.each(cases)('$name', async ({ name, overrides, line, path, message }) => {
    const { code, result } = await validate(name, topology(overrides));
    expect(code).toBe(1);
    const found = result.diagnostics.find((d) => d.path === path);
    expect(found, JSON.stringify(result.diagnostics, null, 2).slice(0, 2000)).toBeDefined();
    expect(found!.message).toMatch(message);
    expect(found!.line).toBe(line);
    expect(found!.fix).toBeTruthy();
  });
});
