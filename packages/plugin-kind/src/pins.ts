// Every version plugin-kind pins, with where it comes from. kind supports a node image only with the kind
// release that built it, and only by digest (tags are rebuilt), so each pin names that release.
// Minors 1.31–1.33 (inside Linkerd 2.20's range) are left out on purpose: kind v0.33.0 ships no images
// for them, and the older releases' images are not supported by kind v0.33.

export interface NodeImagePin {
  /** Kubernetes minor, `1.N`. */
  kubernetes: string;
  /** The image by tag and digest, exactly as the kind release notes list it. */
  image: string;
  /** The kind release whose notes list this image (use that kind binary with it). */
  kind: string;
  source: string;
}

const KIND_V0_33 = 'https://github.com/kubernetes-sigs/kind/releases/tag/v0.33.0';
const KIND_V0_17 = 'https://github.com/kubernetes-sigs/kind/releases/tag/v0.17.0';

/** Newest first. */
export const NODE_IMAGE_PINS: readonly NodeImagePin[] = [
  // kind v0.33.0's default (its release notes, "Breaking Changes"): what `kind create cluster` gives today.
  {
    kubernetes: '1.37',
    image: 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5',
    kind: 'v0.33.0',
    source: KIND_V0_33,
  },
  {
    kubernetes: '1.36',
    image: 'kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed',
    kind: 'v0.33.0',
    source: KIND_V0_33,
  },
  {
    kubernetes: '1.35',
    image: 'kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0',
    kind: 'v0.33.0',
    source: KIND_V0_33,
  },
  {
    kubernetes: '1.34',
    image: 'kindest/node:v1.34.11@sha256:44e222ee2132dab25ff87301682f89eb82c7880ea3a1bf543bfe9708fd08d67d',
    kind: 'v0.33.0',
    source: KIND_V0_33,
  },
  // The seed procedure's image (its tool table), listed by kind v0.17.0.
  {
    kubernetes: '1.24',
    image: 'kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315',
    kind: 'v0.17.0',
    source: KIND_V0_17,
  },
];

/** The image kind v0.33 uses when none is given: Kubernetes 1.37. */
export const KIND_DEFAULT_NODE_IMAGE = NODE_IMAGE_PINS[0]!.image;

/**
 * `1.N.P` of a node image from its tag (`kindest/node:v1.35.8@sha256:...` -> 1.35.8); undefined when the
 * tag is no Kubernetes version (a self-built image), so callers cannot judge it.
 */
export function kubernetesVersionOfNodeImage(image: string): { major: number; minor: number; patch: number } | undefined {
  const tag = /:v(\d+)\.(\d+)\.(\d+)(?:@|$)/.exec(image);
  return tag ? { major: Number(tag[1]), minor: Number(tag[2]), patch: Number(tag[3]) } : undefined;
}

/** The newest pinned image whose Kubernetes minor is in [min, max] (`1.N` each); undefined when none is. */
export function pinnedNodeImageWithin(min: number, max: number): NodeImagePin | undefined {
  return NODE_IMAGE_PINS.find((p) => {
    const minor = Number(p.kubernetes.split('.')[1]);
    return minor >= min && minor <= max;
  });
}
