-- Name of a scope: the branch @branch or the district @district (NULL when it does not exist).
SELECT coalesce((SELECT b.name FROM branch b WHERE b.id = @branch::int), (SELECT d.name FROM district d WHERE d.code = @district::text));
