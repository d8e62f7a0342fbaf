#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: Debian's `postgresql` binaries, a
# cluster in a fresh temporary directory, reached only through a Unix socket
# in that directory (no TCP port), trust authentication, fsync off. As root
# (CI) it runs initdb and the server as the `postgres` user (initdb refuses
# root); otherwise as the caller.
#
#   pg-throwaway.sh run CMD...   start one, run CMD with SEALMATCH_TEST_PG set to
#                                its connection string, stop and remove it (also
#                                when CMD fails or is interrupted); CMD's status
#   pg-throwaway.sh start        start one; prints its directory
#   pg-throwaway.sh url DIR      the connection string of the cluster in DIR
#   pg-throwaway.sh halt DIR     stop it as a crash would (pg_ctl stop -m immediate)
#   pg-throwaway.sh resume DIR   start it again after `halt`
#   pg-throwaway.sh stop DIR     stop it and remove DIR
#   pg-throwaway.sh bin          the directory of the binaries (fails when absent)
#
# PG_BIN overrides where the binaries are (default: the newest
# /usr/lib/postgresql/*/bin, else `pg_config --bindir`).
set -euo pipefail

bin_dir() {
  local d=${PG_BIN:-}
  if [ -z "$d" ]; then
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$d" ] && command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
  fi
  if [ -z "$d" ] || [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then
    echo "pg-throwaway: no PostgreSQL binaries (initdb, pg_ctl); install Debian's postgresql (scripts/setup.sh does)" >&2
    return 1
  fi
  echo "$d"
}

# The user the cluster runs as, when this runs as root.
pg_user() {
  if id -u postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

# Runs "$@" as the cluster's user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$(pg_user)" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin dir
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/sealmatch-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    chown "$(pg_user)" "$dir"
  fi
  if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    return 1
  fi
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
max_connections = 300
CONF
  if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    return 1
  fi
  echo "$dir"
}

url() {
  echo "postgres://postgres@localhost/postgres?host=$1"
}

halt() {
  as_pg "$(bin_dir)/pg_ctl" -D "$1/data" -w stop -m immediate >/dev/null
}

resume() {
  as_pg "$(bin_dir)/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start >/dev/null
}

stop() {
  [ -d "$1/data" ] && as_pg "$(bin_dir)/pg_ctl" -D "$1/data" -w stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$1"
}

cmd=${1:-}
shift || true
case "$cmd" in
  start) start ;;
  url) url "$1" ;;
  halt) halt "$1" ;;
  resume) resume "$1" ;;
  stop) stop "$1" ;;
  bin) bin_dir ;;
  run)
    dir=$(start)
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM
    SEALMATCH_TEST_PG=$(url "$dir") "$@"
    ;;
  *)
    sed -n '2,23p' "$0" >&2
    exit 2
    ;;
esac
