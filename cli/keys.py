"""`fairtrack keys`: API keys for regulators' and assessors' systems, from the command line."""

from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from accounts.keys import list_keys
from accounts.models import ApiKey
from casefile import accounts as units
from cli.database import open_session
from fairtrack.errors import DomainError
from fairtrack.pagination import MAX_PAGE
from law.road import Role
from regulators.registry import get_registry

keys = typer.Typer(help="API keys for regulator and assessor systems.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@keys.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. 'cno case system'")],
    role: Annotated[Role, typer.Option(help="regulator or assessor")],
    organization: Annotated[str, typer.Option(help="The regulator's or assessor's slug")],
) -> None:
    """Create a key. It is printed once, on standard output; only its hash is kept."""
    try:
        with open_session() as session:
            key, full = units.create_key(session, get_registry(), name=name, role=role,
                                         organization=organization, created_by=None)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    err.print(f"created key {key.id} ({key.role} {key.organization}); store it now, it is not "
              f"shown again:")
    print(full)  # noqa: T201 - the one time the key is shown, plain for scripts


@keys.command("list")
def list_(
    organization: Annotated[str | None, typer.Option(help="Only this organization's keys")] = None,
) -> None:
    """Keys with their prefix, organization, last use and revocation (never the secret)."""
    with open_session() as session:
        out.print("id\tname\tprefix\trole\torganization\tcreated\tlast used\trevoked",
                  highlight=False)
        for key in _every_key(session, organization):
            cells = [
                str(key.id), key.name, f"ft_{key.prefix}_…", key.role, key.organization,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
            ]
            out.print("\t".join(cells), markup=False, highlight=False, soft_wrap=True)


def _every_key(session: Session, organization: str | None) -> Iterator[ApiKey]:
    cursor: str | None = None
    while True:
        page, cursor = list_keys(session, organization, MAX_PAGE, cursor)
        yield from page
        if cursor is None:
            return


@keys.command("revoke")
def revoke(key_id: int) -> None:
    """Revoke a key: it stops working at once; its row stays for the record."""
    try:
        with open_session() as session:
            key = units.revoke_key(session, key_id)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    err.print(f"revoked key {key.id} ({key.name})")
