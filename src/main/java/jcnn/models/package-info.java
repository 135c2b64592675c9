/**
 * The networks of the source papers, built from {@code jcnn.nn} layers: LeNet-5 and LeNet-300-100
 * (Deep Compression, Tzelepis), the Tzelepis CIFAR-10 classifier and the CIFAR ResNets. Imports
 * {@code jcnn.nn} and below.
 */
package jcnn.models;
