#!/usr/bin/env bash
# Shared set-up for scripts/run, scripts/test and scripts/bench. Safe to run any number of times.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export GRIDMAP_ROOT="$ROOT"
PG_PORT="${GRIDMAP_PG_PORT:-55432}"
PG_DATA="$ROOT/.pgdata/15"
PG_BIN=/usr/lib/postgresql/15/bin
PG_USER_OS=postgres
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[gridmap]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[gridmap] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages GridMap needs: PostGIS (+pgRouting), CJK fonts, Chromium for browser tests,
# METIS and networkx for the benchmark references; procps and iproute2 (pgrep, ss) for scripts/run.
ensure_packages() {
  local want=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting fonts-noto-cjk chromium metis python3-networkx procps iproute2)
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

# A project-local PostgreSQL cluster under .pgdata/, bound to 127.0.0.1:$PG_PORT, owned by the postgres OS user
# (initdb refuses to run as root). Debian's own cluster is left alone.
db_start() {
  if [ -n "${GRIDMAP_DB:-}" ]; then log "using existing database from GRIDMAP_DB"; return; fi
  mkdir -p "$ROOT/.pgdata"
  if [ "$(id -u)" = 0 ]; then chown "$PG_USER_OS" "$ROOT/.pgdata"; chmod 700 "$ROOT/.pgdata"; fi
  local run=(runuser -u "$PG_USER_OS" --)
  [ "$(id -u)" = 0 ] || run=()
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $PG_DATA"
    "${run[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$PG_DATA/postgresql.conf" <<CONF
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
  if ! "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/server.log" -w start >/dev/null \
      || die "PostgreSQL did not start; see $PG_DATA/server.log"
  fi
  local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='gridmap'" | grep -q 1 \
    || "${psql[@]}" -d postgres -c "CREATE ROLE gridmap LOGIN SUPERUSER PASSWORD 'gridmap'"
  "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='gridmap'" | grep -q 1 \
    || "${psql[@]}" -d postgres -c "CREATE DATABASE gridmap OWNER gridmap"
  export GRIDMAP_DB="Host=127.0.0.1;Port=$PG_PORT;Username=gridmap;Password=gridmap;Database=gridmap"
}

db_stop() {
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    local run=(runuser -u "$PG_USER_OS" --)
    [ "$(id -u)" = 0 ] || run=()
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 && log "PostgreSQL stopped" || log "PostgreSQL was not running"
  fi
}

web_build() {
  local web="$ROOT/src/GridMap.Web"
  [ -f "$web/package.json" ] || { log "no web client yet (src/GridMap.Web/package.json missing)"; return; }
  if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    log "installing npm packages"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  local built="$ROOT/src/GridMap.Api/wwwroot/index.html"
  # Rebuild only when a source, the palette or the lockfile is newer than the last build (keeps a second run fast).
  if [ -f "$built" ] && [ -z "$(find "$web/src" "$web/index.html" "$web/package-lock.json" "$web"/*.ts "$ROOT/tiles/styles.json" -newer "$built" 2>/dev/null | head -n 1)" ]; then
    log "web client is up to date"
    return
  fi
  log "building the web client"
  (cd "$web" && npm run --silent build >/dev/null) || die "web client build failed (cd src/GridMap.Web && npm run build)"
}

gridmap_cli() { dotnet "$ROOT/src/GridMap.Cli/bin/Release/net10.0/gridmap.dll" "$@"; }
