# FerretDB v1 (SQLite backend), embedded in a small Go program built from the Go module proxy.
# shellcheck shell=bash

FERRETDB_HOME="$CACHE_DIR/ferretdb-$FERRETDB_VERSION-$(sha256sum "$INFRA_DIR/ferretdb/main.go" "$INFRA_DIR/ferretdb/go.sum" | sha256sum | cut -c1-12)"
FERRETDB_BIN="$FERRETDB_HOME/ferretdb-local"

provision_ferretdb() {
  [ -x "$FERRETDB_BIN" ] && return 0
  require_command go "install Go 1.24+ (it builds FerretDB from the Go module proxy)"
  say "building FerretDB $FERRETDB_VERSION (first time only, about a minute)"
  mkdir -p "$FERRETDB_HOME"
  (cd "$INFRA_DIR/ferretdb" && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN.tmp" .) > "$FERRETDB_HOME/build.log" 2>&1 \
    || die "building FerretDB failed; see $FERRETDB_HOME/build.log"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
}

start_ferretdb() {
  local pid
  if pid=$(running_pid ferretdb); then say "FerretDB already running (pid $pid) on 127.0.0.1:$FERRETDB_PORT"; return 0; fi
  provision_ferretdb
  ensure_port_free "$FERRETDB_PORT" FerretDB FERRETDB_PORT
  mkdir -p "$DATA_DIR/ferretdb" "$LOG_DIR"
  spawn ferretdb "$LOG_DIR/ferretdb.log" "$FERRETDB_BIN" --listen "127.0.0.1:$FERRETDB_PORT" --data-dir "$DATA_DIR/ferretdb"
  wait_until 30 "FerretDB" "$LOG_DIR/ferretdb.log" ferretdb port_open "$FERRETDB_PORT"
  say "FerretDB $FERRETDB_VERSION ready on 127.0.0.1:$FERRETDB_PORT (pid $(running_pid ferretdb))"
}
