package io.jtune.finetune.train;

import java.nio.file.Path;

/**
 * What a run does besides optimizing: evaluation, early stopping, checkpoints and logs, under the
 * names of transformers' {@code TrainingArguments} and {@code EarlyStoppingCallback}.
 *
 * @param evalEvery {@code eval_steps}: evaluate on the validation examples every N steps and at the
 *     end (0: only at the end; nothing without validation examples)
 * @param patience {@code early_stopping_patience}: stop after N evaluations without improvement (0: never)
 * @param minDelta {@code early_stopping_threshold}: how much lower the validation loss must be to count
 * @param restoreBest {@code load_best_model_at_end}: end with the trained weights of the best
 *     evaluation, not the last step's
 * @param saveEvery {@code save_steps}: a checkpoint every N steps (0: none), and one at the end
 * @param keepLast {@code save_total_limit}: keep the newest N checkpoints (0: all); the best one is kept too
 * @param out {@code output_dir}: the run folder (metrics.jsonl, checkpoint-N/); null for none
 * @param tensorBoard {@code report_to="tensorboard"}: also write TensorBoard event files under
 *     {@code out/runs/} (on by default when there is a folder)
 */
public record RunControl(int evalEvery, int patience, double minDelta, boolean restoreBest, int saveEvery,
        int keepLast, Path out, boolean tensorBoard) {

    public RunControl {
        if (evalEvery < 0 || patience < 0 || saveEvery < 0 || keepLast < 0 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("eval_every, patience, save_every, keep_last and min_delta must be"
                    + " >= 0");
        }
        if (saveEvery > 0 && out == null) {
            throw new IllegalArgumentException("checkpoints (save_every " + saveEvery + ") need an output folder");
        }
    }

    /** No evaluation during the run, no checkpoints, no files. */
    public static RunControl none() {
        return new RunControl(0, 0, 0, false, 0, 0, null, false);
    }

    /** Writes metrics.jsonl and a final checkpoint into {@code out}. */
    public static RunControl into(Path out) {
        return new RunControl(0, 0, 0, false, 0, 0, out, true);
    }

    public RunControl withEval(int every, int patience, double minDelta, boolean restoreBest) {
        return new RunControl(every, patience, minDelta, restoreBest, saveEvery, keepLast, out, tensorBoard);
    }

    public RunControl withTensorBoard(boolean on) {
        return new RunControl(evalEvery, patience, minDelta, restoreBest, saveEvery, keepLast, out, on);
    }

    public RunControl withCheckpoints(int every, int keepLast) {
        return new RunControl(evalEvery, patience, minDelta, restoreBest, every, keepLast, out, tensorBoard);
    }
}
