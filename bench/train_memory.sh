#!/usr/bin/env bash
# Training throughput and peak memory of jtune's trainer on the ~58M-parameter benchmark Llama,
# with and without gradient checkpointing, one JVM per configuration (peak RSS is per process).
#   bench/train_memory.sh [METHOD] [BATCH] [SEQ]      defaults: lora 4 256
# Build first: mvn -q -o -DskipTests -pl bench -am package
set -euo pipefail
cd "$(dirname "$0")/.."
METHOD="${1:-lora}"; BATCH="${2:-4}"; SEQ="${3:-256}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
for ck in "" "--checkpointing"; do
  java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.TrainThroughput \
    --method "$METHOD" --batch "$BATCH" --seq "$SEQ" --steps 4 $ck 2>/dev/null | grep -v '^\[main\]'
done
