"""Phrases and options shared by the scheduler rules (presentation only, no analysis)."""

from __future__ import annotations

import json

import libcst as cst

from dasklint.semantic import SchedulerSpec, SettingSpec
from dasklint.semantic.scheduler import SpecOrigin

_MODULE = cst.Module(body=[])


def source_of(node: cst.CSTNode) -> str:
    """The code of a node as written (single-line form for messages)."""
    return " ".join(_MODULE.code_for_node(node).split())


def spelled(setting: SettingSpec) -> str:
    """How the user wrote a setting: ``scheduler="processes"`` or ``{"scheduler": ...}``."""
    value = source_of(setting.node)
    if setting.via_kwargs is not None:
        shown = json.dumps(setting.value) if isinstance(setting.value, str) else "..."
        return f'**{value} (with "{setting.key}": {shown})'
    if setting.choices:
        return f"{setting.key}={value} (one of {', '.join(map(repr, setting.choices))})"
    if setting.via_name and setting.value is not None:
        shown = json.dumps(setting.value) if isinstance(setting.value, str) else repr(setting.value)
        value += f" (= {shown})"
    if setting.origin is SpecOrigin.CONFIG_DICT:
        return f'{{"{setting.key}": {value}}}'
    return f"{setting.key}={value}"


def where(spec: SchedulerSpec) -> str:
    """``in dask.config.set(...)`` or nothing, to say where a scheduler was chosen."""
    if spec.setting.origin is SpecOrigin.COMPUTE_KEYWORD:
        return ""
    return " in `dask.config.set`"
