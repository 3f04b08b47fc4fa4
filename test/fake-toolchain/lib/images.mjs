// Image pulls, modelled for time and counted. A kind node's containerd pulls every image a pod runs the
// first time that node needs it; kubelet pulls one image at a time by default (serializeImagePulls). So
// each distinct image costs MESHSPEC_FAKE_PULL_MS once per cluster — unless the cluster was created with a
// registry mirror in its containerd config (see mirrorsOf in kind.mjs): then the first cluster's pull
// fills the mirror and the others fetch from it at MIRROR_FRACTION of the cost.
// Every pull is appended to <state>/images/pulls.jsonl: { context, image, source, ms, ts }.
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A pull from a mirror on the docker network costs this share of a pull from the internet. */
export const MIRROR_FRACTION = 0.1;

const key = (image) => createHash('sha256').update(image).digest('hex').slice(0, 24);

/** Distinct images of the pod templates (and pods) among `objects`, in order of appearance. */
export function imagesOf(objects) {
  const images = new Set();
  for (const o of objects) {
    const pod = o?.kind === 'Pod' ? o.spec : (o?.spec?.template?.spec ?? o?.spec?.jobTemplate?.spec?.template?.spec);
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) if (typeof c?.image === 'string') images.add(c.image);
  }
  return [...images];
}

/**
 * Pulls `images` into the cluster behind `context` (fake state dir `stateRoot`), sleeping for what each
 * pull costs; images the cluster already has cost nothing. `mirrored`: the cluster pulls through a mirror.
 * Returns the pulls made.
 */
export async function pullImages(
  stateRoot,
  context,
  images,
  { mirrored = false, pullMs = Number(process.env.MESHSPEC_FAKE_PULL_MS ?? 0) } = {},
) {
  const pulls = [];
  for (const image of images) {
    const marker = join(stateRoot, 'images', context, key(image));
    if (!claim(marker)) continue; // present (or being pulled by another call for this cluster)
    let source = 'upstream';
    let ms = pullMs;
    if (mirrored) {
      const cached = !claim(join(stateRoot, 'images', 'mirror', key(image)));
      source = cached ? 'mirror' : 'upstream-via-mirror';
      if (cached) ms = Math.round(pullMs * MIRROR_FRACTION);
    }
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    const pull = { context, image, source, ms, ts: new Date().toISOString() };
    pulls.push(pull);
    const log = join(stateRoot, 'images', 'pulls.jsonl');
    mkdirSync(dirname(log), { recursive: true });
    appendFileSync(log, `${JSON.stringify(pull)}\n`);
  }
  return pulls;
}

/** Creates `file` unless it exists: true for the one caller that created it (atomic across processes). */
function claim(file) {
  mkdirSync(dirname(file), { recursive: true });
  try {
    closeSync(openSync(file, 'wx'));
    return true;
  } catch {
    return false;
  }
}

export const wasPulled = (stateRoot, context, image) => existsSync(join(stateRoot, 'images', context, key(image)));
