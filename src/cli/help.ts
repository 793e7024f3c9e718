export const HELP = `roster: embeddable multi-tenant user accounts

Usage:
  roster serve [--db PATH] [--port N] [--host H] [--durability full|normal]
      Serve the HTTP APIs over an SQLite file (default ./roster.db, created and migrated
      on first start; --db :memory: for a throwaway store). Port 3000 and host 127.0.0.1
      by default; --port 0 picks a free port. Prints "roster listening on http://HOST:PORT".
      ROSTER_BOOTSTRAP_KEY (32+ characters) sets the bootstrap key; without it a key is
      generated on a database that has none and printed once to stderr.
      SIGINT/SIGTERM: stop accepting, finish requests in flight, close the database, exit 0.
      --durability full (default) answers a write once it is synced to disk; normal once it
      is committed (a killed process loses nothing, a power cut may lose the last writes).

  roster keys create --entity NAME [--db PATH] [--name KEY_NAME] [--permissions a,b]
      Create a tenant named NAME and its first admin key, and print the key (shown once).

  roster --help
`
