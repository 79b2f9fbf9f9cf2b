-- The published versions of area @key (current and superseded), newest first: plan id, version, status, when published
-- and superseded, the plan it was restored from, cells, compounds and households, and who published it (audit log).
SELECT p.id, p.version, p.status, p.published_at, p.superseded_at, p.restored_from,
       (SELECT count(*) FROM plan_cell pc WHERE pc.plan_id = p.id),
       (SELECT count(*) FROM plan_compound m WHERE m.plan_id = p.id),
       (SELECT coalesce(sum(c.households), 0) FROM plan_compound m JOIN compound c ON c.id = m.compound_id WHERE m.plan_id = p.id),
       (SELECT a.actor FROM audit_log a WHERE a.entity = 'plan' AND a.entity_id = p.id::text AND a.action = 'planning.publish' ORDER BY a.id DESC LIMIT 1)
FROM plan p
WHERE p.area_key = @key AND p.version IS NOT NULL
ORDER BY p.version DESC;
