-- Optimistic concurrency: every editable resource carries a revision, bumped by the write pipeline in the same
-- transaction as each accepted write (RevisionStore). The ETag a GET answers with is built from it; a write whose
-- If-Match names an older revision is refused with 412 before anything is written.
-- Plans (and, through them, their cells, compounds, staff) today; other families add `revision` to their tables
-- (compound, household, valve, …) in their own migrations and register the kind in RevisionStore.Tables.
ALTER TABLE plan ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1);

-- Plan versions: a preview restored from a published (or superseded) version says which.
ALTER TABLE plan ADD COLUMN restored_from bigint REFERENCES plan(id);

-- The audit records which revision a write produced and whether it was conditional (If-Match) or not
-- (NULL: accepted without a precondition, last writer wins).
ALTER TABLE audit_log ADD COLUMN revision bigint;
ALTER TABLE audit_log ADD COLUMN if_match text;
