SELECT (SELECT count(*) FROM branch), (SELECT count(*) FROM district), (SELECT count(*) FROM compound), (SELECT count(*) FROM station),
       (SELECT count(*) FROM pipe), (SELECT count(*) FROM valve), (SELECT count(*) FROM grid_cell), (SELECT count(*) FROM staff);
