"""Every rule FairTrack applies, with its source and how sure we are, gathered from the modules
that hold them: docs/law.md is generated from this list (`fairtrack law rules`), so it cannot
drift from the data."""

from dataclasses import dataclass

from law.calendar import COUNTING_RULES
from law.fairness import CANADIAN_EXPERIENCE_BAN_FROM, FLAG_LAWS
from law.road import NEEDS, ROUTE_RULES
from law.standards import PROJECT_DEFAULT_SOURCE, PROJECT_DEFAULTS
from law.windows import RECEIPT_RULE, WINDOWS


@dataclass(frozen=True)
class LawRule:
    topic: str
    rule: str
    citation: str
    source: str  # a key of law.sources.SOURCES
    status: str


TOPICS = ("Counting time", "Receipt", "Windows", "The road", "What a step must carry",
          "Fairness flags", "Project defaults")


def _status(to_verify: str | None) -> str:
    return f"to verify: {to_verify}" if to_verify else "confirmed"


def catalogue() -> list[LawRule]:
    rules = [
        LawRule("Counting time", f"{c.name}: holidays are {c.holidays}; {c.counting}",
                c.citation, c.source,
                "project default" if c.source == "facts" else _status(c.to_verify))
        for c in COUNTING_RULES.values()
    ]
    rules += [
        LawRule("Receipt", "A window running from receipt runs from the actual receipt when "
                "recorded, else from the receipt the law deems for how the notice was sent "
                f"({RECEIPT_RULE}); in person: that day; by email: that day (no deeming encoded); "
                "nothing recorded: the decision's day", "Statutory Powers Procedure Act s. 18",
                "SPPA", "to verify"),
    ]
    for w in WINDOWS:
        where = f"; {', '.join(sorted(w.bodies))} only" if w.bodies else ""
        rules.append(LawRule(
            "Windows", f"`{w.code}`: {w.days} days for the {w.party.value}, from {w.runs_from}, "
            f"counted under {w.rule.name}{where}", w.citation, w.source, _status(w.to_verify)))
    rules += [LawRule("The road", r.rule, r.citation, r.source, r.status) for r in ROUTE_RULES]
    for need in NEEDS:
        triggers = ", ".join(f"`{t}`" for t in sorted(need.triggers))
        details = " or ".join(f"`{d.value}`" for d in need.any_of)
        rules.append(LawRule("What a step must carry", f"{triggers} needs {details}", need.rule,
                             need.source, need.status))
    for flag in FLAG_LAWS:
        rules.append(LawRule("Fairness flags", f"`{flag.kind}`: {flag.threshold}", flag.rule,
                             flag.source, flag.status))
    rules.append(LawRule("Fairness flags", "The Canadian experience ban applies to FARPACTA "
                         f"bodies' decisions from {CANADIAN_EXPERIENCE_BAN_FROM.isoformat()}",
                         "FARPACTA s. 10.2; regulatory posting 40847", "FARPACTA", "confirmed"))
    for stage, (days, counting) in PROJECT_DEFAULTS.items():
        rules.append(LawRule("Project defaults", f"Service standard, {stage.value}: {days} "
                             f"{counting.value} days where the regulator publishes none",
                             PROJECT_DEFAULT_SOURCE, "facts", "project default"))
    return rules
