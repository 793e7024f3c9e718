import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upOnPostgres(db)
  await db.transaction().execute(async (trx) => {
    // How many users each tenant has in each status, so an unfiltered or status-filtered list knows its
    // total without counting rows. Triggers keep it in the same transaction as every write to users,
    // whichever code path (or bulk loader) makes it.
    await sql`create table user_counts (
      tenant_id text not null,
      status text not null,
      users integer not null,
      primary key (tenant_id, status)
    ) without rowid`.execute(trx)
    await sql`create trigger user_counts_insert after insert on users begin
      insert into user_counts (tenant_id, status, users) values (new.tenant_id, new.status, 1)
        on conflict (tenant_id, status) do update set users = users + 1;
    end`.execute(trx)
    await sql`create trigger user_counts_delete after delete on users begin
      update user_counts set users = users - 1 where tenant_id = old.tenant_id and status = old.status;
    end`.execute(trx)
    await sql`create trigger user_counts_update after update of tenant_id, status on users
      when old.tenant_id is not new.tenant_id or old.status is not new.status begin
      update user_counts set users = users - 1 where tenant_id = old.tenant_id and status = old.status;
      insert into user_counts (tenant_id, status, users) values (new.tenant_id, new.status, 1)
        on conflict (tenant_id, status) do update set users = users + 1;
    end`.execute(trx)
    await sql`insert into user_counts (tenant_id, status, users)
      select tenant_id, status, count(*) from users group by tenant_id, status`.execute(trx)

    // Holders of each role and members of each group, for a counted `filter[role_name]` / `filter[ou_accounts]`
    // naming one of them, and for choosing whether a page starts from the members or from the tenant's index.
    // Cascading deletes (of a user, a role or a group) fire these triggers too.
    await sql`alter table roles add column holders integer not null default 0`.execute(trx)
    await sql`create trigger roles_holders_insert after insert on user_roles begin
      update roles set holders = holders + 1 where id = new.role_id;
    end`.execute(trx)
    await sql`create trigger roles_holders_delete after delete on user_roles begin
      update roles set holders = holders - 1 where id = old.role_id;
    end`.execute(trx)
    await sql`update roles set holders = (select count(*) from user_roles where user_roles.role_id = roles.id)`.execute(trx)

    await sql`alter table groups add column members integer not null default 0`.execute(trx)
    await sql`create trigger groups_members_insert after insert on group_memberships begin
      update groups set members = members + 1 where id = new.group_id;
    end`.execute(trx)
    await sql`create trigger groups_members_delete after delete on group_memberships begin
      update groups set members = members - 1 where id = old.group_id;
    end`.execute(trx)
    await sql`update groups set members = (select count(*) from group_memberships where group_memberships.group_id = groups.id)`.execute(trx)
  })
}

/** The same counters on PostgreSQL, whose triggers call functions. */
async function upOnPostgres(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`create table user_counts (
      tenant_id text collate "C" not null,
      status text collate "C" not null,
      users integer not null,
      primary key (tenant_id, status)
    )`.execute(trx)
    await sql`create function roster_user_counts() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update user_counts set users = users - 1 where tenant_id = old.tenant_id and status = old.status;
      end if;
      if tg_op in ('UPDATE', 'INSERT') then
        insert into user_counts (tenant_id, status, users) values (new.tenant_id, new.status, 1)
          on conflict (tenant_id, status) do update set users = user_counts.users + 1;
      end if;
      return null;
    end $$`.execute(trx)
    await sql`create trigger user_counts_insert after insert or delete on users
      for each row execute function roster_user_counts()`.execute(trx)
    await sql`create trigger user_counts_update after update of tenant_id, status on users
      for each row when (old.tenant_id is distinct from new.tenant_id or old.status is distinct from new.status)
      execute function roster_user_counts()`.execute(trx)
    await sql`insert into user_counts (tenant_id, status, users)
      select tenant_id, status, count(*) from users group by tenant_id, status`.execute(trx)

    for (const [table, column, members, key] of [['roles', 'holders', 'user_roles', 'role_id'], ['groups', 'members', 'group_memberships', 'group_id']] as const) {
      await sql`alter table ${sql.table(table)} add column ${sql.ref(column)} integer not null default 0`.execute(trx)
      await sql.raw(`create function roster_${table}_${column}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          update ${table} set ${column} = ${column} + 1 where id = new.${key};
        else
          update ${table} set ${column} = ${column} - 1 where id = old.${key};
        end if;
        return null;
      end $$`).execute(trx)
      await sql.raw(`create trigger ${table}_${column}_count after insert or delete on ${members}
        for each row execute function roster_${table}_${column}()`).execute(trx)
      await sql.raw(`update ${table} set ${column} = (select count(*) from ${members} where ${members}.${key} = ${table}.id)`).execute(trx)
    }
  })
}
