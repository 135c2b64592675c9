/**
 * Training: the loop ({@link jcnn.train.Trainer}), evaluation, model files (safetensors with jcnn
 * metadata), resumable checkpoints and metrics.json. Imports everything below it: data, nn, models,
 * optim.
 */
package jcnn.train;
