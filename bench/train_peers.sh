#!/usr/bin/env bash
# Training throughput of jtune next to transformers + PEFT and hand-written eager PyTorch, same
# model shapes (the ~58M benchmark Llama), batch, sequence length and threads, run alternately in
# ROUNDS rounds so that a slow spell of the machine hits every peer alike; then jtune's QLoRA.
#   bench/train_peers.sh PYTHON [ROUNDS] [BATCH] [SEQ]       defaults: 3 rounds, 4 x 256
# PYTHON is a virtualenv's python with torch, transformers and peft (from the pip mirror).
# Build first: mvn -q -o -DskipTests -pl bench -am package
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$1"; ROUNDS="${2:-3}"; BATCH="${3:-4}"; SEQ="${4:-256}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "python: $("$PY" -c 'import torch, transformers, peft; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)')"
jtune() {
  java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.TrainThroughput \
    --method "$1" --batch "$BATCH" --seq "$SEQ" --steps 4 --threads 2 2>/dev/null | grep -v '^\[main\]' | sed "s/^/jtune $1: /"
}
for round in $(seq 1 "$ROUNDS"); do
  for method in lora full; do
    echo "--- round $round, $method"
    jtune "$method"
    OMP_WAIT_POLICY=PASSIVE "$PY" bench/pytorch_train_llama.py --threads 2 --method "$method" --batch "$BATCH" \
      --seq "$SEQ" --steps 4 2>/dev/null | sed "s/^/hf $method: /"
    OMP_WAIT_POLICY=PASSIVE "$PY" bench/pytorch_eager_train.py --threads 2 --method "$method" --batch "$BATCH" \
      --seq "$SEQ" --steps 4 2>/dev/null | sed "s/^/eager $method: /"
  done
done
echo "--- qlora"
jtune qlora
