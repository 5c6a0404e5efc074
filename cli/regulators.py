"""`fairtrack regulators check` and `fairtrack regulators sync`: validate the data files, load them."""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casefile.registry import sync as sync_registry
from cli.database import open_session
from law.windows import WINDOWS
from regulators.registry import DATA_DIR, Registry, RegistryError, load_registry
from regulators.views import oversight_count

app = typer.Typer(help="The regulator registry: check and load its data files.",
                  no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path,
    typer.Option("--data-dir", help="Folder of *.toml files (default: the shipped ones).",
                 exists=True, file_okay=False, dir_okay=True),
]


def _load(data_dir: Path) -> Registry:
    try:
        return load_registry(data_dir)
    except RegistryError as exc:
        err.print(f"[red]invalid:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc


@app.command()
def check(data_dir: DataDir = DATA_DIR) -> None:
    """Validate every file; write nothing. Exit 1 naming the file and field of the first error."""
    registry = _load(data_dir)
    defaults = sum(
        1 for r in registry.regulators.values() for s in r.service_standards if s.is_default
    )
    to_verify = sum(len(r.to_verify) for r in registry.regulators.values())
    count = oversight_count(registry)
    unsettled = f" + {len(count.to_verify)} to verify ({', '.join(count.to_verify)})"
    out.print(
        f"{count.confirmed} regulators confirmed under the Fairness Commissioner's oversight"
        f"{unsettled if count.to_verify else ''} and {len(registry.assessors)} assessors valid "
        f"(the Commissioner oversees {count.overseen_per_ofc}); {defaults} service standards "
        f"are project defaults; {to_verify} facts to verify",
        highlight=False, soft_wrap=True,
    )


@app.command()
def sync(data_dir: DataDir = DATA_DIR) -> None:
    """Load the files into the database. Idempotent: a second run changes nothing and says so."""
    registry = _load(data_dir)
    try:
        with open_session() as session:
            report, total = sync_registry(session, registry)
    except RegistryError as exc:  # the files would rewrite the stored history
        err.print(f"[red]refused:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    out.print(f"{report.summary()}; {total} rules versions stored", highlight=False, soft_wrap=True)


@app.command("to-verify")
def to_verify(data_dir: DataDir = DATA_DIR) -> None:
    """Print every fact marked to verify, as the Markdown list docs/regulators.md keeps."""
    registry = _load(data_dir)
    entries = [(r.acronym, r.slug, r.to_verify) for r in registry.regulators.values()]
    entries += [(a.acronym, a.slug, a.to_verify) for a in registry.assessors.values()]
    for acronym, slug, notes in sorted(entries, key=lambda e: e[1]):
        if notes:
            out.print(f"- **{acronym}** (`{slug}.toml`)", highlight=False, soft_wrap=True)
            for note in notes:
                out.print(f"  - {note}", highlight=False, soft_wrap=True, markup=False)
    unsourced = sorted(r.acronym for r in registry.regulators.values()
                       if not r.language_tests_known)
    if unsourced:
        out.print("- **Accepted language tests without a source** (the language_test flag stays "
                  "silent for them)", highlight=False, soft_wrap=True)
        out.print(f"  - {', '.join(unsourced)}", highlight=False, soft_wrap=True, markup=False)
    windows = [w for w in WINDOWS if w.to_verify]
    if windows:
        out.print("- **Windows** (`law/windows.py`; docs/law.md)", highlight=False)
        for window in windows:
            out.print(f"  - {window.kind.value} ({window.citation}): {window.to_verify}",
                      highlight=False, soft_wrap=True, markup=False)
