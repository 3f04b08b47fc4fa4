import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientScript, parseClientLog, renderClientPod } from './client-pod.js';

describe('client pod', () => {
  it('the loop script, run by a real sh with a stand-in curl, prints one line per request and the end marker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-client-'));
    // Stand-in curl: even calls answer a two-line JSON body, odd calls fail like curl does.
    writeFileSync(
      join(dir, 'curl'),
      '#!/bin/sh\nn=$(cat "$0.n" 2>/dev/null || echo 0); echo $((n+1)) > "$0.n"\nif [ $((n % 2)) -eq 0 ]; then printf \'{\\n "message": "demo"}\\n\'; else echo "curl: (7) Failed to connect" >&2; exit 7; fi\n',
    );
    chmodSync(join(dir, 'curl'), 0o755);
    const script = clientScript('http://podinfo.test.svc.cluster.local:9898/', 4).replace('sleep 600', 'true');
    const log = execFileSync('sh', ['-c', script], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(parseClientLog(log)).toEqual({
      answers: ['{ "message": "demo"}', '{ "message": "demo"}'],
      errors: ['curl: (7) Failed to connect', 'curl: (7) Failed to connect'],
      finished: true,
    });
  });

  it('an unfinished log is not finished', () => {
    expect(parseClientLog('meshspec-answer {}\n').finished).toBe(false);
  });

  it("renders a bare Pod that never restarts, with the caller's annotations", () => {
    const pod = renderClientPod('meshspec-verify-abc', {
      namespace: 'test',
      url: 'http://x/',
      count: 3,
      annotations: { 'linkerd.io/inject': 'enabled' },
    });
    expect(pod.metadata).toMatchObject({ name: 'meshspec-verify-abc', namespace: 'test', annotations: { 'linkerd.io/inject': 'enabled' } });
    expect(pod['spec']).toMatchObject({ restartPolicy: 'Never' });
  });
});
