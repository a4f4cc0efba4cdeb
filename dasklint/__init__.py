"""dasklint: a static linter for Dask programs.

Importing this package stays cheap: it never imports dask, distributed or the
code being linted, and the heavy parts (libcst) load only when linting starts.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
