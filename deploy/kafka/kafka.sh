#!/usr/bin/env bash
# A single Apache Kafka broker in KRaft mode (combined broker + controller) on loopback, run from the
# broker's jars on Maven Central with the machine's Java. No Docker needed.
#
#   deploy/kafka/kafka.sh fetch                      copy the jars into the cache (once)
#   deploy/kafka/kafka.sh start DIR [PORT] [CPORT]   format DIR, start the broker, wait until it answers
#   deploy/kafka/kafka.sh stop DIR                   stop the broker started in DIR (SIGTERM, then SIGKILL)
#   deploy/kafka/kafka.sh kill DIR                   kill -9 (for fault tests)
#   deploy/kafka/kafka.sh restart DIR                start again on the same data and ports
#
# Cache: ${AFTERSALES_CACHE_DIR:-~/.cache/aftersales}/kafka-<version>/libs (outside git).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")}"
CACHE="${AFTERSALES_CACHE_DIR:-$HOME/.cache/aftersales}/kafka-$KAFKA_VERSION"
LIBS="$CACHE/libs"

fetch() {
  if [ -f "$CACHE/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { echo "kafka.sh: Maven (mvn) is needed to fetch the Kafka jars" >&2; exit 1; }
  command -v java >/dev/null || { echo "kafka.sh: Java 17+ is needed to run Kafka" >&2; exit 1; }
  echo "kafka.sh: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS" >&2
  rm -rf "$LIBS"
  mvn -q -B -f "$HERE/pom.xml" -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
    -DoutputDirectory="$LIBS" -DincludeScope=runtime >&2
  touch "$CACHE/.complete"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

java_run() {
  local dir="$1"; shift
  java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$dir" -Dlog4j2.configurationFile="$HERE/log4j2.properties" \
    -cp "$LIBS/*" "$@"
}

write_config() {
  local dir="$1" port="$2" cport="$3"
  mkdir -p "$dir/data"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.flush.interval.messages=1000000
PROPS
  echo "$port" > "$dir/port"
}

wait_ready() {
  local dir="$1" port
  port="$(cat "$dir/port")"
  for _ in $(seq 1 240); do
    if ! kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
      echo "kafka.sh: the broker exited; last log lines:" >&2; tail -n 30 "$dir/broker.log" "$dir/stdout.log" >&2 || true; exit 1
    fi
    if grep -q "Kafka Server started\|Transition from STARTING to STARTED" "$dir/broker.log" 2>/dev/null \
      && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "127.0.0.1:$port"
      return 0
    fi
    sleep 0.25
  done
  echo "kafka.sh: the broker did not start within 60 s" >&2; exit 1
}

launch() {
  local dir="$1"
  : > "$dir/broker.log"
  nohup bash -c "$(declare -f java_run); HERE='$HERE' LIBS='$LIBS' java_run '$dir' kafka.Kafka '$dir/server.properties'" \
    > "$dir/stdout.log" 2>&1 &
  echo $! > "$dir/kafka.pid"
  wait_ready "$dir"
}

start() {
  local dir="${1:?usage: kafka.sh start DIR [PORT] [CONTROLLER_PORT]}"
  local port="${2:-$(free_port)}" cport="${3:-$(free_port)}"
  fetch
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  write_config "$dir" "$port" "$cport"
  java_run "$dir" kafka.tools.StorageTool format --standalone \
    -t "$(java_run "$dir" kafka.tools.StorageTool random-uuid)" -c "$dir/server.properties" > "$dir/format.log" 2>&1 \
    || { cat "$dir/format.log" >&2; exit 1; }
  launch "$dir"
}

stop() {
  local dir="${1:?usage: kafka.sh stop DIR}" pid
  [ -f "$dir/kafka.pid" ] || return 0
  pid="$(cat "$dir/kafka.pid")"
  pkill -TERM -P "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$dir/kafka.pid"; return 0; }; sleep 0.25; done
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/kafka.pid"
}

hard_kill() {
  local dir="${1:?usage: kafka.sh kill DIR}" pid
  pid="$(cat "$dir/kafka.pid")"
  pkill -KILL -P "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/kafka.pid"
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  kill) shift; hard_kill "$@" ;;
  restart) shift; launch "$(cd "${1:?usage: kafka.sh restart DIR}" && pwd)" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
