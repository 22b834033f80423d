#!/usr/bin/env bash
# Fetches (Maven), starts, waits for and stops the local Keycloak used by the stack and the tests.
# Usage: scripts/keycloak.sh ensure|start|stop|status|owned
set -euo pipefail

KC_VERSION="${KC_VERSION:-26.7.3}"
KC_PORT="${KC_PORT:-8180}"
KC_MGMT_PORT="${KC_MGMT_PORT:-9100}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${NCDD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nextcloud-delegation-dashboard}"
KC_HOME="$CACHE/keycloak-$KC_VERSION"
REALM_FILE="$ROOT/keycloak/realm-export.json"
LOG="$CACHE/keycloak.log"
PIDFILE="$CACHE/keycloak.pid"

die() { echo "keycloak: $*" >&2; exit 1; }

find_java() {
  # Keycloak 26 needs Java 21+; the distribution default here is 17, so prefer a newer JDK.
  if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    echo "$JAVA_HOME"; return
  fi
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/java" ] || continue
    if "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then echo "$d"; return; fi
  done
  die "no Java 21+ found. Install one (e.g. apt-get install -y openjdk-21-jdk-headless or a Temurin JDK) and set JAVA_HOME."
}

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$KC_MGMT_PORT/health/ready" 2>/dev/null; }

fetch() {
  [ -x "$KC_HOME/bin/kc.sh" ] && return
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Keycloak $KC_VERSION from Maven Central."
  mkdir -p "$CACHE"
  echo "keycloak: fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION (zip) with Maven…"
  mvn -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$CACHE/dl" \
    || die "Maven could not fetch keycloak-quarkus-dist $KC_VERSION."
  rm -rf "$KC_HOME.tmp" && mkdir -p "$KC_HOME.tmp"
  (cd "$KC_HOME.tmp" && unzip -q "$CACHE/dl/keycloak-quarkus-dist-$KC_VERSION.zip")
  mv "$KC_HOME.tmp/keycloak-$KC_VERSION" "$KC_HOME" && rm -rf "$KC_HOME.tmp"
}

start() {
  if ready; then echo "keycloak: already running on http://localhost:$KC_PORT"; return; fi
  fetch
  local java_home; java_home="$(find_java)"
  # Re-import the realm when its file changed; keep the dev database (grants, consents) otherwise.
  local sum; sum="$(sha256sum "$REALM_FILE" | cut -c1-16)"
  if [ "$(cat "$KC_HOME/data/realm.sum" 2>/dev/null)" != "$sum" ] || [ "${KC_FRESH:-0}" = 1 ]; then
    rm -rf "$KC_HOME/data/h2"
  fi
  mkdir -p "$KC_HOME/data/import" && cp "$REALM_FILE" "$KC_HOME/data/import/nextcloud-mcp-realm.json"
  echo "$sum" > "$KC_HOME/data/realm.sum"
  echo "keycloak: starting $KC_VERSION on http://localhost:$KC_PORT (Java: $java_home, log: $LOG)"
  # Keycloak outlives whoever starts it. A caller running under `flock /tmp/ncdd-shared.lock …` (the outage test
  # restarts Keycloak that way) holds the lock on an inherited descriptor: Keycloak must not inherit it, or the
  # shared lock stays held for as long as Keycloak runs and every other session waits forever.
  (
    for fd in $(ls /proc/$BASHPID/fd 2>/dev/null); do
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    JAVA_HOME="$java_home" KC_BOOTSTRAP_ADMIN_USERNAME="${KC_ADMIN_USER:-kcadmin}" \
      KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-kcadmin-local-only}" \
      setsid nohup "$KC_HOME/bin/kc.sh" start-dev --import-realm --http-port="$KC_PORT" \
        --http-management-port="$KC_MGMT_PORT" --health-enabled=true --hostname-strict=false \
        --features=token-exchange-standard >"$LOG" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
  )
  for _ in $(seq 1 180); do
    if ready; then echo "keycloak: ready"; return; fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then tail -n 40 "$LOG" >&2; die "Keycloak exited during start-up (log: $LOG)"; fi
    sleep 1
  done
  tail -n 40 "$LOG" >&2; die "Keycloak was not ready after 180 s (log: $LOG)"
}

stop() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    local pid; pid="$(cat "$PIDFILE")"
    kill -- -"$pid" 2>/dev/null || kill "$pid"
    # Health turns DOWN before Quarkus stops serving: wait for the process group itself to end.
    for _ in $(seq 1 60); do pgrep -g "$pid" >/dev/null || break; sleep 0.5; done
    pgrep -g "$pid" >/dev/null && kill -9 -- -"$pid" 2>/dev/null
    for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$KC_PORT/" 2>/dev/null || break; sleep 0.5; done
    echo "keycloak: stopped"
  else
    echo "keycloak: not started by this script"
  fi
  rm -f "$PIDFILE"
}

case "${1:-start}" in
  ensure|fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  owned) [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null ;;
  status) ready && echo "keycloak: ready on http://localhost:$KC_PORT" || { echo "keycloak: not running"; exit 1; } ;;
  *) die "usage: $0 ensure|start|stop|status" ;;
esac
