/**
 * Seeded weight initialisers (He / Kaiming, Xavier / Glorot, zeros) and the fan-in / fan-out of
 * linear and convolution weights. Imports {@code jcnn.tensor} only.
 */
package jcnn.nn.init;
