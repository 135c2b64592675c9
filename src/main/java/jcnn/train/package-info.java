/**
 * Training: the loop ({@link jcnn.train.Trainer}), retraining of an existing model with a chosen
 * parameter list ({@link jcnn.train.Finetune}, for the compression pipeline), evaluation, model
 * files (safetensors with jcnn metadata), resumable checkpoints and metrics.json. Imports
 * everything below it: data, nn, models, optim.
 */
package jcnn.train;
