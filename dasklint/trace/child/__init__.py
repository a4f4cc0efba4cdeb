"""Code that runs inside the traced program, copied to a folder on its ``PYTHONPATH``:
``recorder`` as ``_dasklint_trace`` and ``bootstrap`` as ``sitecustomize``. Both use only
the standard library (and Dask, once the program imports it)."""
