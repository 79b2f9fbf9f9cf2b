-- Imports: the external key a source gives a feature ("XQ-0012", "T1": survey and utility ids that are not integers),
-- mapped to GridMap's own id, so re-importing the source updates the same entity (upsert by key).
-- A key is unique per kind and source (the dataset's name, by default the file's name without extension).

CREATE TABLE import_key (
  kind         text NOT NULL CHECK (kind IN ('compound', 'pipe', 'valve')),
  source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  entity_id    bigint NOT NULL CHECK (entity_id > 0),
  imported_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, source, key)
);
CREATE INDEX import_key_entity_idx ON import_key (kind, entity_id);
