/**
 * The CUDA backend: our own kernels ({@code src/main/cuda/*.cu}, compiled to PTX by the Maven build
 * where nvcc is on the PATH and loaded from the classpath) run through JCuda's driver API.
 *
 * <p>The only package that imports {@code jcuda.*} (LayeringTest enforces it), and nothing here is
 * loaded unless a command runs with {@code --device cuda} or {@code ./jcnn info} probes for GPUs,
 * so the CPU path never loads JCuda's native libraries.
 *
 * <p>Pieces, in call order: {@link jcnn.backend.cuda.Cuda#probe} (discovery, never throws) and
 * {@link jcnn.backend.cuda.Cuda#open} (context on one device) -> {@link
 * jcnn.backend.cuda.DevicePool} (caching allocator) and {@link jcnn.backend.cuda.DeviceBuffer} (the
 * device copy a {@link jcnn.tensor.Storage} carries) -> {@link jcnn.backend.cuda.CudaModule} (a PTX
 * module, kernel launches with errors that name the kernel) -> one binding class per {@code .cu}
 * ({@code GemmKernels}, {@code ElementwiseKernels}, ...) -> {@link jcnn.backend.cuda.CudaBackend}.
 * Every kernel is tested against the CPU reference backend in {@code CudaBackendParityTest}, which
 * skips (JUnit assumptions) where no GPU is present.
 */
package jcnn.backend.cuda;
