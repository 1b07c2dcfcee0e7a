"""The `gongkai` command: a thin typer + rich shell over the domain core and the platform.

Each command family lives in its own module with a `register(app)` function; this module only
assembles them, so families can grow independently.
"""

from __future__ import annotations

import typer

from gongkai.plugins import import_optional

HELP = """gongkai（公开）：政务公开办的工作平台 — 网站测评、整改、依申请公开台账、年报生成与校验。

gongkai: the working platform of a government open-information office — website evaluation,
rectification, the FOI application ledger, and the statutory annual report.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)

# Command families, in the order they appear in --help. Each module defines register(app).
COMMAND_MODULES = [
    "gongkai.cli.platform",  # serve, demo, units, worker
    "gongkai.cli.annual",  # annual check / build
    "gongkai.cli.foi",  # foi due ...
    "gongkai.cli.crawl",  # crawl, extract
    "gongkai.cli.scan",  # scan
    "gongkai.cli.round",  # round create / run / publish
]

for _name in COMMAND_MODULES:
    _module = import_optional(_name)
    if _module is not None:
        _module.register(app)


def main() -> None:
    app()
