#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the history store's tests.
#
#   url=$(bash .ci/postgres.sh start)   # prints the database URL (only that) on stdout
#   bash .ci/postgres.sh stop           # stops the server and deletes its data
#
# Installs Debian's postgresql when it is missing (as root), then runs its own cluster in
# a temporary folder (not the system's cluster): listening on 127.0.0.1 only, on a free
# port, password authentication, one database and one role for the tests. Progress goes
# to stderr; a non-zero exit means no server (the PostgreSQL tests then skip).
set -euo pipefail

DIR="${FASHIONAI_CI_PG_DIR:-${TMPDIR:-/tmp}/fashionai-ci-postgres}"
DB=fashionai_test
ROLE=fashionai
say() { echo "postgres.sh: $*" >&2; }

bindir() {
  local version
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/initdb" ] && echo "/usr/lib/postgresql/$version/bin"
}

# Run a PostgreSQL program as the owner of the data folder (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if ! bindir >/dev/null; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)."
      exit 1
    fi
    say "installing Debian's postgresql ..."
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local bin port password
  bin=$(bindir)
  stop_quietly
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  chmod 700 "$DIR"
  printf '%s\n' "$password" > "$DIR/.pw"  # the superuser gets the same throwaway password
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR/.pw"
  say "starting PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$port ..."
  as_owner "$bin/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$DIR/.pw" -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$DIR/.pw"
  # Loopback only, and the socket in the data folder: nothing outside this machine can connect.
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR/data -c fsync=off" start >/dev/null
  as_owner "$bin/psql" -h "$DIR/data" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE $ROLE LOGIN PASSWORD '$password';
CREATE DATABASE $DB OWNER $ROLE;
SQL
  echo "$port" > "$DIR/port"
  echo "postgresql+psycopg://$ROLE:$password@127.0.0.1:$port/$DB"
}

stop_quietly() {
  local bin
  bin=$(bindir) || return 0
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; say "stopped." ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
