"""The LSP frame reader on byte streams cut at every possible place."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls", reason="the server tests need the `lsp` extra")

from dasklint.server.framing import FrameReader, Skipped


def reader(data: bytes, piece: int, **limits: int) -> FrameReader:
    """A reader of ``data`` that gets at most ``piece`` bytes per read."""
    position = 0

    def read(n: int) -> bytes:
        nonlocal position
        chunk = data[position : position + min(n, piece)]
        position += len(chunk)
        return chunk

    return FrameReader(read, **limits)


def frames(data: bytes, piece: int, **limits: int) -> list[bytes | str]:
    """Bodies, and the reasons of skipped frames, until the end of ``data``."""
    found: list[bytes | str] = []
    frame_reader = reader(data, piece, **limits)
    while (item := frame_reader.next()) is not None:
        found.append(item.reason if isinstance(item, Skipped) else item)
    return found


STREAM = (
    b"Content-Length: 2\r\n\r\n{}"
    b"content-length:3\n\n[1]"  # lowercase, no space, bare LF
    b"Content-Length: -1\r\n\r\nxyz"  # skipped; resumes at the next header
    b"Content-Type: a; charset=utf-8\r\nContent-Length: 4\r\n\r\nnull"
    b"\r\n\r\n"  # blank lines between messages
    b"Content-Length: 99999999999999999999\r\n\r\n"
    b"Content-Length: 1\r\nContent-Length: 1\r\n\r\n1"  # resumes at the second one
    b"garbage{}Content-Length: 1\r\n\r\n2"
)
EXPECTED = [
    b"{}",
    b"[1]",
    "Content-Length is not a number of bytes: b'-1'",
    b"null",
    "a message of 99999999999999999999 bytes, above the limit of 1000 bytes",
    "two Content-Length headers",
    b"1",
    "not a header line: b'garbage{}Content-Length: 1'",
    b"2",
]


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 100_000])
def test_frames_whatever_the_reads_return(piece: int) -> None:
    assert frames(STREAM, piece, max_body=1000) == EXPECTED


def test_header_limit_and_body_limit() -> None:
    data = (
        b"X" * 50
        + b"\r\n\r\nContent-Length: 11\r\n\r\n"
        + b"y" * 11
        + b"Content-Length: 2\r\n\r\nok"
    )
    assert frames(data, 7, max_header=40, max_body=10) == [
        "a header longer than 40 bytes",
        "a message of 11 bytes, above the limit of 10 bytes",
        b"ok",
    ]


def test_resume_at_a_header_inside_a_body() -> None:
    """A length longer than the message: the next message is read from inside the body."""
    data = b"Content-Length: 30\r\n\r\n{bad}Content-Length: 2\r\n\r\n{}Content-Length: 1\r\n\r\n3"
    frame_reader = reader(data, 5)
    body = frame_reader.next()
    assert body == b"{bad}Content-Length: 2\r\n\r\n{}Co"
    assert frame_reader.resume_at_header(body)
    assert frame_reader.next() == b"{}"
    assert frame_reader.next() == b"3"
    assert frame_reader.next() is None
    assert not frame_reader.resume_at_header(b"{no header}")


def test_end_of_stream_inside_a_frame() -> None:
    assert frames(b"Content-Length: 10\r\n\r\nshort", 3) == []
    assert frames(b"Content-Len", 3) == []
