# Schemathesis: the schema-driven API fuzzer of tests/integration/api-fuzz.test.ts, from PyPI
# into a venv of its own (like the Temporal wheels).
# shellcheck shell=bash

SCHEMATHESIS_HOME="$CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
SCHEMATHESIS_BIN="$SCHEMATHESIS_HOME/venv/bin/st"

provision_schemathesis() {
  [ -f "$SCHEMATHESIS_HOME/.complete" ] && return 0
  require_command python3 "install Python 3 (apt-get install python3 python3-venv)"
  say "provisioning schemathesis $SCHEMATHESIS_VERSION from PyPI"
  rm -rf "$SCHEMATHESIS_HOME" && mkdir -p "$SCHEMATHESIS_HOME"
  python3 -m venv "$SCHEMATHESIS_HOME/venv" > "$SCHEMATHESIS_HOME/provision.log" 2>&1 \
    || die "python3 -m venv failed (apt-get install python3-venv); see $SCHEMATHESIS_HOME/provision.log"
  "$SCHEMATHESIS_HOME/venv/bin/pip" install --disable-pip-version-check -q "schemathesis==$SCHEMATHESIS_VERSION" \
    >> "$SCHEMATHESIS_HOME/provision.log" 2>&1 \
    || die "could not install schemathesis from PyPI; see $SCHEMATHESIS_HOME/provision.log"
  [ -x "$SCHEMATHESIS_BIN" ] || die "schemathesis installed no \`st\` command; see $SCHEMATHESIS_HOME/provision.log"
  touch "$SCHEMATHESIS_HOME/.complete"
}
