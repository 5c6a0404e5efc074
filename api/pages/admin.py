"""Administrators' pages: the API keys of regulators' and assessors' systems (create, shown once;
list; revoke) and an organization's accounts (end every session of one), as forms on the same
casefile units of work as the admin API."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, Response

from accounts.keys import list_keys
from accounts.service import users_of
from api.deps import RegistryDep, SessionDep
from api.pages.forms import field_errors, form_text
from api.pages.rendering import AdminVisitor, CheckedAdmin, Visitor
from casefile import accounts as units
from fairtrack.errors import InvalidRequest
from fairtrack.pagination import MAX_ID, MAX_PAGE
from i18n import msg
from law.road import Role
from regulators.registry import Registry

router = APIRouter(include_in_schema=False)
Organization = Annotated[str, Query(max_length=80)]
Text = Annotated[str, Form(max_length=200)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
KEY_ROLES = (Role.regulator.value, Role.assessor.value)


def _crumbs(visitor: Visitor) -> list[tuple[str, str]]:
    return [(visitor.t.gettext("Home"), "/")]


def _organizations(visitor: Visitor, registry: Registry) -> list[tuple[str, str]]:
    t = visitor.t
    found = {slug: t.names(r.name) for slug, r in registry.regulators.items()}
    found |= {slug: t.names(a.name) for slug, a in registry.assessors.items()}
    for regulator in registry.regulators.values():
        found[regulator.appeal_body.slug] = t.names(regulator.appeal_body.name)
    found |= {slug: slug for slug in registry.organizations() if slug not in found}
    return sorted(found.items(), key=lambda item: item[1])


def _keys_page(visitor: Visitor, session: SessionDep, registry: Registry, organization: str,
               cursor: str | None, status: int = 200, errors: dict[str, str] | None = None,
               asked: dict[str, str] | None = None) -> Response:
    if organization and organization not in registry.organizations():
        raise InvalidRequest(msg("unknown organization '{slug}'", slug=organization),
                             field="organization")
    keys, next_cursor = list_keys(session, organization or None, MAX_PAGE, cursor)
    return visitor.render(
        "pages/admin_keys.html", status=status, keys=keys, next_cursor=next_cursor,
        organization=organization, organizations=_organizations(visitor, registry),
        roles=KEY_ROLES, errors=errors or {}, asked=asked or {}, breadcrumbs=_crumbs(visitor))


@router.get("/admin/keys", response_class=HTMLResponse)
def keys_page(
    visitor: AdminVisitor, session: SessionDep, registry: RegistryDep,
    organization: Organization = "", cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _keys_page(visitor, session, registry, organization, cursor)


@router.post("/admin/keys", response_class=HTMLResponse)
def create_key(
    visitor: CheckedAdmin, session: SessionDep, registry: RegistryDep,
    name: Text = "", role: Text = "", organization: Text = "",
) -> Response:
    """The new key is shown on this answer only (never in a URL); FairTrack keeps its hash."""
    asked = {"name": form_text(name)[:80], "role": form_text(role), "organization":
             form_text(organization)}
    errors: dict[str, str] = {}
    if not asked["name"]:
        errors["name"] = visitor.t.gettext("Give the key a name")
    if asked["role"] not in KEY_ROLES:
        errors["role"] = visitor.t.gettext("Choose the role")
    if not errors:
        try:
            key, full = units.create_key(session, registry, name=asked["name"],
                                         role=Role(asked["role"]),
                                         organization=asked["organization"],
                                         created_by=visitor.actor.user_id)
        except InvalidRequest as exc:
            errors = field_errors(visitor.t, exc, "organization")
        else:
            return visitor.render("pages/admin_key_created.html", key=key, full=full,
                                  breadcrumbs=_crumbs(visitor) + [
                                      (visitor.t.gettext("API keys"), "/admin/keys")])
    return _keys_page(visitor, session, registry, "", None, status=422, errors=errors,
                      asked=asked)


@router.post("/admin/keys/{key_id}/revoke", response_class=HTMLResponse)
def revoke_key(visitor: CheckedAdmin, session: SessionDep, key_id: Id) -> Response:
    units.revoke_key(session, key_id)
    return visitor.redirect("/admin/keys")


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    visitor: AdminVisitor, session: SessionDep, registry: RegistryDep,
    organization: Organization = "", cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _users_page(visitor, session, registry, organization, cursor)


def _users_page(visitor: Visitor, session: SessionDep, registry: Registry, organization: str,
                cursor: str | None, ended: str = "") -> Response:
    if organization and organization not in registry.organizations():
        raise InvalidRequest(msg("unknown organization '{slug}'", slug=organization),
                             field="organization")
    users, next_cursor = users_of(session, organization, MAX_PAGE, cursor) if organization \
        else ([], None)
    return visitor.render(
        "pages/admin_users.html", users=users, next_cursor=next_cursor, organization=organization,
        organizations=_organizations(visitor, registry), ended=ended,
        breadcrumbs=_crumbs(visitor))


@router.post("/admin/users/{user_id}/revoke-sessions", response_class=HTMLResponse)
def revoke_sessions(
    visitor: CheckedAdmin, session: SessionDep, registry: RegistryDep, user_id: Id,
    organization: Text = "",
) -> Response:
    """End every session of one account (tokens and page sessions), as the admin API does. The
    answer says whose (no address in a URL: URLs end up in logs)."""
    user = units.end_sessions_of(session, user_id=user_id)
    asked = form_text(organization)[:80]
    return _users_page(visitor, session, registry,
                       asked if asked in registry.organizations() else "", None, ended=user.email)
