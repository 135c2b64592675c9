package jcnn.train;

/**
 * What one epoch measured. Accuracies are in [0, 1]; images/s counts training steps only (forward,
 * backward, update and data loading), not the validation pass.
 */
public record EpochStats(
    int epoch,
    double lr,
    double trainLoss,
    double trainAccuracy,
    double valLoss,
    double valAccuracy,
    double seconds,
    double imagesPerSecond) {}
