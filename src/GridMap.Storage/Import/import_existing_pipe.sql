-- The stored values of the columns an import writes, for the pipes a file names (@ids).
SELECT id, level, flow, dn, material, install_year, depth_m, status, geom
FROM pipe WHERE id = ANY(@ids)
