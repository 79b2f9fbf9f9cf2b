-- When recorded stage history begins: the first audited compound change that names a retrofit_status (NULL = none).
SELECT min(a.at) FROM audit_log a WHERE a.entity = 'compound' AND a.after ? 'retrofit_status';
