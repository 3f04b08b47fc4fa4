// The YAML library exactly as core bundles it, for the meshspec CLI bundle: its built-in plugins import
// 'yaml', and scripts/bundle.mjs points those imports here, so one start loads and initialises one copy of
// the library instead of two (~11 ms of a ~40 ms node start, issue 11). Any other code imports 'yaml'.
// A name the CLI's plugins import that is missing here fails the bundle build, never a run.
export {
  Document,
  isAlias,
  isCollection,
  isDocument,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parse,
  parseAllDocuments,
  parseDocument,
  Scalar,
  stringify,
} from 'yaml';
