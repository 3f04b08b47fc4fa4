import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_IMAGE } from './schema.js';
import { kubernetesVersionOfNodeImage, NODE_IMAGE_PINS, pinnedNodeImageWithin } from './pins.js';

describe('node image pins', () => {
  it('every pin is by digest, its tag matches its Kubernetes minor, and it names its kind release and source', () => {
    for (const pin of NODE_IMAGE_PINS) {
      expect(pin.image).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
      const v = kubernetesVersionOfNodeImage(pin.image)!;
      expect(`${v.major}.${v.minor}`).toBe(pin.kubernetes);
      expect(pin.source).toBe(`https://github.com/kubernetes-sigs/kind/releases/tag/${pin.kind}`);
    }
  });

  it('one pin per Kubernetes minor', () => {
    const minors = NODE_IMAGE_PINS.map((p) => p.kubernetes);
    expect(new Set(minors).size).toBe(minors.length);
  });

  it("the default node image is a pin, the newest inside Linkerd 2.20's range (1.31-1.35)", () => {
    expect(DEFAULT_NODE_IMAGE).toBe(pinnedNodeImageWithin(31, 35)!.image);
    expect(DEFAULT_NODE_IMAGE).toMatch(/^kindest\/node:v1\.35\./);
  });

  it.each([
    ['kindest/node:v1.37.0@sha256:' + 'a'.repeat(64), { major: 1, minor: 37, patch: 0 }],
    ['kindest/node:v1.24.7', { major: 1, minor: 24, patch: 7 }],
    ['my/node:latest', undefined],
  ])('reads the Kubernetes version of %s', (image, version) => {
    expect(kubernetesVersionOfNodeImage(image)).toEqual(version);
  });

  it('finds no pin for a range kind v0.33 has no image in', () => {
    expect(pinnedNodeImageWithin(31, 33)).toBeUndefined();
    expect(pinnedNodeImageWithin(21, 28)!.kubernetes).toBe('1.24');
  });
});
