"""Every legal source FairTrack's code and data cite, with where it can be read and how far we
checked it. docs/sources.md is generated from this list and the registry's statutes
(`fairtrack law sources`), and a test fails when a citation in code, data or docs names a source
that is not here.
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    statute = "statute"
    regulation = "regulation"
    bill = "bill"
    rules = "rules of court"
    report = "report"
    standard = "technical standard"
    notes = "project notes"
    published = "body's published rule"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    citation: str
    kind: Kind
    url: str | None
    names: tuple[str, ...]  # how comments and data name it (the longest name first)
    what_we_use: str
    checked: str  # what we read, and where; "to verify" items are named in docs/law.md


ONTARIO_LAWS = "https://www.ontario.ca/laws"

SOURCES: tuple[Source, ...] = (
    Source(
        "FARPACTA", "Fair Access to Regulated Professions and Compulsory Trades Act, 2006",
        "S.O. 2006, c. 31", Kind.statute, f"{ONTARIO_LAWS}/statute/06f31",
        ("Fair Access to Regulated Professions and Compulsory Trades Act, 2006",
         "Fair Access to Regulated Professions and Compulsory Trades Act", "FARPACTA", "FARPA"),
        "Non-health route: s. 8 (timely decisions, reasons), s. 9 (internal review or appeal), "
        "s. 2 (definitions), s. 10.2 (Canadian experience), Schedule 1 (the professions).",
        "s. 2 read in the 2023 consolidation; ss. 8, 9 and 10.2 as quoted by OFC and regulatory "
        "posting 40847; Schedule 1 not read here (facts s. 2)",
    ),
    Source(
        "RHPA", "Regulated Health Professions Act, 1991", "S.O. 1991, c. 18", Kind.statute,
        f"{ONTARIO_LAWS}/statute/91r18",
        ("Regulated Health Professions Act, 1991", "Regulated Health Professions Act", "RHPA"),
        "The 26 health colleges; s. 1(1) defines Canadian experience (consolidation of "
        "1 July 2024).",
        "s. 1(1) read from an unofficial mirror (facts s. 4)",
    ),
    Source(
        "Code", "Health Professions Procedural Code (Schedule 2 to the RHPA)",
        "S.O. 1991, c. 18, Sched. 2", Kind.statute, f"{ONTARIO_LAWS}/statute/91r18",
        ("Health Professions Procedural Code", "RHPA Code", "Code s.", "the Code"),
        "Health route: the registrar's referral to the Registration Committee, 30 days for "
        "submissions (s. 15(3)), the committee's orders, HPARB review or hearing (s. 19 or 21), "
        "appeal to the Divisional Court (s. 70).",
        "content confirmed on college pages (RCDSO, CRTO, COKO, CNO); section numbers to verify",
    ),
    Source(
        "Legislation Act", "Legislation Act, 2006", "S.O. 2006, c. 21, Sched. F", Kind.statute,
        f"{ONTARIO_LAWS}/statute/06l21",
        ("Legislation Act, 2006", "Legislation Act"),
        "Counting time under Ontario Acts: ss. 87-88 (holidays and substitutions), s. 89 (a last "
        "day on a holiday moves to the next day; first day excluded, last included).",
        "ss. 87-88 confirmed (quoted in legal commentary); s. 89 wording to verify",
    ),
    Source(
        "Rules of Civil Procedure", "Rules of Civil Procedure", "R.R.O. 1990, Reg. 194",
        Kind.rules, f"{ONTARIO_LAWS}/regulation/900194",
        ("Rules of Civil Procedure",),
        "Divisional Court time: r. 1.03 (the Rules' own holidays), r. 3.01 (counting), r. 3.02 "
        "(extending time), r. 61.04(1) (serving a notice of appeal within 30 days).",
        "r. 3.01 and r. 3.02 confirmed (practice guides); r. 1.03 list read in a tribunal's "
        "practice notice, wording to verify; r. 61.04(1) to verify",
    ),
    Source(
        "SPPA", "Statutory Powers Procedure Act", "R.S.O. 1990, c. S.22", Kind.statute,
        f"{ONTARIO_LAWS}/statute/90s22",
        ("Statutory Powers Procedure Act", "SPPA"),
        "s. 18: a notice sent by regular mail is deemed received on the fifth day after mailing.",
        "to verify",
    ),
    Source(
        "O. Reg. 261/22", "General (Fair Access to Regulated Professions and Compulsory Trades "
        "Act, 2006)", "O. Reg. 261/22", Kind.regulation, f"{ONTARIO_LAWS}/regulation/220261",
        ("O. Reg. 261/22",),
        "s. 1: 'Canadian experience' means work experience or experiential training obtained in "
        "Canada; s. 1.2 (added by O. Reg. 378/23): alternatives to Canadian experience.",
        "confirmed (facts s. 4)",
    ),
    Source(
        "O. Reg. 378/23", "Amending O. Reg. 261/22 (alternatives to Canadian experience)",
        "O. Reg. 378/23, filed 7 December 2023", Kind.regulation,
        f"{ONTARIO_LAWS}/regulation/r23378", ("O. Reg. 378/23",),
        "A regulator may accept Canadian experience only if it also accepts international "
        "alternatives giving substantially similar competencies (FARPACTA s. 10.2(1.1)).",
        "confirmed (facts s. 4)",
    ),
    Source(
        "O. Reg. 479/24", "Amending O. Reg. 261/22 (timelines, reasons, exams, appeals)",
        "O. Reg. 479/24, filed 29 November 2024", Kind.regulation,
        f"{ONTARIO_LAWS}/regulation/r24479", ("O. Reg. 479/24",),
        "Written decisions with reasons within 10 business days; independent internal appeals "
        "with timelines; exams at least three times a year.",
        "confirmed at ontario.ca/laws; sections within it to verify",
    ),
    Source(
        "O. Reg. 522/22", "Exemptions from the Canadian experience ban (applications)",
        "O. Reg. 522/22", Kind.regulation, f"{ONTARIO_LAWS}/regulation/r22522",
        ("O. Reg. 522/22",),
        "Applications for an exemption referred to in FARPACTA s. 10.2.",
        "confirmed that it refers to s. 10.2 (facts s. 4)",
    ),
    Source(
        "O. Reg. 202/94", "General (Pharmacy Act, 1991)", "O. Reg. 202/94", Kind.regulation,
        f"{ONTARIO_LAWS}/regulation/940202", ("O. Reg. 202/94",),
        "Register parts of pharmacists (OCP's licence classes, not modelled).",
        "to verify",
    ),
    Source(
        "Working for Workers Act, 2021", "Working for Workers Act, 2021", "S.O. 2021, c. 35",
        Kind.statute, f"{ONTARIO_LAWS}/statute/s21035",
        ("Working for Workers Act, 2021",),
        "Amended FARPACTA: the Canadian experience ban (s. 10.2), IRCC-approved language tests.",
        "confirmed in FARPACTA's s. 2 definitions (facts s. 4)",
    ),
    Source(
        "Working for Workers Act, 2023", "Working for Workers Act, 2023", "S.O. 2023, c. 10",
        Kind.statute, f"{ONTARIO_LAWS}/statute/s23010",
        ("Working for Workers Act, 2023",),
        "Added FARPACTA s. 10.2(1.1) (alternatives to Canadian experience).",
        "confirmed (facts s. 4)",
    ),
    Source(
        "IRPA", "Immigration and Refugee Protection Act", "S.C. 2001, c. 27", Kind.statute,
        "https://laws-lois.justice.gc.ca/eng/acts/i-2.5/",
        ("Immigration and Refugee Protection Act", "IRPA"),
        "The English and French tests approved for immigration, which FARPACTA regulators must "
        "accept.",
        "the obligation confirmed (OFC guide); section and regulation numbers to verify",
    ),
    Source(
        "Registered Professional Planners Act", "Registered Professional Planners Act (bills)",
        "Bill 122, 2017; Bill 70, 2019", Kind.bill, "https://www.ola.org",
        ("Registered Professional Planners Act",),
        "Evidence on whether OPPI is under FARPACTA (regulators/data/oppi.toml).",
        "bills found at ola.org; no enactment found",
    ),
    Source(
        "OCSWSSW review", "OCSWSSW: request a review by the Registration Appeals Committee",
        "Ontario College of Social Workers and Social Service Workers, registration appeals page",
        Kind.published, "https://www.ocswssw.org",
        ("OCSWSSW's published review window",),
        "60 days to request a review of a registration decision (law/windows.py).",
        "confirmed on the body's page (facts s. 4); the section of its Act to verify",
    ),
    Source(
        "CECE review", "CECE: submissions to the Registration Appeals Committee",
        "College of Early Childhood Educators, registration appeals page", Kind.published,
        "https://www.college-ece.ca", ("CECE's published review window",),
        "35 days for submissions after the file summary; a written decision within 60 days.",
        "confirmed on the body's page (facts s. 4); the section of its Act to verify",
    ),
    Source(
        "OFC report", "Expanding our routes to success (recommendations 21-32)",
        "Ontario, source report of the Fairness Commissioner's recommendations", Kind.report, None,
        ("Expanding our routes to success", "rec 32", "recommendation 32"),
        "Recommendation 32: a credential assessment is not a licence, and applicants must be "
        "told so.",
        "shared/facts/expanding-our-routes-to-success.txt",
    ),
    Source(
        "facts", "FairTrack's Ontario fact sheet", "shared/facts/ontario.md (beside the repository)",
        Kind.notes, None, ("facts/ontario.md", "facts s."),
        "Where each fact was read and how sure we are; s. 7 holds the project defaults (not law).",
        "the project's own notes; each fact there names its source",
    ),
    Source(
        "RFC 6819", "OAuth 2.0 Threat Model and Security Considerations", "RFC 6819",
        Kind.standard, "https://www.rfc-editor.org/rfc/rfc6819", ("RFC 6819",),
        "Refresh token rotation and reuse detection (s. 5.2.2.3).", "read",
    ),
    Source(
        "RFC 6797", "HTTP Strict Transport Security", "RFC 6797", Kind.standard,
        "https://www.rfc-editor.org/rfc/rfc6797", ("RFC 6797",),
        "HSTS is ignored over plain HTTP (s. 8.1).", "read",
    ),
    Source(
        "RFC 2606", "Reserved Top Level DNS Names", "RFC 2606", Kind.standard,
        "https://www.rfc-editor.org/rfc/rfc2606", ("RFC 2606",),
        ".invalid is reserved: system accounts' addresses can belong to no one.", "read",
    ),
    Source(
        "RFC 9110", "HTTP Semantics", "RFC 9110", Kind.standard,
        "https://www.rfc-editor.org/rfc/rfc9110", ("RFC 9110",),
        "Accept-Language and its quality values (s. 12.5.4): the language a visitor without an "
        "account reads the pages in.", "read",
    ),
    Source(
        "RFC 4180", "Common Format and MIME Type for Comma-Separated Values (CSV) Files", "RFC 4180",
        Kind.standard, "https://www.rfc-editor.org/rfc/rfc4180", ("RFC 4180",),
        "How every CSV export is written: CRLF line ends, quoted fields, a header line.", "read",
    ),
    Source(
        "AODA", "Accessibility for Ontarians with Disabilities Act, 2005", "S.O. 2005, c. 11",
        Kind.statute, f"{ONTARIO_LAWS}/statute/05a11",
        ("Accessibility for Ontarians with Disabilities Act, 2005",
         "Accessibility for Ontarians with Disabilities Act", "AODA"),
        "Why the pages meet WCAG 2.1 level AA (its accessibility standards for websites); checked "
        "with axe-core in the browser tests.",
        "not read here: the WCAG 2.1 AA level is the one issue 12 asks for; the standard's own "
        "regulation and its dates to verify",
    ),
)


def known_names() -> set[str]:
    return {name for source in SOURCES for name in source.names}
