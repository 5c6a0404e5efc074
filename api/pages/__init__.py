"""Server-rendered pages (Jinja2, no JavaScript needed), in English and French: public pages, the
applicant's pages, account pages; one layout, one template environment per language."""

from fastapi import APIRouter, FastAPI

from api.pages import account, admin, applicant, errors, messages, oversight, profile, public, staff
from api.pages.assets import PREFIX, static_files

router = APIRouter(include_in_schema=False)
router.include_router(public.router)
router.include_router(account.router)
router.include_router(applicant.router)
router.include_router(profile.router)
router.include_router(messages.router)
router.include_router(staff.router)
router.include_router(oversight.router)
router.include_router(admin.router)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(PREFIX, static_files(), name="static")
    errors.install(app)
