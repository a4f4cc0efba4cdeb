"""Reading the frames of LSP's base protocol (``Content-Length: N``, a blank line, N bytes).

pygls's reader accepts only ``Content-Length: <digits>\\r\\n`` and stops handling messages
for good after one header it cannot read; a length too large for memory ends the
process. This reader:

- takes header names in any case (as HTTP does) and lines ending in ``\\r\\n`` or ``\\n``;
- skips a frame whose header has no usable ``Content-Length`` (missing, negative, not a
  number, above :data:`MAX_BODY`) or is longer than :data:`MAX_HEADER`, and resumes at the
  next ``Content-Length:`` in the stream;
- keeps at most one body and one header's worth of bytes in memory;
- on request (:meth:`FrameReader.resume_at_header`), re-reads a body that was not JSON from
  a header inside it: a length that said more than was sent swallows the next message's
  header, which is then found again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_BODY = 64 * 1024 * 1024  # bytes of one message (a document of many megabytes fits)
MAX_HEADER = 8192  # bytes of one message's header lines
_CHUNK = 65536
_MAX_READ = 1 << 20

_HEADER_AT = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)
_FIELD = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*")
_KEEP = 64  # bytes kept while looking for a header (one may straddle two reads)


@dataclass(frozen=True)
class Skipped:
    """A frame that could not be read, and why."""

    reason: str


class FrameReader:
    """Message bodies from a byte stream. ``read(n)`` returns at most ``n`` bytes, blocks
    only while none are available, and returns ``b""`` at the end of the stream."""

    def __init__(
        self,
        read: Callable[[int], bytes],
        max_body: int = MAX_BODY,
        max_header: int = MAX_HEADER,
    ) -> None:
        self._read = read
        self._max_body = max_body
        self._max_header = max_header
        self._buffer = bytearray()
        self._resync = False

    def next(self) -> bytes | Skipped | None:
        """The next message body, a :class:`Skipped` frame, or None at the end."""
        if self._resync:
            if not self._seek_header():
                return None
            self._resync = False
        header = self._header()
        if header is None or isinstance(header, Skipped):
            return header
        while len(self._buffer) < header:
            if not self._fill(header - len(self._buffer)):
                return None
        body = bytes(self._buffer[:header])
        del self._buffer[:header]
        return body

    def resume_at_header(self, body: bytes) -> bool:
        """Read on from the first ``Content-Length:`` inside ``body`` (the last body
        returned, which was not JSON); False when it holds none."""
        found = _HEADER_AT.search(body)
        if found is None:
            return False
        self._buffer[:0] = body[found.start() :]
        return True

    def _header(self) -> int | Skipped | None:
        """Read one header block; the body length, a skipped frame or None at the end."""
        pos = 0
        length: int | None = None
        fields = 0
        while True:
            end = self._buffer.find(b"\n", pos)
            if end < 0:
                if len(self._buffer) > self._max_header:
                    return self._skip(f"a header longer than {self._max_header} bytes")
                if not self._fill(_CHUNK):
                    return None
                continue
            if end >= self._max_header:
                return self._skip(f"a header longer than {self._max_header} bytes")
            line = bytes(self._buffer[pos:end]).removesuffix(b"\r")
            pos = end + 1
            if not line:
                if fields:
                    break
                del self._buffer[:pos]  # blank lines between messages
                pos = 0
                continue
            field = _FIELD.fullmatch(line)
            if field is None:
                return self._skip(f"not a header line: {_show(line)}")
            fields += 1
            if field.group(1).lower() != b"content-length":
                continue
            value = field.group(2)
            if length is not None:
                return self._skip("two Content-Length headers")
            if not value.isdigit():
                return self._skip(f"Content-Length is not a number of bytes: {_show(value)}")
            if len(value) > 20 or int(value) > self._max_body:
                return self._skip(
                    f"a message of {value.decode()} bytes, above the limit of "
                    f"{self._max_body} bytes"
                )
            length = int(value)
        if length is None:
            return self._skip("a header without Content-Length")
        del self._buffer[:pos]
        return length

    def _skip(self, reason: str) -> Skipped:
        del self._buffer[:1]  # the next search starts past this frame's own header
        self._resync = True
        return Skipped(reason)

    def _seek_header(self) -> bool:
        """Drop bytes up to the next ``Content-Length:``; False at the end of the stream."""
        while True:
            found = _HEADER_AT.search(self._buffer)
            if found is not None:
                del self._buffer[: found.start()]
                return True
            del self._buffer[:-_KEEP]
            if not self._fill(_CHUNK):
                return False

    def _fill(self, wanted: int) -> bool:
        chunk = self._read(min(max(wanted, _CHUNK), _MAX_READ))
        self._buffer += chunk
        return bool(chunk)


def _show(data: bytes) -> str:
    shown = repr(data[:60])
    return shown + "..." if len(data) > 60 else shown
