"""The facility register and the resolver that turns the many spellings of a
unit's name into its stable code.

The register lives in ``data/facilities.csv`` (one row per unit),
``data/facility_aliases.csv`` (spellings from the press and old names) and
``data/occupancy_seed.csv`` (dated occupancy figures with their source).

Resolution, in order: the code itself; an exact alias (after normalising
"Lembaga Pemasyarakatan"/"LP"/"Lapas", "Kls."/"Klas", "2A"/"II A"/"II-A", ...);
then the parts of the name (type, class, speciality, place) matched against
each unit, a misspelt place accepted above a similarity score. A name that
fits no unit, or more than one, is refused with the closest candidates.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

DATA = Path(__file__).resolve().parent.parent / "data"

TYPES = ("Lapas", "Rutan", "LPKA", "Bapas")
INMATE_TYPES = ("Lapas", "Rutan", "LPKA")


@dataclass(frozen=True)
class Facility:
    code: str
    official_name: str
    short_name: str
    type: str
    klass: str
    speciality: str
    regency: str
    address: str
    places: tuple[str, ...]
    historical_classes: tuple[str, ...]
    historical_types: tuple[str, ...]
    holds_inmates: bool
    lat: float | None
    lon: float | None
    verification: str
    source_url: str
    notes: str


@dataclass(frozen=True)
class Alias:
    facility: str
    alias: str
    note: str


@dataclass(frozen=True)
class OccupancySnapshot:
    facility: str
    date: str
    occupants: int | None
    capacity: int | None
    source: str


class FacilityNotFound(ValueError):
    """``code`` is ``unknown`` or ``ambiguous``; ``candidates`` are the closest
    units as ``(code, short name)``."""

    def __init__(self, code: str, name: str, candidates: list[tuple[str, str]]):
        super().__init__(f"{code}: {name}")
        self.code = code
        self.name = name
        self.candidates = candidates


# --------------------------------------------------------------- normalising
_PHRASES = [
    (r"lembaga pemasyarakatan", " lapas "),
    (r"lembaga pembinaan khusus anak", " lpka "),
    (r"rumah tahanan negara", " rutan "),
    (r"rumah tahanan", " rutan "),
    (r"balai pemasyarakatan", " bapas "),
    (r"\blp\b", " lapas "),
    (r"\blas\b", " lapas "),
    (r"\bkls\b|\bklas\b|\bclass\b|\bkl\b", " kelas "),
    (r"\bnarkoba\b", " narkotika "),
    (r"\bwanita\b", " perempuan "),
    (r"\bkhusus\b", " "),
    (r"\bperpustakaan\b|\bperpus\b", " "),  # 'Perpustakaan Lapas Kotabaru' (INLISLite's Lokasi Perpustakaan)
    (r"\bkab\b|\bkabupaten\b|\bkota\b|\bkalsel\b|\bkalimantan selatan\b|\bprovinsi\b|\bprov\b|\bupt\b", " "),
    (r"\bpemasyarakatan\b|\bnegara\b|\bdi\b", " "),
]
_CLASS_AFTER = re.compile(r"\bkelas\s+(iii\s*a|ii\s*a|ii\s*b|iii|ii|i|3\s*a|2\s*a|2\s*b|3|2|1)\b")
_CLASS_MAP = {"1": "I", "2": "II", "3": "III", "2a": "IIA", "2b": "IIB", "3a": "IIIA"}
_TYPE_WORDS = {"lapas": "Lapas", "rutan": "Rutan", "lpka": "LPKA", "bapas": "Bapas"}
_SPECIALITIES = ("narkotika", "perempuan", "anak")


def normalise(text: str) -> str:
    return _normalise(str(text))


@lru_cache(maxsize=8192)  # every register built normalises the same few hundred names and aliases
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    for pattern, repl in _PHRASES:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class NameParts:
    type: str | None = None
    klass: str | None = None
    specialities: set[str] = field(default_factory=set)
    rest: str = ""


def parse_name(text: str) -> NameParts:
    norm = normalise(text)
    parts = NameParts()
    m = _CLASS_AFTER.search(norm)
    if m:
        raw = m.group(1).replace(" ", "")
        parts.klass = _CLASS_MAP.get(raw, raw.upper())
        norm = norm[: m.start()] + " " + norm[m.end():]
    words = []
    for word in norm.split():
        if word in _TYPE_WORDS and parts.type is None:
            parts.type = _TYPE_WORDS[word]
        elif word in _SPECIALITIES:
            parts.specialities.add(word)
        elif word in _TYPE_WORDS or word == "kelas":
            continue
        else:
            words.append(word)
    parts.rest = " ".join(words)
    return parts


def _class_fits(stated: str | None, facility: Facility) -> bool:
    if not stated:
        return True
    known = (facility.klass, *facility.historical_classes)
    if stated == "II":
        return any(k.startswith("II") and not k.startswith("III") for k in known)
    return stated in known


def _type_fits(stated: str | None, facility: Facility) -> bool:
    return stated is None or stated == facility.type or stated in facility.historical_types


def _speciality_fits(stated: set[str], facility: Facility) -> bool:
    for s in stated:
        if s == "anak":
            if facility.type != "LPKA" and "anak" not in facility.speciality:
                return False
        elif s not in facility.speciality:
            return False
    return True


# ----------------------------------------------------------------- register
class Register:
    def __init__(self, facilities: list[Facility], aliases: list[Alias], occupancy: list[OccupancySnapshot],
                 fuzzy_min_score: int = 88):
        self.facilities = facilities
        self.aliases = aliases
        self.occupancy = occupancy
        self.fuzzy_min_score = fuzzy_min_score
        self.by_code = {f.code: f for f in facilities}
        self._alias_index: dict[str, str] = {}
        for f in facilities:
            for name in (f.official_name, f.short_name):
                self._alias_index.setdefault(normalise(name), f.code)
        for a in aliases:
            self._alias_index[normalise(a.alias)] = a.facility
        self._places = {f.code: tuple(normalise(p) for p in f.places) for f in facilities}
        self._choices = {f.code: f"{f.short_name} | {f.official_name}" for f in facilities}
        self._cache: dict[str, str] = {}

    @property
    def inmate_facilities(self) -> list[Facility]:
        return [f for f in self.facilities if f.holds_inmates]

    def label(self, code: str) -> str:
        return self.by_code[code].short_name

    def closest(self, text: str, limit: int = 3, among: list[str] | None = None) -> list[tuple[str, str]]:
        choices = {c: self._choices[c] for c in (among or self._choices)}
        found = process.extract(str(text), choices, scorer=fuzz.WRatio, limit=None)
        # equal scores in name order: the same answer whatever order the register lists its units in
        found = sorted(found, key=lambda m: (-round(m[1], 6), self.by_code[m[2]].short_name))[:limit]
        return [(code, self.by_code[code].short_name) for _, _, code in found]

    def resolve(self, text: str) -> str:
        """The code of the unit ``text`` names; :class:`FacilityNotFound` otherwise."""
        key = str(text).strip()
        if key in self._cache:
            return self._cache[key]
        code = self._resolve(key)
        self._cache[key] = code
        return code

    def _resolve(self, text: str) -> str:
        if text.lower() in self.by_code:
            return text.lower()
        norm = normalise(text)
        if norm in self._alias_index:
            return self._alias_index[norm]
        parts = parse_name(text)
        located = self._located(parts.rest) if parts.rest else []
        fitting = [f.code for f in self.facilities
                   if parts.type and _type_fits(parts.type, f) and _class_fits(parts.klass, f)
                   and _speciality_fits(parts.specialities, f)]
        if not located:
            if parts.rest or len(fitting) < 2:
                # a place no unit has ('Lapas Antah Berantah'), or no type either: no such unit; the three
                # closest names (of the stated type, when there are three)
                among = fitting if len(fitting) >= 3 else None
                if parts.rest and parts.type:  # the type is right: the closest places of that type
                    raise FacilityNotFound("unknown", text, self._closest_places(parts.rest, among or fitting))
                raise FacilityNotFound("unknown", text, self.closest(text, limit=3, among=among))
            # only a type and class ('Rutan Kelas IIB'): it fits several units
            raise FacilityNotFound("ambiguous", text, [(c, self.by_code[c].short_name) for c in fitting][:6])
        fits = [f for f in located
                if _type_fits(parts.type, f) and _class_fits(parts.klass, f) and _speciality_fits(parts.specialities, f)]
        if len(fits) == 1:
            return fits[0].code
        if not fits:
            loose = [f for f in located if _type_fits(parts.type, f) and _speciality_fits(parts.specialities, f)]
            if parts.type and len(loose) == 1:
                # place and kind name one unit; the class is outdated or written wrongly (units are reclassified:
                # 'Lapas Kelas IIB Kotabaru' is Lapas Kotabaru, now IIA). Unless a unit of that kind which has the
                # stated class sits at a place that reads alike: 'Lapas Kelas IIB Banjarmasin' may be Lapas
                # Banjarmasin (IIA) or Lapas Banjarbaru (IIB)
                alike = self._alike(loose[0], parts)
                if not alike:
                    return loose[0].code
                raise FacilityNotFound("ambiguous", text, [(f.code, f.short_name) for f in (loose[0], *alike)])
            # the place is right but the type or speciality is not: no such unit; that place's units,
            # those of the stated type first
            located = sorted(located, key=lambda f: (not _type_fits(parts.type, f), f.short_name))
            raise FacilityNotFound("unknown", text, [(f.code, f.short_name) for f in located][:3])
        raise FacilityNotFound("ambiguous", text, [(f.code, f.short_name) for f in fits])

    def _closest_places(self, rest: str, among: list[str], limit: int = 3) -> list[tuple[str, str]]:
        scored = [(max(fuzz.ratio(rest, p) for p in self._places[c]), self.by_code[c].short_name, c)
                  for c in among or self._choices if self._places[c]]
        return [(c, name) for _, name, c in sorted(scored, key=lambda x: (-x[0], x[1]))[:limit]]

    def _alike(self, unit: Facility, parts: NameParts) -> list[Facility]:
        """Other units of the stated kind that have the stated class, at a place whose first six
        letters are those of the place written (Banjarmasin, Banjarbaru)."""
        written = [p for p in self._places[unit.code] if re.search(rf"\b{re.escape(p)}\b", parts.rest)] \
            or list(self._places[unit.code])
        stems = {p[:6] for p in written if len(p) >= 6}
        return [f for f in self.facilities
                if f.code != unit.code and _type_fits(parts.type, f) and _class_fits(parts.klass, f)
                and _speciality_fits(parts.specialities, f)
                and any(p[:6] in stems for p in self._places[f.code])]

    def class_written(self, text: str, code: str) -> str | None:
        """The class ``text`` states when it is not one ``code`` has or had ('IIB' for
        'Lapas Kelas IIB Kotabaru'), else None."""
        stated = parse_name(text).klass
        unit = self.by_code.get(code)
        return stated if stated and unit is not None and not _class_fits(stated, unit) else None

    def _located(self, rest: str) -> list[Facility]:
        """Units whose place name is in ``rest`` (the longest place wins), or
        whose place is a close spelling of a word run in ``rest``."""
        words = rest.split()
        best: dict[str, int] = {}
        for code, places in self._places.items():
            for place in places:
                if re.search(rf"\b{re.escape(place)}\b", rest):
                    best[code] = max(best.get(code, 0), len(place))
        if best:
            longest = max(best.values())
            return [self.by_code[c] for c, n in best.items() if n == longest]
        # misspelt place: compare each run of 1-3 words with every place
        scored: dict[str, float] = {}
        for size in (1, 2, 3):
            for i in range(len(words) - size + 1):
                run = " ".join(words[i: i + size])
                if len(run) < 5:
                    continue
                for code, places in self._places.items():
                    for place in places:
                        score = fuzz.ratio(run, place)
                        if score >= self.fuzzy_min_score:
                            scored[code] = max(scored.get(code, 0), score)
        if not scored:
            return []
        top = max(scored.values())
        return [self.by_code[c] for c, s in scored.items() if s == top]

    def find_in_text(self, text: str) -> str | None:
        """The unit named in a free-text line (a letterhead or title), or None.
        Only lines that name a unit type are tried, and only a unique match counts."""
        norm = normalise(text)
        if not re.search(r"\b(lapas|rutan|lpka|bapas)\b", norm) and norm not in self._alias_index:
            return None
        try:
            return self.resolve(text)
        except FacilityNotFound:
            # "LAPORAN PEMINJAMAN BUKU LAPAS KELAS IIA BANJARMASIN": try the tail after the type word
            m = re.search(r"\b(lapas|rutan|lpka|bapas)\b.*", norm)
            if m and m.start() > 0:
                try:
                    return self.resolve(m.group(0))
                except FacilityNotFound:
                    return None
            return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split("|") if p.strip())


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def read_facilities(path: Path = DATA / "facilities.csv") -> list[Facility]:
    with open(path, encoding="utf-8", newline="") as f:
        return [
            Facility(
                code=r["code"], official_name=r["official_name"], short_name=r["short_name"], type=r["type"],
                klass=r["class"], speciality=r["speciality"], regency=r["regency"], address=r["address"],
                places=_split(r["places"]), historical_classes=_split(r["historical_classes"]),
                historical_types=_split(r["historical_types"]), holds_inmates=r["holds_inmates"] == "1",
                lat=_float(r["lat"]), lon=_float(r["lon"]), verification=r["verification"],
                source_url=r["source_url"], notes=r["notes"],
            )
            for r in csv.DictReader(f)
        ]


def read_aliases(path: Path = DATA / "facility_aliases.csv") -> list[Alias]:
    with open(path, encoding="utf-8", newline="") as f:
        return [Alias(r["facility"], r["alias"], r["note"]) for r in csv.DictReader(f)]


def read_occupancy_seed(path: Path = DATA / "occupancy_seed.csv") -> list[OccupancySnapshot]:
    with open(path, encoding="utf-8", newline="") as f:
        return [OccupancySnapshot(r["facility"], r["date"], _int(r["occupants"]), _int(r["capacity"]), r["source"])
                for r in csv.DictReader(f)]


@lru_cache(maxsize=4)
def load_register(fuzzy_min_score: int = 88) -> Register:
    """The register shipped in ``data/``."""
    return Register(read_facilities(), read_aliases(), read_occupancy_seed(), fuzzy_min_score)
