"""English and French: every message the code, the templates and the road's vocabulary say has its
French (and every word of the vocabulary its English); the compiled catalogs are the .po files; no
template holds words outside the catalogs. A failure says exactly what to add, and where."""

import re
from gettext import GNUTranslations
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from cli.vocabulary import VOCABULARY, vocabulary
from i18n.catalogs import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "i18n" / "babel.cfg"
TEMPLATES = ROOT / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "msg": None, "N_": None}
# Words a template may hold as they are: names that are the same in both languages, and each
# language's own name on the toggle.
SAME_IN_BOTH = {"FairTrack", "English", "Français", "NNAS", "CNO", "HPARB", "API"}


def _catalog(lang: str) -> Catalog:
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=lang)


def _po_entry(context: str | None, msgid: str) -> str:
    lines = [f'msgctxt "{context}"'] if context else []
    return "\n".join([*lines, f'msgid "{msgid}"', 'msgstr "..."'])


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message in the code and templates today, as `make messages` sees
    them (i18n/babel.cfg)."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(CONFIG, encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True,
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def test_every_word_of_the_vocabulary_has_english_and_french() -> None:
    for lang in ("en", "fr"):
        catalog = _catalog(lang)
        missing = [
            _po_entry(kind, code) for kind, code in vocabulary()
            if not (catalog.get(code, context=kind) and catalog.get(code, context=kind).string)
        ]
        assert not missing, (
            f"i18n/locales/{lang}/LC_MESSAGES/messages.po lacks these words of the road's "
            f"vocabulary (cli/vocabulary.py). Run `make messages`, then write each msgstr:\n\n"
            + "\n\n".join(missing)
        )


def test_every_message_has_its_french(extracted: set[tuple[str | None, str]]) -> None:
    catalog = _catalog("fr")
    missing = []
    for context, msgid in sorted(extracted, key=lambda m: (m[0] or "", m[1])):
        entry = catalog.get(msgid, context=context)
        strings = entry.string if entry else None
        empty = not strings or (isinstance(strings, tuple) and not all(strings))
        if empty or (entry is not None and entry.fuzzy):
            missing.append(_po_entry(context, msgid))
    assert not missing, (
        "messages without French in i18n/locales/fr/LC_MESSAGES/messages.po. Run `make messages` "
        "(it adds them to the .po files), then write each msgstr and run it again:\n\n"
        + "\n\n".join(missing)
    )


def test_the_catalog_template_is_what_the_code_says(extracted: set[tuple[str | None, str]]) -> None:
    with open(ROOT / "i18n" / "messages.pot", "rb") as pot:
        template = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
                    for m in read_po(pot) if m.id}
    assert template == extracted, "i18n/messages.pot is out of date: run `make messages`"


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text))


def test_translations_invent_no_placeholder() -> None:
    """A translation may leave a value out (plain words for a technical refusal) but never name one
    the code does not give: it would fail when formatted. The vocabulary's sentences name only what
    the application page fills in."""
    page_fills = {"{holder}", "{regulator}", "{appeal_body}"}
    wrong = []
    for lang in ("en", "fr"):
        for message in _catalog(lang):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            given = page_fills if message.context == "state_next" else {
                p for text in ids for p in _placeholders(text)}
            for string in strings:
                invented = set(_placeholders(string)) - given
                if invented:
                    wrong.append(f"{lang}: {message.id!r} -> {string!r}: {sorted(invented)}")
    assert not wrong, "placeholders invented in translation:\n" + "\n".join(wrong)


def test_the_placeholder_check_sees_an_invented_one() -> None:
    assert set(_placeholders("Bonjour {name}, %(count)d")) - {"%(count)d"} == {"{name}"}


def test_the_compiled_catalogs_are_the_po_files() -> None:
    for lang in ("en", "fr"):
        with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo", "rb") as mo:
            compiled = GNUTranslations(mo)
        stale = []
        for message in _catalog(lang):
            if not message.id or not message.string or isinstance(message.id, tuple):
                continue
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            if compiled._catalog.get(key) != message.string:  # type: ignore[attr-defined]
                stale.append(message.id)
        assert not stale, f"{lang}: messages.mo is older than messages.po: run `make messages` ({stale[:3]})"


class _Text(HTMLParser):
    """The words a person reads in a template's literal HTML: text, and attributes read aloud."""

    SPOKEN = {"alt", "title", "aria-label", "placeholder", "label"}

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        # Attributes a macro writes between template tags are markup, not text.
        data = re.sub(r"[\w-]+=(\"[^\"]*\"|'[^']*')", " ", data)
        self.words += re.findall(r"[^\W\d_]{2,}", data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.words += re.findall(r"[^\W\d_]{2,}", value)


def _literal_words(source: str) -> list[str]:
    """Words in a template outside {% trans %} blocks and outside {{ }} / {% %}."""
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    outside: list[str] = []
    in_trans = 0
    tokens = list(env.lex(source))
    previous = ""
    for _, kind, value in tokens:
        if kind == "whitespace":
            continue
        if kind == "name" and value == "trans" and previous == "block_begin":
            in_trans += 1
        elif kind == "name" and value == "endtrans" and previous == "block_begin":
            in_trans -= 1
        elif kind == "data" and not in_trans:
            outside.append(value)
        elif kind in ("variable_begin", "block_begin") and not in_trans:
            outside.append(" § ")
        previous = kind
    parser = _Text()
    parser.feed("".join(outside))
    return [word for word in parser.words if word not in SAME_IN_BOTH]


def test_templates_hold_no_untranslated_words() -> None:
    found = {
        str(path.relative_to(ROOT)): words
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (words := _literal_words(path.read_text(encoding="utf-8")))
    }
    assert not found, (
        "words in templates outside the catalogs: wrap them in {{ _(\"...\") }} or "
        "{% trans %}...{% endtrans %}, then run `make messages`:\n"
        + "\n".join(f"{path}: {' '.join(words)}" for path, words in found.items())
    )


def test_the_literal_word_check_sees_an_untranslated_word() -> None:
    assert _literal_words('<p>{{ _("Hello") }}</p><p title="Bonjour">x</p>') == ["Bonjour"]
    assert _literal_words("<h1>Apply now</h1>") == ["Apply", "now"]
    assert _literal_words("{% trans %}Apply now{% endtrans %}") == []


def test_every_kind_of_the_vocabulary_is_read_from_an_enum_or_a_list() -> None:
    assert all(codes for codes in VOCABULARY.values())
    assert ("state", "under_review") in set(vocabulary())
    assert ("flag", "canadian_experience") in set(vocabulary())
