export const HELP = `roster: embeddable multi-tenant user accounts

Usage:
  roster serve [--db PATH | --postgres URL] [--port N] [--host H] [--secret-key-file FILE] [--durability full|normal]
               [--console] [--quiet] [limits]
      Serve the HTTP APIs over an SQLite file (default ./roster.db, created and migrated
      on first start; --db :memory: for a throwaway store), or over the PostgreSQL database
      at URL (postgres://user:pass@host:5432/db, migrated on start; any number of servers
      may share it; the secret key must then be given). Port 3000 and host 127.0.0.1
      by default; --port 0 picks a free port. Prints "roster listening on http://HOST:PORT",
      then one JSON line per request (time, request id, method, route, status, duration,
      tenant; never a key or a body) unless --quiet. GET /healthz answers without a key.
      ROSTER_BOOTSTRAP_KEY (32+ characters) sets the bootstrap key; without it a key is
      generated on a database that has none and printed once to stderr.
      SIGINT/SIGTERM: stop accepting, finish requests in flight, close the database, exit 0.
      --durability full (default) answers a write once it is synced to disk; normal once it
      is committed (a killed process loses nothing, a power cut may lose the last writes).
      Limits: --headers-timeout S (10), --request-timeout S (30), --keep-alive-timeout S (5),
      --max-connections N (1024).
      --console also serves the admin console at /console/ (sign in there with an admin key).

  roster keys create --entity NAME [--db PATH] [--name KEY_NAME] [--permissions a,b]
      Create a tenant named NAME and its first admin key, and print the key (shown once).

  roster keys create --tenant TENANT_ID [--db PATH] [--name KEY_NAME] [--permissions a,b]
      Recovery: a new admin key (all permissions unless narrowed, named "Recovery key")
      for an existing tenant that lost its keys, printed once.

  roster keys list [--tenant ID] [--db PATH]
      List the admin keys of one tenant, or of every tenant, as tab-separated columns
      with a header line (tenant, key id, prefix, name, permissions, created, revoked).
      Secrets are never shown: only their prefix.

  roster tenants transfer-ownership --tenant TENANT_ID --user USER_ID [--db PATH]
      Make USER_ID the tenant's owner; the old owner becomes an ordinary user. Admin keys
      cannot do this: only the host can.

  roster secrets rotate [--db PATH] [--secret-key-file FILE] [--new-secret-key-file NEW]
      Re-seal every MFA secret under a new random key. The new key replaces the key file
      (FILE, or <db>.key beside the database); with ROSTER_SECRET_KEY, or with
      --new-secret-key-file, it is written to NEW and the old key is left alone. Stop servers
      using the database first. Interrupted, run it again: it finishes the same rotation.

  roster migrate-store --from PATH --to URL
      Copy the whole SQLite store at PATH into the empty PostgreSQL database at URL (one
      transaction, in batches, a progress line per table on stderr), then check every table:
      row count and SHA-256 on both sides. Refuses a target that holds any row. Stop the
      servers using PATH first.

  keys, tenants and serve take --postgres URL (or ROSTER_DATABASE_URL) in place of --db.

  Every command that opens a database takes its secret key (which seals MFA secrets) from
  --secret-key-file FILE or ROSTER_SECRET_KEY (32+ characters); with neither it uses
  <db>.key beside the database, created (mode 0600) the first time and announced once.

  roster --version
  roster --help

Environment (a flag given on the command line wins):
  ROSTER_DB     default for --db
  ROSTER_DATABASE_URL  default for --postgres (a postgres:// URL)
  ROSTER_PORT   default for --port
  ROSTER_HOST   default for --host
`
