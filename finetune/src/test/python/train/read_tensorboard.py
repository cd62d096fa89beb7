"""Reads a run's TensorBoard event files with TensorBoard's own reader and prints every scalar.

    /tmp/venv-peft/bin/pip install tensorboard     # from the package mirror, as for make_lora_golden.py
    /tmp/venv-peft/bin/python finetune/src/test/python/train/read_tensorboard.py RUN_DIR/runs

Exits 1 when the folder holds no scalars (a file TensorBoard could not read yields none).
"""

import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

acc = EventAccumulator(sys.argv[1])
acc.Reload()
tags = acc.Tags()["scalars"]
for tag in tags:
    events = acc.Scalars(tag)
    print(f"{tag}: {len(events)} values, steps {events[0].step}..{events[-1].step}, "
          f"first {events[0].value:.6g}, last {events[-1].value:.6g}")
sys.exit(0 if tags else 1)
