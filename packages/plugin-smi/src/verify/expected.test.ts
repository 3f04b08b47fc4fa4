import { describe, expect, it } from 'vitest';
import { type Topology } from '@meshspec/core/plugin';
import { factsOf } from '@meshspec/core/testing';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { attributeAnswer, expectedBackends } from './expected.js';
import { tlsEvidence } from './proxy-metrics.js';

const topology = {
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: {}, demo3: {}, demo4: {} },
  linkerd: { export: [{ namespace: 'test', service: 'podinfo' }] },
} as Topology;

describe('expectedBackends', () => {
  it.each([
    {
      name: 'default: local + one mirror per exporting, linked cluster, equal weights',
      split: { namespace: 'test', service: 'podinfo' },
      from: 'demo',
      want: [
        ['demo', 34, 'podinfo', false],
        ['demo3', 33, 'podinfo-demo3', true],
        ['demo4', 33, 'podinfo-demo4', true],
      ],
    },
    {
      name: 'explicit backends name their cluster; absent cluster = the split cluster',
      split: { namespace: 'test', service: 'podinfo', backends: [{ weight: 1 }, { cluster: 'demo3', weight: 3 }] },
      from: 'demo',
      want: [
        ['demo', 1, 'podinfo', false],
        ['demo3', 3, 'podinfo-demo3', true],
      ],
    },
    {
      name: 'explicit backend of the split cluster itself is local',
      split: {
        namespace: 'test',
        service: 'podinfo',
        backends: [
          { cluster: 'demo', weight: 70 },
          { cluster: 'demo3', weight: 30 },
        ],
      },
      from: 'demo3',
      want: [
        ['demo', 70, 'podinfo-demo', true],
        ['demo3', 30, 'podinfo', false],
      ],
    },
  ])('$name', ({ split, from, want }) => {
    expect(
      expectedBackends(split, from, topology, factsOf(linkerdPlugin, topology)).map((b) => [b.name, b.weight, b.service, b.mirror]),
    ).toEqual(want);
  });
});

// podinfo's `/` answer (fields as podinfo 6.x prints them), message set per cluster by the demo workload.
const podinfo = (hostname: string, message: string) =>
  JSON.stringify({
    hostname,
    version: '6.7.1',
    revision: '',
    color: '#34577c',
    logo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
    message,
    goos: 'linux',
    goarch: 'amd64',
    runtime: 'go1.23.2',
    num_goroutine: '8',
    num_cpu: '2',
  });

describe('attributeAnswer', () => {
  const pods = new Map([
    ['demo', new Set(['podinfo-abc'])],
    ['demo3', new Set(['podinfo-xyz'])],
  ]);
  it.each([
    { body: podinfo('podinfo-abc', 'demo3'), want: 'demo3', why: 'message names the cluster' },
    { body: podinfo('podinfo-xyz', 'greetings from podinfo v6.7.1'), want: 'demo3', why: 'default message: hostname lookup' },
    { body: podinfo('stranger', 'hello'), want: 'unknown (stranger)', why: 'neither' },
    { body: '<html>502</html>', want: 'unparsable answer', why: 'not JSON' },
  ])('$why', ({ body, want }) => expect(attributeAnswer(body, ['demo', 'demo3'], pods)).toBe(want));
});

describe('tlsEvidence', () => {
  // Linkerd proxy request_total series (label set as in the proxy-metrics reference).
  const metrics = [
    '# HELP request_total Total count of HTTP requests.',
    '# TYPE request_total counter',
    'request_total{direction="inbound",tls="no_identity",no_tls_reason="not_provided_by_remote"} 12',
    'request_total{authority="podinfo.test.svc.cluster.local:9898",direction="outbound",dst_control_plane_ns="linkerd",dst_namespace="test",dst_service="podinfo",dst_serviceaccount="default",tls="true",server_id="default.test.serviceaccount.identity.linkerd.cluster.local"} 51',
    'request_total{authority="podinfo.test.svc.cluster.local:9898",direction="outbound",dst_service="podinfo-demo3",tls="true",server_id="linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local"} 49',
    'request_total{authority="other.test.svc.cluster.local:80",direction="outbound",tls="no_identity"} 3',
    'request_total{authority="podinfo.test.svc.cluster.local:9898",direction="outbound",tls="true",server_id="stale.test.serviceaccount.identity.linkerd.cluster.local"} 0',
  ].join('\n');
  it('counts outbound mTLS requests to the authority by server identity', () => {
    expect(tlsEvidence(metrics, 'podinfo.test.svc.cluster.local')).toEqual({
      tlsRequests: 100,
      plainRequests: 0,
      identities: {
        'default.test.serviceaccount.identity.linkerd.cluster.local': 51,
        'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local': 49,
      },
    });
  });
  it('counts plain requests', () => {
    expect(tlsEvidence(metrics, 'other.test.svc.cluster.local').plainRequests).toBe(3);
  });
});
