"""kent-diff's engine: read inspection reports, align them, classify what changed."""

import os

# The matcher's matrices are small (hundreds of rows): OpenBLAS's worker threads only
# spin, costing about 0.3 s of CPU a comparison and, in a batch whose processes already
# use every core, taking it from the other reports. One thread each, unless the user
# says otherwise. Set before anything imports numpy.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
