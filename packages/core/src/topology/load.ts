import { readFile } from 'node:fs/promises';
import { MeshspecError } from '../errors.js';
import type { Plugin } from '../plugin/types.js';
import { validateTopology, type ValidatedTopology } from './validate.js';

/** Reads and validates a topology file; the path is kept as given so diagnostics show what the user typed. */
export async function loadTopologyFile(path: string, plugins: readonly Plugin[]): Promise<ValidatedTopology> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MeshspecError(`no such file: ${path}; check the path of the topology file`);
    if (code === 'EISDIR') throw new MeshspecError(`${path} is a directory; give the topology file, e.g. ${path.replace(/\/$/, '')}/topology.yaml`);
    if (code === 'EACCES') throw new MeshspecError(`cannot read ${path}: permission denied`);
    throw new MeshspecError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return validateTopology({ text, file: path, plugins });
}
