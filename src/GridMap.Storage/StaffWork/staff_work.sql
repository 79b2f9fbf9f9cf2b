-- The cells of the staff record the user @user is linked to (app_user.staff_id), one row per compound (a cell with no
-- compound: one row with NULL compound), ordered by cell code and compound name. Per compound: its stage, households,
-- households never visited (no visit row), and the next follow-up (回访) date with its overdue flag (compound_follow_up).
-- Columns: staff_name, cell_code, cell_name, compound_id, compound_name, stage, households, not_visited, follow_up_due, overdue.
WITH me AS (
  SELECT s.id, s.name FROM app_user u JOIN staff s ON s.id = u.staff_id WHERE lower(u.name) = lower(@user)
)
SELECT me.name, g.code, g.name, c.id, c.name, c.retrofit_status,
       (SELECT count(*) FROM household h WHERE h.compound_id = c.id)::int,
       (SELECT count(*) FROM household h WHERE h.compound_id = c.id
          AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.household_id = h.id))::int,
       f.follow_up_due,
       coalesce(f.overdue, false)
FROM me
JOIN grid_cell g ON g.staff_id = me.id
LEFT JOIN compound c ON c.cell_code = g.code
LEFT JOIN compound_follow_up f ON f.compound_id = c.id
ORDER BY g.code, c.name, c.id;
