-- The campaign stages in order (code, Chinese label).
SELECT code, label FROM retrofit_stage ORDER BY ord;
