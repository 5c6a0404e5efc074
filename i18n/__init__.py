"""English and French for everything people read: the message catalogs (Babel), the language a
person gets, and dates and numbers written the way each language writes them.

On the kernel floor so that pages, documents (PDF) and emails all speak from the same catalogs.
"""

from i18n.catalogs import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    Translator,
    language_or_default,
    negotiate,
    translator,
)
from i18n.messages import Message, msg

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "Language", "Message", "Translator", "language_or_default",
    "msg", "negotiate", "translator",
]
