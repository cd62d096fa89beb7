package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The paired bootstrap: seeded, skipping NaN pairs, and of the width the normal approximation gives. */
class BootstrapTest {
    private static double[] alternating(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 2;
        }
        return d;
    }

    @Test
    void theSameSeedGivesTheSameIntervalAndAnotherSeedAnother() {
        double[] before = new double[400];
        double[] after = alternating(400);
        Bootstrap.Interval a = Bootstrap.pairedDifference(before, after, 7);
        assertEquals(a, Bootstrap.pairedDifference(before, after, 7));
        double[] spread = new double[400];
        for (int i = 0; i < spread.length; i++) {
            spread[i] = Math.sin(i * 0.37); // many distinct values, so two draws differ in their quantiles
        }
        assertEquals(Bootstrap.pairedDifference(before, spread, 7), Bootstrap.pairedDifference(before, spread, 7));
        assertNotEquals(Bootstrap.pairedDifference(before, spread, 7), Bootstrap.pairedDifference(before, spread, 8));
        // differences are 0 or 1, half each: mean 0.5, standard error sqrt(0.25/400) = 0.025, so 0.5 +- 0.049
        assertEquals(0.5, a.mean(), 1e-12);
        assertEquals(0.451, a.low(), 0.012);
        assertEquals(0.549, a.high(), 0.012);
        assertTrue(a.excludesZero());
        assertEquals(400, a.n());
    }

    @Test
    void pairsWhereEitherScoreIsMissingAreLeftOut() {
        double[] before = {0, Double.NaN, 0, 1};
        double[] after = {1, 1, Double.NaN, 1};
        Bootstrap.Interval i = Bootstrap.pairedDifference(before, after, 1);
        assertEquals(2, i.n());
        assertEquals(0.5, i.mean(), 1e-12);
        assertTrue(i.low() >= 0 && i.high() <= 1);
        Bootstrap.Interval none = Bootstrap.pairedDifference(new double[] {Double.NaN}, new double[] {1}, 1);
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.mean()));
    }

    @Test
    void aConstantDifferenceHasAPointInterval() {
        Bootstrap.Interval i = Bootstrap.pairedDifference(new double[] {0.2, 0.4, 0.1}, new double[] {0.3, 0.5, 0.2}, 3);
        assertEquals(0.1, i.low(), 1e-12);
        assertEquals(0.1, i.high(), 1e-12);
        assertEquals(0.5, Bootstrap.quantile(new double[] {0, 1}, 0.5), 1e-12);
    }
}
