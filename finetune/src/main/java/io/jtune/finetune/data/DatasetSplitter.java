package io.jtune.finetune.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Divides examples into splits, deterministically: the indices {@code 0..n-1} are shuffled with
 * {@link Collections#shuffle(List, Random)} and {@code new Random(seed)}; the first
 * {@code testSize} shuffled indices go to test, the next {@code validationSize} to validation, the
 * rest to train. Within each split examples keep their input order. The same seed and the same
 * examples in the same order therefore always give the same split.
 */
public final class DatasetSplitter {
    private DatasetSplitter() {
    }

    /**
     * Divides {@code examples} as {@code spec} says; every split is present in the map, possibly empty.
     *
     * @throws IllegalArgumentException when validation and test together would leave train empty
     */
    public static Map<Split, List<Example>> split(List<Example> examples, SplitSpec spec) {
        int n = examples.size();
        int test = spec.testSize(n);
        int validation = spec.validationSize(n);
        if (test + validation >= n && test + validation > 0) {
            throw new IllegalArgumentException("cannot take " + validation + " validation and " + test
                    + " test examples from " + n + ": the training split would be empty");
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(spec.seed()));
        Split[] assigned = new Split[n];
        for (int k = 0; k < n; k++) {
            assigned[order.get(k)] = k < test ? Split.TEST : k < test + validation ? Split.VALIDATION : Split.TRAIN;
        }
        Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            splits.get(assigned[i]).add(examples.get(i));
        }
        splits.replaceAll((s, list) -> List.copyOf(list));
        return splits;
    }
}
