package io.leakwatch.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model card ({@code card.json}) says of a version on its held-out set, and the two rules a version must pass on
 * it to be served: it beats the trivial model (a coin toss for a classifier: ROC AUC above 0.5; predicting the training
 * mean for a regressor: {@code mae} below {@code mae_predict_train_mean}), and it is not worse than the version it would
 * replace (ROC AUC not lower, MAE not higher). A card without these numbers is not judged.
 *
 * @param metric         {@code roc_auc} or {@code mae}
 * @param higherIsBetter true for ROC AUC
 * @param trivial        what the trivial model scores (NaN when the card does not say)
 */
public record HeldOutScore(String metric, double value, boolean higherIsBetter, double trivial, String trivialName) {

    /** The held-out score of a card, when it has one. */
    public static Optional<HeldOutScore> of(JsonNode card) {
        if (card == null) {
            return Optional.empty();
        }
        JsonNode metrics = card.path("metrics");
        String task = card.path("task").asText("");
        if (task.equals("classification") && metrics.path("roc_auc").isNumber()) {
            return Optional.of(new HeldOutScore("roc_auc", metrics.get("roc_auc").asDouble(), true, 0.5, "a coin toss"));
        }
        if (task.equals("regression") && metrics.path("mae").isNumber()) {
            JsonNode mean = metrics.path("mae_predict_train_mean");
            return Optional.of(new HeldOutScore("mae", metrics.get("mae").asDouble(), false,
                    mean.isNumber() ? mean.asDouble() : Double.NaN, "predicting the training mean"));
        }
        return Optional.empty();
    }

    /** Why this version is no better than the trivial model; empty when it is better (or the card does not say). */
    public Optional<String> noBetterThanTrivial() {
        if (Double.isNaN(trivial) || (higherIsBetter ? value > trivial : value < trivial)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "no better than %s on its held-out set (%s %.4f, %s %.4f)",
                trivialName, metric, value, higherIsBetter ? "coin toss" : "training mean", trivial));
    }

    /** Whether this is worse than {@code served} on the same metric. */
    public boolean worseThan(HeldOutScore served) {
        return metric.equals(served.metric) && (higherIsBetter ? value < served.value : value > served.value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.4f", metric, value);
    }
}
