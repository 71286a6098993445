# Apache Kafka (KRaft, single node) from Maven Central jars.
# shellcheck shell=bash

KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"

provision_kafka() {
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  require_java17
  require_command mvn "install Maven (apt-get install maven); it fetches Kafka from Maven Central"
  say "provisioning Kafka $KAFKA_VERSION from Maven Central into $KAFKA_HOME"
  rm -rf "$KAFKA_HOME" && mkdir -p "$KAFKA_HOME"
  render "$INFRA_DIR/kafka/pom.xml.tmpl" "$KAFKA_HOME/pom.xml" \
    KAFKA_VERSION="$KAFKA_VERSION" KAFKA_SCALA_VERSION="$KAFKA_SCALA_VERSION" \
    SLF4J_RELOAD4J_VERSION="$SLF4J_RELOAD4J_VERSION" RELOAD4J_VERSION="$RELOAD4J_VERSION"
  (cd "$KAFKA_HOME" && mvn -B -q -f pom.xml \
    "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/lib") > "$KAFKA_HOME/provision.log" 2>&1 \
    || die "could not fetch Kafka $KAFKA_VERSION from Maven Central; see $KAFKA_HOME/provision.log"
  touch "$KAFKA_HOME/.complete"
}

kafka_java_args() {
  KAFKA_JAVA=(java -Xms256m -Xmx512m -XX:+UseG1GC -cp "$KAFKA_HOME/lib/*"
    -Dlog4j.configuration="file:$STATE_DIR/kafka/log4j.properties" -Dkafka.logs.dir="$LOG_DIR")
}
kafka_java() { kafka_java_args; "${KAFKA_JAVA[@]}" "$@"; }

kafka_ready() { port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$LOG_DIR/kafka.log" 2>/dev/null; }

start_kafka() {
  local pid
  if pid=$(running_pid kafka); then say "Kafka already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  provision_kafka
  require_java17
  ensure_port_free "$KAFKA_PORT" Kafka KAFKA_PORT
  ensure_port_free "$KAFKA_CONTROLLER_PORT" "the Kafka controller" KAFKA_CONTROLLER_PORT
  mkdir -p "$STATE_DIR/kafka" "$DATA_DIR/kafka" "$LOG_DIR"
  render "$INFRA_DIR/kafka/server.properties.tmpl" "$STATE_DIR/kafka/server.properties" \
    KAFKA_PORT="$KAFKA_PORT" KAFKA_CONTROLLER_PORT="$KAFKA_CONTROLLER_PORT" DATA_DIR="$DATA_DIR/kafka"
  render "$INFRA_DIR/kafka/log4j.properties.tmpl" "$STATE_DIR/kafka/log4j.properties" LOG_FILE="$LOG_DIR/kafka.log"
  if [ ! -f "$DATA_DIR/kafka/meta.properties" ]; then
    local cluster_id
    cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null) || die "Kafka storage tool failed (is Java 17 working?)"
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE_DIR/kafka/server.properties" \
      --ignore-formatted > "$LOG_DIR/kafka-format.log" 2>&1 || die "formatting Kafka storage failed; see $LOG_DIR/kafka-format.log"
  fi
  : > "$LOG_DIR/kafka.log"
  kafka_java_args
  spawn kafka "$LOG_DIR/kafka-stdout.log" "${KAFKA_JAVA[@]}" kafka.Kafka "$STATE_DIR/kafka/server.properties"
  wait_until 90 "Kafka" "$LOG_DIR/kafka.log" kafka kafka_ready
  say "Kafka $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT (pid $(running_pid kafka))"
}
