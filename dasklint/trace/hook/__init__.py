"""Code that runs inside the traced program: this folder is put first on its
``PYTHONPATH``, where ``sitecustomize`` starts the recorder (module ``_dasklint_trace``)
and then the interpreter's own ``sitecustomize``. Both use only the standard library (and
Dask, once the program imports it)."""
