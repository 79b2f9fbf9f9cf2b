-- Compounds of a plan area (same selection as planning_area.sql), in id order.
SELECT id, name, footprint, households, community_code::text, street_code::text, district_code::text
FROM compound
WHERE CASE @kind
        WHEN 'district' THEN district_code = @code
        WHEN 'street' THEN street_code = @code
        WHEN 'community' THEN community_code = @code
        ELSE ST_Intersects(ST_PointOnSurface(footprint), @polygon)
      END
ORDER BY id;
