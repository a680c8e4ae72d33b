"""The demo's cast: a dozen people each known to three to five of the vendor sandboxes under the same email.

Each sandbox seeds its own strangers; only these people let the demo show one person across vendors (the
portal matches them by normalised email, so some vendors write the address in capitals). `manage.py sandbox`
adds them to every sandbox (`SandboxVendor.add_cast`); tests that build a sandbox directly do not get them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEMO_CAST", "CastMember", "cast_of"]

# Kamana, Alaunus and Ceki know everyone (a sync of each brings the person in with a reference);
# CareerBuilder and IntelyCare know some, so each person is at three, four or five vendors.
EVERYWHERE = ("kamana", "alaunus", "ceki")


@dataclass(frozen=True)
class CastMember:
    index: int
    first_name: str
    last_name: str
    vendors: tuple[str, ...]

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}@nurses.example".lower().replace("'", "")

    @property
    def phone(self) -> str:
        return f"555-020-{self.index + 1:04d}"


_NAMES = [
    ("Ana", "Moreno"), ("Ben", "Okoro"), ("Chloe", "Dubois"), ("Dmitri", "Volkov"), ("Esther", "Adeyemi"),
    ("Farid", "Haddad"), ("Gina", "Russo"), ("Hugo", "Lindqvist"), ("Ines", "Carvalho"), ("Jamal", "Price"),
    ("Keiko", "Sato"), ("Liam", "O'Neill"),
]  # fmt: skip

DEMO_CAST: tuple[CastMember, ...] = tuple(
    CastMember(
        index,
        first,
        last,
        EVERYWHERE + (("careerbuilder",) if index % 3 != 2 else ()) + (("intelycare",) if index % 2 == 0 else ()),
    )
    for index, (first, last) in enumerate(_NAMES)
)


def cast_of(vendor: str, cast: tuple[CastMember, ...] = DEMO_CAST) -> list[CastMember]:
    """The members of `cast` that `vendor` knows."""
    return [member for member in cast if vendor in member.vendors]
