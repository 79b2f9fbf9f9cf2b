-- Compounds drawn on a report map: those of the area (same kinds as report_area.sql), plus, for bbox, every compound
-- meeting the box. Footprints simplified to @tolerance degrees (about half a printed point) to keep PDFs small.
SELECT c.name, c.retrofit_status, c.households, c.dispute, ST_SimplifyPreserveTopology(c.footprint, @tolerance) AS geom
FROM compound c
JOIN district d ON d.code = c.district_code
WHERE CASE @kind
        WHEN 'city' THEN true
        WHEN 'district' THEN c.district_code = @code
        WHEN 'street' THEN c.street_code = @code
        WHEN 'cell' THEN c.cell_code = @code
        WHEN 'branch' THEN EXISTS (SELECT 1 FROM branch b WHERE b.id = d.branch_id AND (b.name = @code OR b.id::text = @code))
        WHEN 'bbox' THEN c.footprint && ST_MakeEnvelope(@bbox_minx, @bbox_miny, @bbox_maxx, @bbox_maxy, 4326)
        ELSE false
      END
ORDER BY c.id;
