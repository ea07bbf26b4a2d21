#!/usr/bin/env bash
# Runs a JShell demo against the built seq4j jar: demos/run.sh gru   (SEQ4J_SMOKE=1 for the smoke version);
# demos/run.sh all runs every demo in turn and stops at the first that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: demos/run.sh NAME (one of: $(ls demos/*.jsh | xargs -n1 basename | sed 's/.jsh//' | tr '\n' ' '))}"
jar=toolkit-bench/target/toolkit-bench.jar
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml toolkit-*/pom.xml toolkit-*/src/main -newer "$jar" -print -quit)" ]]; then
  mvn -q -B -DskipTests install >&2
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
if [[ "$name" == all ]]; then
  for demo in demos/*.jsh; do
    echo "=== $(basename "$demo" .jsh)"
    out="$(jshell -R-Xmx4g -R--add-modules=jdk.incubator.vector --class-path "$jar" "$demo" | tee /dev/stderr)"
    if ! grep -q "DEMO OK" <<<"$out" || grep -q "FAILED" <<<"$out"; then
      echo "demo $(basename "$demo" .jsh) failed" >&2
      exit 1
    fi
  done
  echo "all demos OK"
  exit 0
fi
[[ -f "demos/$name.jsh" ]] || { echo "no demo '$name'; one of: all $(ls demos/*.jsh | xargs -n1 basename | sed 's/.jsh//' | tr '\n' ' ')" >&2; exit 2; }
exec jshell -R-Xmx4g -R--add-modules=jdk.incubator.vector --class-path "$jar" "demos/$name.jsh"
