export { VectorTarget, asHalfvec, asVector, binaryQuantize, isVectorTarget, subvector, toTarget } from './vector-target.js';
export type { TargetKind } from './vector-target.js';
export { vectorColumnInfo } from './column-info.js';
export type { VectorColumnInfo } from './column-info.js';
export { operatorClassForTarget } from './operator-class.js';
export { resolveTarget } from './resolve-target.js';
export type { VectorTargetInput } from './resolve-target.js';
