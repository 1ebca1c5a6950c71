CREATE TABLE "documents" (
	"id" integer PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"lang" text NOT NULL,
	"category" text NOT NULL,
	"embedding" vector(384) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents_ivfflat" (
	"id" integer PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"lang" text NOT NULL,
	"category" text NOT NULL,
	"embedding" vector(384) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "documents_embedding_hnsw" ON "documents" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);--> statement-breakpoint
CREATE INDEX "documents_ivfflat_embedding_ivfflat" ON "documents_ivfflat" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists=10);