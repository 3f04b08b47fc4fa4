// The conformance data loader: finds ../shared/conformance, lists what its README promises, and fails
// with a message (never a skip) when the data is not there.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE,
  CONFORMANCE_ENV,
  conformanceCrds,
  conformanceDir,
  conformanceFiles,
  conformanceObjects,
  listedFiles,
  readConformanceText,
} from './index.js';

describe('conformance data loader', () => {
  it('finds the data beside the repo and every file its README lists exists and parses', () => {
    const files = conformanceFiles();
    for (const f of [
      'linkerd/stable-2.13.3/install-control-plane.yaml',
      'linkerd/edge-26.6.3/multicluster-install-controller-west.yaml',
      'linkerd/edge-26.6.3/viz-install.yaml',
      'metallb/v0.14.9/crds.yaml',
      'gateway-api/v1.2.1/standard-crds.yaml',
      'linkerd-smi/v0.2.7/trafficsplit-crd.yaml',
    ])
      expect(files).toContain(f);
    for (const f of files.filter((f) => f.endsWith('.yaml'))) expect(conformanceObjects(f).length, f).toBeGreaterThan(0);
    expect(conformanceCrds(CONFORMANCE.metallbCrds('v0.14.9')).map((c) => c.metadata.name)).toContain('ipaddresspools.metallb.io');
  });

  it('reads the README table: folders times file names, "the same" rows inherit the previous row', () => {
    const readme = [
      '| folder | what | where |',
      '| --- | --- | --- |',
      '| `a/1/` | `x.yaml` (`cmd --flag`), `anchor.crt` | here |',
      '| `a/2/` | the same, plus `y.yaml` (`--set k=v`) | there |',
      '| `b/1/`, `b/2/` | `crds.yaml` | upstream |',
    ].join('\n');
    expect(listedFiles(readme)).toEqual([
      'a/1/x.yaml',
      'a/1/anchor.crt',
      'a/2/x.yaml',
      'a/2/anchor.crt',
      'a/2/y.yaml',
      'b/1/crds.yaml',
      'b/2/crds.yaml',
    ]);
  });

  it('a missing folder is an error that says where it looked and how to provide it', () => {
    const env = { [CONFORMANCE_ENV]: join(tmpdir(), 'meshspec-no-such-conformance-data') };
    expect(() => conformanceDir(env)).toThrow(
      /real upstream conformance data is missing: expected .*meshspec-no-such-conformance-data\/README\.md .*MESHSPEC_CONFORMANCE_DIR.*never skip/,
    );
    expect(() => conformanceFiles(env)).toThrow(/conformance data is missing/);
  });

  it('a folder lacking a listed file names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-conformance-'));
    writeFileSync(join(dir, 'README.md'), '| `linkerd/stable-2.13.3/` | `install-crds.yaml` | cli |\n');
    const env = { [CONFORMANCE_ENV]: dir };
    expect(() => conformanceFiles(env)).toThrow(/lacks linkerd\/stable-2\.13\.3\/install-crds\.yaml/);
    expect(() => readConformanceText('linkerd/stable-2.13.3/install-crds.yaml', env)).toThrow(/lacks/);
  });
});
