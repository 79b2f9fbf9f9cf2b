-- When recorded stage history begins: the first stage move (compound_stage_event) (NULL = none).
SELECT min(e.at) FROM compound_stage_event e;
