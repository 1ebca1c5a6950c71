-- pgvector must exist before any table uses the vector type. Needs a role allowed to create extensions.
CREATE EXTENSION IF NOT EXISTS vector;
