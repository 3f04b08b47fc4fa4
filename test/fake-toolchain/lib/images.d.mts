// Types for images.mjs, imported by the in-process cluster simulation (cluster.ts).
export declare const MIRROR_FRACTION: number;
export interface ImagePull {
  context: string;
  image: string;
  source: 'upstream' | 'upstream-via-mirror' | 'mirror';
  ms: number;
  ts: string;
}
export declare function imagesOf(objects: unknown[]): string[];
export declare function pullImages(
  stateRoot: string,
  context: string,
  images: string[],
  options?: { mirrored?: boolean; pullMs?: number },
): Promise<ImagePull[]>;
export declare function wasPulled(stateRoot: string, context: string, image: string): boolean;
