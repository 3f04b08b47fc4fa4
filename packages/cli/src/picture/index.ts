// `plan -o mermaid|dot|html`: each format's renderer, loaded only when asked for (the CLI starts light).
import type { PictureFormat } from '../args.js';
import type { PlanPicture } from './model.js';

export type PictureRenderer = (picture: PlanPicture) => string;

export const PICTURE_RENDERERS: Record<PictureFormat, () => Promise<PictureRenderer>> = {
  mermaid: async () => (await import('./mermaid.js')).renderMermaid,
  dot: async () => (await import('./dot.js')).renderDot,
  html: async () => (await import('./html.js')).renderHtml,
};
