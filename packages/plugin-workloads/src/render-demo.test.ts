import { describe, expect, it } from 'vitest';
import { mirrorServiceName } from '@meshspec/plugin-linkerd';
import { renderDemo, renderNginxConf } from './render-demo.js';

const golden = (name: string) => `./__golden__/${name}`;

describe('renderDemo', () => {
  it.each([
    ['demo-2-clusters', 'demo', ['demo', 'demo3']],
    ['demo-3-clusters', 'east', ['east', 'west', 'north']],
  ] as const)('%s matches its golden file', async (name, cluster, all) => {
    const objects = renderDemo(cluster, all, { namespace: 'test' }, mirrorServiceName);
    await expect(JSON.stringify(objects, null, 2) + '\n').toMatchFileSnapshot(golden(`${name}.json`));
    await expect(
      renderNginxConf(cluster, all, { namespace: 'test', clusterDns: 'kube-dns.kube-system.svc.cluster.local' }, mirrorServiceName),
    ).toMatchFileSnapshot(golden(`${name}.nginx.conf`));
  });

  it('routes / locally and one path per remote cluster, never to itself', () => {
    const conf = renderNginxConf(
      'west',
      ['east', 'west', 'north'],
      { namespace: 'shop', clusterDns: 'coredns.kube-system.svc.cluster.local' },
      mirrorServiceName,
    );
    expect(conf).toContain('resolver coredns.kube-system.svc.cluster.local valid=10s;');
    expect(conf).toContain('podinfo.shop.svc.cluster.local;');
    expect(conf).toContain('location ~ ^/east(/|$) {');
    expect(conf).toContain('podinfo-north.shop.svc.cluster.local;');
    expect(conf).not.toContain('/west');
  });

  it('uses variable upstreams so nginx starts before mirrors exist', () => {
    const conf = renderNginxConf('a', ['a', 'b-2'], { namespace: 'test', clusterDns: 'dns' }, mirrorServiceName);
    // Every proxy_pass goes through a variable; dashes are not allowed in nginx variable names.
    for (const line of conf.split('\n').filter((l) => l.includes('proxy_pass')))
      expect(line).toMatch(/proxy_pass http:\/\/\$[A-Za-z0-9_]+:9898;/);
    expect(conf).toContain('$podinfo_b_2');
  });

  it('adds one load generator per target and none when disabled', () => {
    const containers = (objs: ReturnType<typeof renderDemo>) =>
      (
        (objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'frontend')!.spec as any).template.spec.containers as {
          name: string;
          image: string;
        }[]
      ).map((c) => c.name);
    expect(containers(renderDemo('a', ['a', 'b', 'c'], {}, mirrorServiceName))).toEqual(['nginx', 'load-local', 'load-b', 'load-c']);
    expect(containers(renderDemo('a', ['a', 'b', 'c'], { loadGenerators: false }, mirrorServiceName))).toEqual(['nginx']);
  });

  it('annotates the namespace for injection only when inject is on', () => {
    expect(renderDemo('a', ['a'], {}, mirrorServiceName)[0]!.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(renderDemo('a', ['a'], { inject: false }, mirrorServiceName)[0]!.metadata.annotations).toBeUndefined();
  });

  it('rolls the frontend when its nginx config changes', () => {
    const hash = (all: string[]) =>
      (renderDemo('a', all, {}, mirrorServiceName).find((o) => o.metadata.name === 'frontend' && o.kind === 'Deployment')!.spec as any)
        .template.metadata.annotations['meshspec.dev/config-sha256'];
    expect(hash(['a', 'b'])).not.toEqual(hash(['a', 'b', 'c']));
  });
});
