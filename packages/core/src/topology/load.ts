import { readFile, stat } from 'node:fs/promises';
import { MeshspecError, TopologyError } from '../errors.js';
import { MAX_TOPOLOGY_BYTES, oversizeDiagnostic } from './parse.js';
import type { Plugin } from '../plugin/types.js';
import { validateTopology, type ValidatedTopology } from './validate.js';

/** Reads and validates a topology file; the path is kept as given so diagnostics show what the user typed. */
export async function loadTopologyFile(path: string, plugins: readonly Plugin[]): Promise<ValidatedTopology> {
  let text: string;
  try {
    // Refused before reading: a 20 GB file must not be loaded to be told it is too big.
    const { size, isFile } = await stat(path).then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (isFile && size > MAX_TOPOLOGY_BYTES) throw new TopologyError([oversizeDiagnostic(path, size)]);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof TopologyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MeshspecError(`no such file: ${path}; check the path of the topology file`);
    if (code === 'EISDIR')
      throw new MeshspecError(`${path} is a directory; give the topology file, e.g. ${path.replace(/\/$/, '')}/topology.yaml`);
    if (code === 'EACCES') throw new MeshspecError(`cannot read ${path}: permission denied`);
    throw new MeshspecError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return validateTopology({ text, file: path, plugins });
}
