/**
 * Files for modules: the safetensors weight format and atomic writes. Imports {@code jcnn.tensor}
 * and Gson.
 */
package jcnn.nn.io;
