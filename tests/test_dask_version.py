"""`target-dask-version` values, and the version gate of the deprecation rules (DSK10xx)."""

from __future__ import annotations

import pytest

from dasklint.dask_version import (
    DEFAULT_TARGET_DASK_VERSION,
    format_dask_version,
    parse_dask_version,
)
from dasklint.diagnostics import Severity
from dasklint.rules.deprecations._deprecations import Deprecation, Wording, dask, distributed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025.1", (2025, 1, 0)),
        ("2025.1.0", (2025, 1, 0)),
        ("2024.12.1", (2024, 12, 1)),
        (" 2026.8.0 ", (2026, 8, 0)),
        ("0.20.0", (0, 20, 0)),
        ("0.15", (0, 15, 0)),
        ("2.30.0", (2, 30, 0)),
    ],
)
def test_parse(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_dask_version(text) == expected


@pytest.mark.parametrize("text", ["2025", "", "v2025.1", "2025.1.0rc1", "2025.0", "2025.13"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a Dask version"):
        parse_dask_version(text)


def test_calendar_and_old_versions_compare_in_release_order() -> None:
    assert parse_dask_version("0.20.0") < parse_dask_version("2.30.0")
    assert parse_dask_version("2.30.0") < parse_dask_version("2020.12.0")
    assert parse_dask_version("2024.9.1") < parse_dask_version("2024.10.0")


def test_default_is_the_release_the_facts_were_checked_against() -> None:
    assert format_dask_version(DEFAULT_TARGET_DASK_VERSION) == "2026.8.0"


GET = Deprecation("`get=`", dask("0.18.0"), dask("0.20.0"), "use `scheduler=`")


@pytest.mark.parametrize(
    ("target", "severity"),
    [
        ("0.17.3", None),
        ("0.18.0", Severity.WARNING),
        ("0.19.9", Severity.WARNING),
        ("0.20.0", Severity.ERROR),
        ("2026.8.0", Severity.ERROR),
    ],
)
def test_gate(target: str, severity: Severity | None) -> None:
    assert GET.severity(parse_dask_version(target)) is severity


def test_messages_name_both_releases_and_the_replacement() -> None:
    removed = GET.message(parse_dask_version("2025.1"), "it raises `TypeError`")
    assert removed == Wording(
        "`get=` was removed in Dask 0.20.0 (deprecated in 0.18.0)",
        "use `scheduler=`",
        ("it raises `TypeError`",),
    )
    deprecated = GET.message(parse_dask_version("0.19"), "it raises `TypeError`")
    assert deprecated == Wording(
        "`get=` is deprecated since Dask 0.18.0 and removed in 0.20.0", "use `scheduler=`", ()
    )


def test_a_long_subject_keeps_the_message_short() -> None:
    """The deprecation release moves to a note when the message would pass 100 characters."""
    subject = f"`{'x' * 60}`"
    long = Deprecation(subject, GET.deprecated, GET.removed, "drop it", "what it was")
    words = long.message(parse_dask_version("2025.1"), "it fails")
    assert words == Wording(
        f"{subject} was removed in Dask 0.20.0",
        "drop it",
        ("it fails", "deprecated in 0.18.0", "what it was"),
    )


def test_old_distributed_releases_keep_their_number_in_messages() -> None:
    renamed = Deprecation("`local_client`", distributed("1.16.0", "0.14.0"), None, "use it")
    assert renamed.severity(parse_dask_version("0.13.0")) is None
    assert renamed.severity(parse_dask_version("0.14.0")) is Severity.WARNING
    assert renamed.message(parse_dask_version("2026.8")) == Wording(
        "`local_client` is deprecated since distributed 1.16.0", "use it", ()
    )
