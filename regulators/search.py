"""Find your regulator: professions by name (English or French, accents and case ignored) or NOC.

Ranking, best first: the whole name; the name's first words; whole words inside the name; the
name's beginning; a word's beginning; anywhere; every query word somewhere. Profession names come
before licence class names at equal rank, then shorter names, then the regulator's slug.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fairtrack.errors import InvalidRequest
from regulators.files import Profession, Regulator
from regulators.registry import Registry
from regulators.schemas import MatchKind

MAX_QUERY = 100
EVERYDAY_WORDS_FILE = Path(__file__).parent / "everyday_words.toml"
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# rank -> the kind shown to callers
KINDS: dict[int, MatchKind] = {
    0: "exact", 1: "prefix", 2: "word", 3: "prefix", 4: "word", 5: "substring", 6: "words",
}


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: 'Infirmière' -> 'infirmiere'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_ALNUM.sub(" ", bare).strip()


def _rank(query: str, text: str) -> int | None:
    if text == query:
        return 0
    padded, spaced = f" {text} ", f" {query} "
    if padded.startswith(spaced):
        return 1
    if spaced in padded:
        return 2
    if text.startswith(query):
        return 3
    if f" {query}" in padded:
        return 4
    if query in text:
        return 5
    words = query.split()
    if len(words) > 1 and all(f" {w}" in padded for w in words):
        return 6
    return None


@dataclass(frozen=True)
class Hit:
    rank: int
    on_licence_class: bool
    text: str
    regulator: Regulator
    profession: Profession
    everyday_word: bool = False  # matched a word of everyday_words.toml, not a name

    @property
    def kind(self) -> MatchKind:
        return KINDS[self.rank]

    def order(self) -> tuple[int, bool, bool, int, str, str]:
        return (self.rank, self.on_licence_class, self.everyday_word, len(self.text),
                self.regulator.slug, self.profession.slug)


def _noc_rank(query: str, profession: Profession) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for code in profession.noc:
        rank = 0 if code == query else 1 if code.startswith(query) else None
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, code)
    return best


@cache
def everyday_words() -> dict[tuple[str, str], tuple[str, ...]]:
    """(regulator, profession) -> the words people type for it (everyday_words.toml)."""
    raw = tomllib.loads(EVERYDAY_WORDS_FILE.read_text(encoding="utf-8"))
    words: dict[tuple[str, str], tuple[str, ...]] = {}
    for key, listed in raw.items():
        regulator, _, profession = key.partition("/")
        words[(regulator, profession)] = tuple(str(word) for word in listed)
    return words


def _best(query: str, regulator: Regulator, profession: Profession) -> Hit | None:
    found: list[Hit] = []
    if query.isdigit():
        noc = _noc_rank(query, profession)
        if noc is not None:
            found.append(Hit(noc[0], False, noc[1], regulator, profession))
    texts = [(profession.name.en, False, False), (profession.name.fr, False, False)]
    texts += [(c.name.en, True, False) for c in profession.licence_classes]
    texts += [(c.name.fr, True, False) for c in profession.licence_classes]
    # Everyday words rank as the profession's own names (a doctor is a physician), after them.
    texts += [(w, False, True) for w in everyday_words().get((regulator.slug, profession.slug), ())]
    for text, on_class, everyday in texts:
        rank = _rank(query, fold(text))
        if rank is not None:
            found.append(Hit(rank, on_class, text, regulator, profession, everyday))
    return min(found, key=Hit.order) if found else None


def normalized_query(q: str) -> str:
    if len(q) > MAX_QUERY:
        raise InvalidRequest(f"q is at most {MAX_QUERY} characters", field="q")
    query = fold(q)
    if not query:
        raise InvalidRequest("q needs a letter or a digit: a profession's name or a NOC code",
                             field="q")
    return query


def search_professions(registry: Registry, q: str) -> list[Hit]:
    """Every profession matching `q`, best first (the registry is small: ~60 professions)."""
    query = normalized_query(q)
    hits = [
        hit
        for regulator in registry.regulators.values()
        for profession in regulator.professions
        if (hit := _best(query, regulator, profession)) is not None
    ]
    return sorted(hits, key=Hit.order)
