"""Checking that an address is a Dask scheduler before a ``Client`` is made for it.

``distributed.Client`` waits without end for a peer that accepts the connection but
never answers Dask's handshake (a web server, such as a scheduler's dashboard on port
8787), and reads a peer that answers in another protocol as Dask frames (an HTTP reply
announces a message of exabytes). A failed ``Client(...)`` (a worker's or a nanny's
address) also leaves an object whose finaliser blocks and prints a traceback. The probe
connects with Dask's own transport (TCP or TLS, with the client's TLS settings),
exchanges the handshake, asks the peer what it is (the ``identity`` call), and turns
every failure into one line that names its cause, all within a time limit. Nothing the
peer sends is unpickled (``deserialize=False``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from dasklint.errors import DasklintError

# The keys of Dask's handshake (`distributed.comm.core.Comm.handshake_info`).
HANDSHAKE_KEYS = frozenset({"compression", "python", "pickle-protocol"})
NOT_A_SCHEDULER_HINT = (
    "is it the scheduler's address (`dask scheduler` listens on port 8786 by default)? "
    "A web server, such as the dashboard on port 8787, is not one"
)


def probe(address: str, connection_args: dict[str, Any], timeout: float) -> None:
    """Return when ``address`` accepts a connection and answers Dask's handshake within
    about ``timeout`` seconds; raise :class:`DasklintError` naming the cause otherwise."""
    asyncio.run(_probe(address, connection_args, timeout))


async def _probe(address: str, connection_args: dict[str, Any], timeout: float) -> None:
    from distributed.comm.addressing import parse_address
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(address)
    connector = get_backend(scheme).get_connector()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    comm = await _connect(connector, location, connection_args, address, timeout, deadline)
    try:
        # The handshake may use what is left of the time, and at least one second.
        identity = await asyncio.wait_for(_identity(comm), max(1.0, deadline - loop.time()))
    except asyncio.TimeoutError:  # distinct from TimeoutError before Python 3.11
        raise _not_a_scheduler(address, f"no Dask handshake within {timeout:g} s") from None
    except MemoryError:  # the peer's first bytes, read as a Dask frame size, are huge
        raise _not_a_scheduler(address, "its reply is not Dask's protocol") from None
    except ValueError as exc:
        raise _not_a_scheduler(address, str(exc)) from None
    except Exception as exc:
        raise _not_a_scheduler(address, f"{type(exc).__name__}: {exc}") from None
    finally:
        comm.abort()
    kind = identity.get("type")
    if not isinstance(kind, str) or "Scheduler" not in kind:
        what = f"it is a Dask {kind}" if isinstance(kind, str) else "it does not say what it is"
        raise _not_a_scheduler(address, what)


async def _connect(
    connector: Any,
    location: str,
    connection_args: dict[str, Any],
    address: str,
    timeout: float,
    deadline: float,
) -> Any:
    """A connection, retried until the deadline while it is refused (a scheduler that is
    still starting), as ``distributed`` retries."""
    from distributed.comm.core import FatalCommClosedError

    loop = asyncio.get_running_loop()
    delay = 0.05
    cause = "timed out"
    while (left := deadline - loop.time()) > 0:
        try:
            return await asyncio.wait_for(
                connector.connect(location, deserialize=False, **connection_args), left
            )
        except FatalCommClosedError as exc:  # a TLS failure: trying again cannot help
            raise DasklintError(cannot_connect(address, str(exc))) from None
        except (OSError, asyncio.TimeoutError) as exc:
            cause = str(exc) or type(exc).__name__
        await asyncio.sleep(max(0.0, min(delay, deadline - loop.time())))
        delay = min(2 * delay, 1.0)
    raise DasklintError(cannot_connect(address, f"{cause}; gave up after {timeout:g} s"))


async def _identity(comm: Any) -> dict[Any, Any]:
    """Dask's handshake, then the peer's answer to ``identity`` (``{"type": "Scheduler",
    ...}`` from a scheduler, ``"Worker"`` from a worker, ``"Nanny"`` from a nanny)."""
    await comm.write(comm.handshake_info())
    answer = await comm.read()
    if not isinstance(answer, dict) or not answer.keys() >= HANDSHAKE_KEYS:
        raise ValueError("its reply is not Dask's handshake")
    await comm.write({"op": "identity", "reply": True})
    identity = await comm.read()
    if not isinstance(identity, dict):
        raise ValueError("its answer to `identity` is not a mapping")
    return identity


def cannot_connect(address: str, cause: str) -> str:
    return f"cannot connect to the Dask scheduler at {address}: {cause}"


def _not_a_scheduler(address: str, cause: str) -> DasklintError:
    return DasklintError(
        f"{address} does not answer as a Dask scheduler ({cause}); {NOT_A_SCHEDULER_HINT}"
    )
