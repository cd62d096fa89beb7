#!/usr/bin/env bash
# jtune's decoder against eager PyTorch on the same ~58M-parameter Llama, in one run, same threads.
#   bench/model_throughput.sh [THREADS] [PYTHON]
# PYTHON defaults to /usr/bin/python3 (Debian's torch); a virtualenv with torch 2.x from the
# package mirror is closer to the libtorch 2.7.1 that DJL runs. Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
PY="${2:-/usr/bin/python3}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "python: $("$PY" -c 'import torch, sys; print(sys.version.split()[0], "torch", torch.__version__)')"
echo
echo "## jtune (DJL $(ls bench/target/lib | grep -o 'pytorch-jni-[0-9.-]*' | head -1), libtorch CPU)"
java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.ModelThroughput \
  --threads "$THREADS" --repeats 5 2>/dev/null | grep -v '^\[main\]'
echo
echo "## eager PyTorch"
OMP_WAIT_POLICY=PASSIVE "$PY" bench/pytorch_eager_llama.py --threads "$THREADS"
