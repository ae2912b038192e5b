"""Z-score outlier detection with NumPy: the Python half of examples/outliers.

The Swift program (Sources/outliers) hands ``detect`` a Swift ``[Double]``
as a NumPy array over the Swift memory (no copy) and reads the returned
index array in place (no copy).  The embed benchmark
(benchmarks/embed) calls the same function from C, Go and over gRPC.
"""
import numpy as np


def detect(values, threshold=3.0):
    """Positions of the outliers of ``values``: where ``|x - mean| / std``
    exceeds ``threshold``.

    ``values`` is any 1-D float64 buffer (a NumPy array, a memoryview, a
    swiftbind.NDArray); it is read in place, never copied or written.
    Returns a new int64 array of ascending indices (empty when the input is
    empty or constant).
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"detect() needs a 1-D array, got shape {x.shape}")
    if x.size == 0:
        return np.empty(0, dtype=np.int64)
    std = x.std()
    if std == 0:
        return np.empty(0, dtype=np.int64)
    # One temporary as large as the input (z), updated in place.
    z = x - x.mean()
    z /= std
    np.abs(z, out=z)
    return np.flatnonzero(z > threshold).astype(np.int64, copy=False)
