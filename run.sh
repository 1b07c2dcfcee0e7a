#!/usr/bin/env bash
# gongkai's one entry point for a fresh machine (Debian/Ubuntu with python3; root or sudo for the test services).
#
#   ./run.sh demo     set up the venv if needed, then `gongkai demo` (SQLite, bundled demo, no network)
#   ./run.sh test     set up the venv, Debian packages (chromium, PostgreSQL, Redis ...) and services, then run
#                     the whole test suite: lint, every test on SQLite, the database tests again on PostgreSQL
#   ./run.sh setup    only set up the venv
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

log() { printf '\033[1;34m[gongkai]\033[0m %s\n' "$*"; }

ensure_venv() {
  local stamp="$VENV/.installed" want
  want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  log "安装 Python 依赖（锁定版本，见 requirements.lock）/ installing pinned Python packages"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q -r requirements.lock
  "$VENV/bin/python" -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

DEBIAN_PACKAGES="chromium fonts-noto-cjk postgresql redis-server antiword"
ensure_debian_packages() {
  local missing=""
  for p in $DEBIAN_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return
  log "安装 Debian 软件包 / installing Debian packages:$missing"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $missing >/dev/null
}

STARTED_PG=""
STARTED_REDIS=""
REDIS_PORT=${GONGKAI_TEST_REDIS_PORT:-6390}
PG_URL="postgres://gongkai:gongkai@127.0.0.1:5432/gongkai"

start_postgres() {
  local version
  version=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1}')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    as_root pg_ctlcluster "$version" main start
    STARTED_PG="$version"
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='gongkai'\"" | grep -q 1 ||
    as_root su postgres -c "psql -qc \"CREATE ROLE gongkai LOGIN PASSWORD 'gongkai' CREATEDB\""
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='gongkai'\"" | grep -q 1 ||
    as_root su postgres -c "createdb -O gongkai gongkai"
}

start_redis() {
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --pidfile "/tmp/gongkai-redis-$REDIS_PORT.pid" >/dev/null
    STARTED_REDIS=1
    for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}

stop_services() {
  [ -n "$STARTED_REDIS" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  [ -n "$STARTED_PG" ] && as_root pg_ctlcluster "$STARTED_PG" main stop >/dev/null 2>&1 || true
}

run_tests() {
  ensure_venv
  ensure_debian_packages
  start_postgres
  start_redis
  trap stop_services EXIT
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  export GONGKAI_DATA_DIR="${TMPDIR:-/tmp}/gongkai-test-data"
  log "代码检查 / lint (ruff)"
  "$VENV/bin/ruff" check src tests bench
  log "全部测试（SQLite）/ all tests on SQLite"
  "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
  log "数据库相关测试（PostgreSQL）/ database tests again on PostgreSQL"
  DATABASE_URL="$PG_URL" "$VENV/bin/python" -m pytest -p no:cacheprovider -m postgres "$@"
}

case "${1:-}" in
  demo) shift; ensure_venv; exec "$VENV/bin/gongkai" demo "$@" ;;
  test) shift; run_tests "$@" ;;
  setup) ensure_venv ;;
  *) echo "用法 / usage: ./run.sh demo | test | setup"; exit 2 ;;
esac
