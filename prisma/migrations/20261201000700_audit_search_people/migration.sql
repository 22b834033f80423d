-- Hand-written: the audit search resolves people by name through the User table instead of scanning event
-- text for them (lib/services/audit/find-people-named.ts, resolve-person-filter.ts): case-insensitive
-- username and display-name lookups on expression indexes. Indexes only: the app role's rights on "User"
-- are unchanged (scripts/lib/database-role-sql.ts), and nothing here touches the audit trail.
CREATE INDEX "User_lower_username_idx" ON "User" (lower("username"));
CREATE INDEX "User_lower_name_idx" ON "User" (lower("name"));
