"""Which calls do heavy work outside the interpreter, and which are cheap Python.

Threads only speed up code whose time is spent in calls that release the GIL (compiled
numeric libraries, I/O, sleeping, waiting on subprocesses); see the Dask docs,
``scheduling.rst`` ("Local Threads") and ``graphs.rst`` ("Avoid Holding the GIL"). The
tables are prefixes of qualified names (``numpy`` covers ``numpy.linalg.svd``); users add
their own C extensions through the ``gil-releasing`` option of DSK501.
"""

from __future__ import annotations

from collections.abc import Iterable

# Calls that release the GIL or do enough native work that the task is not trivial.
GIL_RELEASING: tuple[str, ...] = (
    # numeric and data libraries (compiled kernels release the GIL)
    "numpy", "pandas", "scipy", "sklearn", "numexpr", "bottleneck", "numba", "cupy",
    "torch", "tensorflow", "jax", "xarray", "pyarrow", "polars", "duckdb", "h5py", "zarr",
    "netCDF4", "tables", "PIL", "cv2", "skimage", "tifffile", "imageio", "shapely",
    "pyproj", "rasterio", "xgboost", "lightgbm", "statsmodels", "sparse",
    # compression and hashing of large buffers
    "hashlib", "zlib", "bz2", "lzma", "gzip", "blosc", "lz4", "zstandard",
    # I/O, network, sleeping, subprocesses
    "open", "io", "os.read", "os.write", "os.system", "shutil", "sqlite3", "socket",
    "requests", "urllib", "http", "aiohttp", "boto3", "botocore", "s3fs", "gcsfs",
    "fsspec", "time.sleep", "subprocess", "asyncio.sleep",
    # Dask itself (a nested computation runs its own scheduler)
    "dask", "distributed",
)  # fmt: skip

# Builtins and standard-library modules that run as interpreted Python (or hold the GIL).
PYTHON_LEVEL: tuple[str, ...] = (
    "abs", "all", "any", "bool", "chr", "dict", "divmod", "enumerate", "filter", "float",
    "frozenset", "getattr", "hasattr", "hash", "int", "isinstance", "issubclass", "iter",
    "len", "list", "map", "max", "min", "next", "ord", "pow", "print", "range", "repr",
    "reversed", "round", "set", "setattr", "sorted", "str", "sum", "tuple", "type", "zip",
    "math", "cmath", "operator", "itertools", "functools", "collections", "heapq", "bisect",
    "re", "json", "string", "random", "statistics", "fractions", "decimal", "copy",
    "textwrap", "unicodedata", "difflib", "os.getpid", "os.getppid", "threading.get_ident",
    "threading.current_thread", "time.time", "time.perf_counter", "time.monotonic",
)  # fmt: skip

# Methods of str, list, dict and set: cheap Python-level work on any receiver.
PYTHON_METHODS = frozenset(
    {
        "append", "extend", "insert", "pop", "remove", "clear", "copy", "count", "index",
        "sort", "reverse", "get", "items", "keys", "values", "setdefault", "update", "add",
        "discard", "union", "intersection", "difference", "split", "rsplit", "splitlines",
        "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold",
        "startswith", "endswith", "find", "rfind", "replace", "join", "format", "encode",
        "decode", "isdigit", "isalpha", "isalnum", "isspace", "zfill", "partition",
        "rpartition", "group", "groups", "match", "search", "findall", "sub",
    }
)  # fmt: skip

# One number from the standard library's random generator: well under a microsecond.
SCALAR_DRAWS: tuple[str, ...] = (
    "random.random", "random.uniform", "random.randint", "random.randrange",
    "random.gauss", "random.normalvariate", "random.expovariate", "random.choice",
    "random.betavariate", "random.triangular", "random.getrandbits",
)  # fmt: skip

# Callees a trivial task may make: arithmetic-like builtins, the operator/math modules
# and single random draws.
TRIVIAL_CALLS: tuple[str, ...] = (
    "abs", "bool", "chr", "divmod", "float", "hash", "int", "len", "max", "min", "ord",
    "pow", "repr", "round", "str", "operator", "math", *SCALAR_DRAWS,
)  # fmt: skip


# ``numpy.random`` module functions that draw from NumPy's one global ``RandomState``: each
# call holds that generator's lock (numpy 2.4, ``np.random.mtrand._rand._bit_generator.lock``;
# ``tests/runtime/test_gil_nested.py`` shows a second thread waiting for it), so threads
# drawing from it take turns. ``default_rng()``, ``Generator`` and ``RandomState(seed)``
# objects have locks of their own.
GLOBAL_NUMPY_DRAWS = frozenset(
    {
        "beta", "binomial", "bytes", "chisquare", "choice", "dirichlet", "exponential", "f",
        "gamma", "geometric", "gumbel", "hypergeometric", "laplace", "logistic", "lognormal",
        "logseries", "multinomial", "multivariate_normal", "negative_binomial",
        "noncentral_chisquare", "noncentral_f", "normal", "pareto", "permutation", "poisson",
        "power", "rand", "randint", "randn", "random", "random_integers", "random_sample",
        "ranf", "sample", "rayleigh", "shuffle", "standard_cauchy", "standard_exponential",
        "standard_gamma", "standard_normal", "standard_t", "triangular", "uniform", "vonmises",
        "wald", "weibull", "zipf",
    }
)  # fmt: skip

# NumPy functions whose work is one pass over their input: next to drawing that input from
# the random generator they cost little (a normal draw takes tens of nanoseconds per
# number, a mean under one).
NUMPY_ONE_PASS: tuple[str, ...] = tuple(
    f"numpy.{name}"
    for name in (
        "mean", "sum", "std", "var", "min", "max", "amin", "amax", "ptp", "median",
        "average", "abs", "absolute", "sqrt", "square", "exp", "log", "sin", "cos", "where",
        "count_nonzero", "argmin", "argmax", "cumsum", "prod", "round", "clip", "array",
        "asarray", "zeros", "ones", "empty", "full", "arange", "linspace", "concatenate",
        "stack", "hstack", "vstack", "sign", "floor", "ceil", "hypot", "all", "any",
    )
)  # fmt: skip


def global_numpy_draw(name: str) -> bool:
    """``numpy.random.normal``: a draw from NumPy's global generator."""
    module, _, function = name.rpartition(".")
    return module in ("numpy.random", "numpy.random.mtrand") and function in GLOBAL_NUMPY_DRAWS


def matches(name: str, prefixes: Iterable[str]) -> bool:
    """``name`` is one of ``prefixes`` or inside one (``numpy.linalg.svd`` in ``numpy``)."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


__all__ = [
    "GIL_RELEASING", "GLOBAL_NUMPY_DRAWS", "NUMPY_ONE_PASS", "PYTHON_LEVEL", "PYTHON_METHODS",
    "SCALAR_DRAWS", "TRIVIAL_CALLS", "global_numpy_draw", "matches",
]  # fmt: skip
