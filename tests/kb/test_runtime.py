"""Process-wide state set at an entry point reaches the libraries already loaded."""

import subprocess
import sys

CHECK = """
import numpy  # an entry point imports numpy (indexer.store) before it sets the threads
from kb.runtime import configure
configure(1)
from threadpoolctl import threadpool_info
print(sorted({pool["num_threads"] for pool in threadpool_info()}))
"""


def test_a_query_process_runs_its_numpy_blas_on_one_thread():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True,
                         env={"PATH": "", "OMP_NUM_THREADS": "", "OPENBLAS_NUM_THREADS": ""})
    assert out.stdout.strip() == "[1]"
