/**
 * The {@link jcnn.backend.Backend} interface (the primitive set every backend implements), its
 * parameter records and the current-backend switch. Implementations live in {@code backend.cpu}
 * (reference and fast) and {@code backend.cuda}. Imports only {@code jcnn.tensor}.
 */
package jcnn.backend;
