"""Country names found in box titles and texts, from pycountry plus the short forms reviews use."""

from __future__ import annotations

import re
from functools import lru_cache

ALIASES = {
    "Korea": "Korea",
    "South Korea": "Korea",
    "Czech Republic": "Czech Republic",
    "Slovak Republic": "Slovak Republic",
    "Turkey": "Türkiye",
    "Russia": "Russia",
    "Vietnam": "Viet Nam",
    "Bolivia": "Bolivia",
    "Venezuela": "Venezuela",
    "Iran": "Iran",
    "Taiwan": "Taiwan",
    "Tanzania": "Tanzania",
    "Moldova": "Moldova",
    "IMSS": "Mexico",
    "Mexican": "Mexico",
    "Chilean": "Chile",
    "Colombian": "Colombia",
    "Norwegian": "Norway",
    "Finnish": "Finland",
    "Canadian": "Canada",
    "British": "United Kingdom",
    "UK": "United Kingdom",
    "US": "United States",
    "USA": "United States",
}


SPANISH = {
    "alemania": "Germany", "australia": "Australia", "austria": "Austria", "bélgica": "Belgium",
    "brasil": "Brazil", "canadá": "Canada", "chile": "Chile", "colombia": "Colombia", "corea": "Korea",
    "dinamarca": "Denmark", "eslovenia": "Slovenia", "españa": "Spain", "estados unidos": "United States",
    "estonia": "Estonia", "finlandia": "Finland", "francia": "France", "grecia": "Greece",
    "hungría": "Hungary", "irlanda": "Ireland", "islandia": "Iceland", "israel": "Israel", "italia": "Italy",
    "japón": "Japan", "letonia": "Latvia", "lituania": "Lithuania", "luxemburgo": "Luxembourg",
    "méxico": "Mexico", "noruega": "Norway", "nueva zelanda": "New Zealand", "países bajos": "Netherlands",
    "perú": "Peru", "polonia": "Poland", "portugal": "Portugal", "reino unido": "United Kingdom",
    "república checa": "Czech Republic", "república eslovaca": "Slovak Republic", "suecia": "Sweden",
    "suiza": "Switzerland", "turquía": "Türkiye", "costa rica": "Costa Rica", "argentina": "Argentina",
}
"""Spanish names of countries that reviews cite, so officials can filter with "Noruega"."""


@lru_cache(maxsize=512)
def canonical_country(name: str) -> str:
    """The English canonical name for a country typed in English or Spanish (else as given)."""
    key = " ".join(name.strip().lower().split())
    if key in SPANISH:
        return SPANISH[key]
    found = find_countries(name.strip())
    return found[0] if found else name.strip()


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("common_name", "name"):
            value = getattr(c, attr, None)
            if value and "," not in value and "(" not in value:
                names.setdefault(value, getattr(c, "common_name", None) or c.name)
    names.update(ALIASES)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternation})(?![\w-])"), names


def find_countries(text: str) -> list[str]:
    """Canonical country names mentioned in ``text``, in order of first mention, without repeats."""
    pattern, names = _pattern()
    found: list[str] = []
    for m in pattern.finditer(text):
        canon = names[m.group(1)]
        if canon not in found:
            found.append(canon)
    return found
