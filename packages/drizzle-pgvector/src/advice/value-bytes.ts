import { HNSW_INDEX_MAX_NON_ZERO, VALUE_LAYOUT, type VectorType } from '../catalog/index.js';

/**
 * Bytes of one stored value (the varlena pgvector hands to an index build): vector 8 + 4·D, halfvec 8 + 2·D,
 * bit 8 + ⌈D/8⌉, sparsevec 16 + 8·nnz (nnz defaults to the HNSW per-value limit, an upper bound).
 */
export function valueBytes(type: VectorType, dimensions: number, nonZero: number = HNSW_INDEX_MAX_NON_ZERO): number {
  switch (type) {
    case 'vector':
      return VALUE_LAYOUT.vector.headerBytes + VALUE_LAYOUT.vector.bytesPerDimension * dimensions;
    case 'halfvec':
      return VALUE_LAYOUT.halfvec.headerBytes + VALUE_LAYOUT.halfvec.bytesPerDimension * dimensions;
    case 'bit':
      return VALUE_LAYOUT.bit.headerBytes + Math.ceil(dimensions / VALUE_LAYOUT.bit.bitsPerByte);
    case 'sparsevec':
      return VALUE_LAYOUT.sparsevec.headerBytes + VALUE_LAYOUT.sparsevec.bytesPerNonZero * Math.min(nonZero, dimensions);
  }
}
