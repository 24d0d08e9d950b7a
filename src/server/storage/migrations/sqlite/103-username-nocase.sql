-- Usernames are unique and matched regardless of ASCII case: phone keyboards capitalise the
-- first letter, and "Admin" next to "admin" would invite mistakes.
CREATE UNIQUE INDEX users_username_lower ON users(lower(username));
