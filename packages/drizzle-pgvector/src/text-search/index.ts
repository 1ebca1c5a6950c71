export { tsvector } from './tsvector-column.js';
export { searchDocument } from './search-document.js';
export type { SearchDocumentOptions, SearchWeight } from './search-document.js';
