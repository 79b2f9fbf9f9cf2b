-- Names of the given communities (for cell names).
SELECT code::text, name FROM community WHERE code = ANY(@codes);
