#!/usr/bin/env bash
# Shared set-up for scripts/run, test, bench, gridmap and screenshots (the one place for it). Safe to run any number of times.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export GRIDMAP_ROOT="$ROOT"
PG_PORT="${GRIDMAP_PG_PORT:-55432}"
PG_BIN=/usr/lib/postgresql/15/bin
PG_USER_OS=postgres
CLI_DLL="$ROOT/src/GridMap.Cli/bin/Release/net10.0/gridmap.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[gridmap]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[gridmap] error:\033[0m %s\n' "$*" >&2; exit 1; }

# --help: the calling script's opening comment block (everything after the #! line up to the first line of code).
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages GridMap needs: PostGIS (+pgRouting), CJK fonts, Chromium for browser tests,
# METIS and networkx for the benchmark references; procps and iproute2 (pgrep, ss) for scripts/run; GDAL (ogrinfo)
# to check what GridMap serves and exports with a client nobody here wrote; poppler and zbar for PDF text and QR checks.
ensure_packages() {
  local want=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting fonts-noto-cjk chromium metis python3-networkx procps iproute2 gdal-bin poppler-utils zbar-tools)
  local missing=()
  for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not on PATH)"
  command -v npm >/dev/null || die "Node.js 20 + npm are required (npm not on PATH)"
}

# Commands of the cluster run as its owner: the postgres OS user when we are root (initdb refuses root), else
# ourselves. From / so that a postgres program never complains it cannot enter the caller's directory.
pg_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$PG_USER_OS" -- "$@"); else (cd / && "$@"); fi
}

# Where the cluster of this repository lives. In the repository (.pgdata/15, git-ignored) when its owner can
# reach it; when it cannot — a clone in a 0700 home such as /root, run as root — under
# /var/lib/gridmap/<hash of the repository path>/15, with the repository path written beside it.
PG_DATA_LOCAL="$ROOT/.pgdata/15"
PG_DATA_HOME="/var/lib/gridmap/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
PG_DATA_ELSEWHERE="$PG_DATA_HOME/15"
pg_data_dir() {
  if [ -f "$PG_DATA_ELSEWHERE/PG_VERSION" ]; then echo "$PG_DATA_ELSEWHERE"
  elif [ "$(id -u)" != 0 ] || pg_owner test -x "$ROOT"; then echo "$PG_DATA_LOCAL"
  else echo "$PG_DATA_ELSEWHERE"; fi
}
PG_DATA="$(pg_data_dir)"

# A project-local PostgreSQL cluster in $PG_DATA, bound to 127.0.0.1:$PG_PORT, owned by the postgres OS user.
# Debian's own cluster is left alone.
db_start() {
  if [ -n "${GRIDMAP_DB:-}" ]; then
    log "using existing database from GRIDMAP_DB${GRIDMAP_OWNER_DB:+ (migrations as GRIDMAP_OWNER_DB)}"
    return
  fi
  local parent; parent="$(dirname "$PG_DATA")"
  if [ "$PG_DATA" = "$PG_DATA_ELSEWHERE" ] && [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "the postgres user cannot enter $ROOT, so this repository's cluster lives in $PG_DATA"
  fi
  mkdir -p "$parent"
  if [ "$PG_DATA" = "$PG_DATA_ELSEWHERE" ]; then chmod 755 "$(dirname "$parent")"; printf '%s\n' "$ROOT" > "$parent/repository"; fi
  if [ "$(id -u)" = 0 ]; then chown "$PG_USER_OS" "$parent"; chmod 700 "$parent"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $PG_DATA"
    pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    pg_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
jit = off
CONF
  fi
  if ! pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    if ss -ltn "sport = :$PG_PORT" 2>/dev/null | grep -q LISTEN; then
      die "port $PG_PORT is taken (another clone's cluster?): choose another with GRIDMAP_PG_PORT=…, or set GRIDMAP_DB"
    fi
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT (data: $PG_DATA)"
    pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/server.log" -w start >/dev/null \
      || die "PostgreSQL did not start; see $PG_DATA/server.log"
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='gridmap'" | grep -q 1 \
    || "${psql[@]}" -d postgres -c "CREATE ROLE gridmap LOGIN SUPERUSER PASSWORD 'gridmap'"
  "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='gridmap'" | grep -q 1 \
    || "${psql[@]}" -d postgres -c "CREATE DATABASE gridmap OWNER gridmap"
  # Least privilege: `gridmap` owns the schema and runs migrations (GRIDMAP_OWNER_DB); the app connects as
  # gridmap_web, a login member of the NOLOGIN group gridmap_app that migration 0014 grants the data to (GRIDMAP_DB).
  # Its password is generated once into a git-ignored file and set again on every start (a lost file heals).
  local pwfile="$ROOT/.run/db-app-password"
  mkdir -p "$ROOT/.run"
  if [ ! -s "$pwfile" ]; then
    (umask 077; python3 -c 'import secrets; print(secrets.token_hex(16))' > "$pwfile")
  fi
  local apppw; apppw="$(cat "$pwfile")"
  "${psql[@]}" -d postgres -v pw="$apppw" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT 'CREATE ROLE gridmap_app NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridmap_app') \gexec
SELECT 'CREATE ROLE gridmap_web LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridmap_web') \gexec
ALTER ROLE gridmap_web LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'pw';
GRANT gridmap_app TO gridmap_web;
SQL
  export GRIDMAP_OWNER_DB="Host=127.0.0.1;Port=$PG_PORT;Username=gridmap;Password=gridmap;Database=gridmap"
  export GRIDMAP_DB="Host=127.0.0.1;Port=$PG_PORT;Username=gridmap_web;Password=$apppw;Database=gridmap"
}

