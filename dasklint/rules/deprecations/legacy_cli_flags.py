"""DSK1011 legacy-cli-flags."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from dasklint.diagnostics import FixAvailability, Severity
from dasklint.fix import Fix, safe
from dasklint.rule import Rule
from dasklint.rules.deprecations._deprecations import Deprecation, applies, distributed, report

OLD_COMMANDS = Deprecation(
    "`dask-worker`, `dask-scheduler` or `dask-ssh`",
    deprecated=distributed("2022.10.0"),
    removed=distributed("2026.6.0"),
    advice="run `dask worker`, `dask scheduler` or `dask ssh`",
)
NPROCS = Deprecation(
    "`--nprocs`",
    deprecated=distributed("2022.2.0"),
    removed=distributed("2022.10.0"),
    advice="use `--nworkers`",
)
_COMMANDS_GONE = "the command is no longer installed"
_NPROCS_GONE = "`dask worker` stops with a usage error (exit status 2)"

# Calls that run a command: a shell string, or the program and its arguments.
SHELL_CALLS = frozenset(
    {
        "os.system", "os.popen", "asyncio.create_subprocess_shell", "subprocess.getoutput",
        "subprocess.getstatusoutput",
    }
)  # fmt: skip
ARGV_CALLS = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call",
        "subprocess.check_output", "subprocess.Popen",
    }
)  # fmt: skip
SPREAD_CALLS = frozenset({"asyncio.create_subprocess_exec", "os.execlp"})

# A legacy command where a shell runs a program: at the start, after a separator, or
# after a prefix command such as `nohup`; an absolute path to it counts.
_SHELL_COMMAND = re.compile(
    r"(?:^|(?<=[;&|(`\n]))(?P<lead>\s*(?:(?:nohup|exec|sudo|env|time)\s+)*(?:[\w./~-]*/)?)"
    r"dask-(?P<which>worker|scheduler|ssh)(?![\w.-])"
)
_SHELL_WORKER = re.compile(r"(?<![\w.-])dask(?:-|\s+)worker(?![\w.-])")
_NPROCS_FLAG = re.compile(r"(?<![\w-])--nprocs(?=[\s=]|$)")
_PROGRAM = re.compile(r"^(?P<path>(?:[\w./~-]*/)?)dask-(?P<which>worker|scheduler|ssh)$")


@dataclass(frozen=True, slots=True)
class _Finding:
    node: cst.CSTNode
    deprecations: tuple[Deprecation, ...]
    fix: Fix | None = None  # for a list element
    shell: bool = False  # a shell command line (its fix depends on the target version)
    program: str = ""  # the old program found first: "worker", "scheduler" or "ssh"


class LegacyCliFlags(Rule):
    """
    ## What it does
    Checks the commands that Python code runs (`subprocess.run`, `Popen`, `call`,
    `check_call`, `check_output`, `os.system`, `os.popen`, `asyncio`'s subprocess
    functions) for the old-style `dask-worker`, `dask-scheduler` and `dask-ssh` programs and
    for the `--nprocs` option of the worker. Commands written as one shell string and as a
    list of arguments are both checked; only string literals written in the call are.

    ## Why is this bad?
    distributed 2022.10.0 replaced the separate programs by subcommands of `dask`
    (`dask worker`, `dask scheduler`, `dask ssh`) and deprecated the old ones;
    distributed 2026.6.0 stopped installing them, so the command is not found. The worker's
    `--nprocs` option became `--nworkers` in distributed 2022.2.0 and was removed in
    2022.10.0: `dask worker` stops with a usage error (`No such option '--nprocs'`). The test
    suite checks both with the installed distributed.

    The rule follows `target-dask-version` (distributed has the same version numbers as
    Dask). A `--nprocs` is only reported in a command that runs a Dask worker.

    ## Example
    ```python
    import subprocess

    subprocess.Popen(["dask-worker", "tcp://scheduler:8786", "--nprocs", "4"])
    ```

    Use instead:
    ```python
    import subprocess

    subprocess.Popen(["dask", "worker", "tcp://scheduler:8786", "--nworkers", "4"])
    ```

    ## Fix safety
    The fix writes `dask worker` (in a list: the two arguments `"dask", "worker"`) for
    `dask-worker`, likewise for the scheduler and `ssh`, and `--nworkers` for `--nprocs`. It
    is safe: the subcommands run the same code (`distributed.cli.dask_worker:main` and so
    on, registered as `dask` subcommands since 2022.10.0), and `--nworkers` is what
    `--nprocs` was renamed to. A program written with its path (`/opt/env/bin/dask-worker`)
    becomes the `dask` program of the same directory. Strings with escape sequences are
    reported without a fix.

    ## References
    - [distributed: Command line](https://docs.dask.org/en/stable/deploying-cli.html)
    - dask/distributed#5641 (`--nworkers`, 2022.2.0), dask/distributed#6735 (`dask`
      subcommands, 2022.10.0), dask/distributed#9240 (old programs removed, 2026.6.0)
    """

    code = "DSK1011"
    name = "legacy-cli-flags"
    summary = "Old-style `dask-worker` command or `--nprocs` option in a command line"
    severity = Severity.ERROR
    fix_summary = "safe: `dask worker ...`, `--nworkers`"
    fix_availability = FixAvailability.SOMETIMES

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.model.qualified_name(node.func)
        findings: list[_Finding] = []
        if qualified in SPREAD_CALLS:
            findings = self._argv([arg.value for arg in node.args if arg.keyword is None])
        elif qualified in SHELL_CALLS or qualified in ARGV_CALLS:
            command = _command_argument(node)
            if isinstance(command, (cst.List, cst.Tuple)) and qualified in ARGV_CALLS:
                elements = [element.value for element in command.elements]
                findings = self._argv(elements, command)
            elif isinstance(command, cst.SimpleString):
                finding = self._shell(command)
                findings = [finding] if finding is not None else []
        for finding in findings:
            self._report(finding)

    def _report(self, finding: _Finding) -> None:
        target = self.context.target_dask_version
        active = [d for d in finding.deprecations if d.severity(target) is not None]
        if not active:
            return
        # One diagnostic per string: the one removed first decides the wording.
        active.sort(key=lambda d: d.severity(target) is not Severity.ERROR)
        main = active[0]
        consequence = _COMMANDS_GONE if main is OLD_COMMANDS else _NPROCS_GONE
        program = finding.program
        advice = "; ".join(
            f"run `dask {program}`" if d is OLD_COMMANDS and program else d.advice for d in active
        )
        subject = f"`dask-{program}`" if main is OLD_COMMANDS and program else None
        fix = finding.fix
        if finding.shell and isinstance(finding.node, cst.SimpleString):
            fix = self._shell_fix(finding.node, active)
        report(self, finding.node, main, consequence, subject=subject, advice=advice, fix=fix)

    # ------------------------------------------------------------------ shell strings
    def _shell(self, node: cst.SimpleString) -> _Finding | None:
        value = node.evaluated_value
        if not isinstance(value, str):
            return None
        found: list[Deprecation] = []
        command = _SHELL_COMMAND.search(value)
        if command is not None:
            found.append(OLD_COMMANDS)
        if _SHELL_WORKER.search(value) and _NPROCS_FLAG.search(value):
            found.append(NPROCS)
        program = command["which"] if command is not None else ""
        return _Finding(node, tuple(found), shell=True, program=program) if found else None

    @staticmethod
    def _shell_fix(node: cst.SimpleString, active: list[Deprecation]) -> Fix | None:
        """The string with the deprecated spellings the target has replaced."""
        if "\\" in node.value:
            return None
        opening = len(node.prefix) + len(node.quote)
        text = node.value[opening : -len(node.quote)]
        if OLD_COMMANDS in active:
            text = _SHELL_COMMAND.sub(lambda m: f"{m['lead']}dask {m['which']}", text)
        if NPROCS in active:
            text = _NPROCS_FLAG.sub("--nworkers", text)
        text = node.value[:opening] + text + node.quote
        titles = {OLD_COMMANDS: "run the `dask` subcommand", NPROCS: "use `--nworkers`"}
        title = " and ".join(titles[d] for d in active)
        return safe(title[0].upper() + title[1:], node, cst.SimpleString(text))

    # ------------------------------------------------------------------ argument lists
    def _argv(
        self, values: list[cst.BaseExpression], display: cst.List | cst.Tuple | None = None
    ) -> list[_Finding]:
        strings = [
            (value, value.evaluated_value)
            for value in values
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str)
        ]
        if not strings or strings[0][0] is not values[0]:
            return []
        program, first = strings[0]
        texts = [text for _, text in strings]
        old = _PROGRAM.match(first)
        runs_worker = (old is not None and old["which"] == "worker") or (
            first.rsplit("/", 1)[-1] == "dask" and texts[1:2] == ["worker"]
        )
        out: list[_Finding] = []
        if old is not None:
            fix = self._split_program(program, display)
            out.append(_Finding(program, (OLD_COMMANDS,), fix, program=old["which"]))
        if runs_worker:
            for value, text in strings[1:]:
                if text == "--nprocs" or text.startswith("--nprocs="):
                    fix = None
                    if "\\" not in value.value and applies(self, NPROCS):
                        new = value.value.replace("--nprocs", "--nworkers", 1)
                        fix = safe("Use `--nworkers`", value, cst.SimpleString(new))
                    out.append(_Finding(value, (NPROCS,), fix))
        return out

    def _split_program(
        self, program: cst.SimpleString, display: cst.List | cst.Tuple | None
    ) -> Fix | None:
        """``"dask-worker"`` as the two elements ``"dask", "worker"`` of the list."""
        if display is None or "\\" in program.value or not applies(self, OLD_COMMANDS):
            return None
        element = next((e for e in display.elements if e.value is program), None)
        text = program.evaluated_value
        match = _PROGRAM.match(text) if isinstance(text, str) else None
        if not isinstance(element, cst.Element) or match is None:
            return None
        quote = program.prefix + program.quote
        dask_part = cst.SimpleString(f"{quote}{match['path']}dask{program.quote}")
        which = cst.SimpleString(f"{quote}{match['which']}{program.quote}")
        first = cst.Element(dask_part, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        second = element.with_changes(value=which)
        return safe(f"Run `dask {match['which']}`", element, cst.FlattenSentinel([first, second]))


def _command_argument(call: cst.Call) -> cst.BaseExpression | None:
    """The command a subprocess call runs: its first positional or its ``args=``."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value in ("args", "cmd", "command"):
            return arg.value
    return None
