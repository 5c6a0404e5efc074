"""Common passwords: the 30,000 most used ones (the `passwords` frequency list zxcvbn ships, from
leaked password sets), refused as typed, when a common one only has digits or symbols around it, when
one is repeated, and passwords of digits and symbols only."""

import string
from functools import lru_cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from accounts.security import normalize_password

# Digits, punctuation and spaces people add around a common word to pass a length rule.
PADDING = string.digits + string.punctuation + string.whitespace


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether the password, NFKC-normalized and case-folded, is a common one, a common one padded
    with digits or symbols ("password1234!"), or one repeated ("qwertyqwerty")."""
    folded = normalize_password(password).casefold()
    common = common_passwords()
    core = folded.strip(PADDING)
    if not core:  # digits and symbols only: "123456789012"
        return True
    if folded in common or (len(core) >= 4 and core in common):
        return True
    for size in range(1, len(core) // 2 + 1):  # the same unit repeated
        if len(core) % size == 0 and core[:size] * (len(core) // size) == core:
            return core[:size] in common or size < 4
    return False
