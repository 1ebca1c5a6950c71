export { SparseVector, checkSparse, parseSparseVector } from './sparse-vector.js';
export type { SparseVectorLike } from './sparse-vector.js';
export {
  checkDense,
  decodeDense,
  decodeSparse,
  encodeBit,
  encodeDense,
  encodeSparse,
  encodeValue,
  toSparse,
} from './text.js';
export type { DenseVectorInput, SparseVectorInput, ValueSpec, VectorValueInput } from './text.js';