# Stops this repository's cluster wherever it lives (both places are looked at, so a clone whose permissions
# changed since its cluster was made is still stopped).
db_stop() {
  local d found=0
  for d in "$PG_DATA_LOCAL" "$PG_DATA_ELSEWHERE"; do
    [ -f "$d/PG_VERSION" ] || continue
    found=1
    if pg_owner "$PG_BIN/pg_ctl" -D "$d" -m fast stop >/dev/null 2>&1; then log "PostgreSQL stopped ($d)"
    else log "PostgreSQL was not running ($d)"; fi
  done
  [ "$found" = 1 ] || log "no local PostgreSQL cluster for this repository"
}

web_build() {
  local web="$ROOT/src/GridMap.Web"
  [ -f "$web/package.json" ] || { log "no web client yet (src/GridMap.Web/package.json missing)"; return; }
  # Install when the lockfile's content differs from the one last installed (a merge or checkout can leave an older
  # mtime on a changed lockfile, so times alone are not enough).
  local lock_sum; lock_sum="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
  if [ ! -d "$web/node_modules" ] || [ "$(cat "$web/node_modules/.gridmap-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
    log "installing npm packages"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_sum" > "$web/node_modules/.gridmap-lock.sha256"
  fi
  local built="$ROOT/src/GridMap.Api/wwwroot/index.html"
  # Rebuild only when a source, the palette or the lockfile is newer than the last build (keeps a second run fast).
  if [ -f "$built" ] && [ -z "$(find "$web/src" "$web/index.html" "$web/package-lock.json" "$web"/*.ts "$ROOT/tiles/styles.json" "$web/scripts" "$ROOT/src/GridMap.Api/obj/openapi/openapi.json" -newer "$built" 2>/dev/null | head -n 1)" ]; then
    log "web client is up to date"
    return
  fi
  log "building the web client"
  mkdir -p "$ROOT/.run"
  if ! (cd "$web" && npm run --silent build > "$ROOT/.run/web-build.log" 2>&1); then
    grep -E "error|gen-api" "$ROOT/.run/web-build.log" | head -20 >&2
    die "web client build failed (full log: .run/web-build.log; the types come from the server's OpenAPI document, so a changed C# response record shows up here)"
  fi
}

# Builds the CLI (which also serves the API) in Release unless no source is newer than the last build: then MSBuild
# is skipped entirely and a second scripts/run or scripts/gridmap starts in seconds.
cli_build() {  # cli_build [--quiet]: --quiet says nothing when the build is up to date
  local stamp="$ROOT/.run/build.stamp"
  mkdir -p "$ROOT/.run"
  if [ -f "$stamp" ] && [ -f "$CLI_DLL" ] \
     && [ -z "$(find "$ROOT/src" "$ROOT/tiles" "$ROOT"/Directory.*.props "$ROOT/global.json" \( -name bin -o -name obj -o -name node_modules -o -name wwwroot -o -name GridMap.Web \) -prune -o -type f -newer "$stamp" -print 2>/dev/null | head -n 1)" ]; then
    [ "${1:-}" = --quiet ] || log "build is up to date"
    return
  fi
  log "building GridMap (Release)"
  touch "$stamp.next"  # taken before the build, so a file saved while it runs still counts as newer next time
  if ! dotnet build "$ROOT/src/GridMap.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly > "$ROOT/.run/build.log" 2>&1; then
    grep -E "error" "$ROOT/.run/build.log" | sort -u | head -20 >&2
    die "build failed (full log: $ROOT/.run/build.log)"
  fi
  mv "$stamp.next" "$stamp"
}

gridmap_cli() { dotnet "$CLI_DLL" "$@"; }
