"""Properties of the parsers staff data goes through: every way a date,
month, number, id or facility name is commonly written reads back as what
was meant, and anything else is refused with a ParseError, never a crash."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl import parse
from etl.facilities import FacilityNotFound, load_register, normalise

ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
ID_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
ALT_SHORT = {2: ["Peb", "Pebruari"], 8: ["Agt", "Agus", "Agst", "Aug", "August"], 11: ["Nop", "Nopember"],
             5: ["May"], 10: ["Oct", "October"], 12: ["Dec", "December"]}
ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def month_names(month: int) -> list[str]:
    return [ID_MONTHS[month - 1], ID_SHORT[month - 1], EN_MONTHS[month - 1], *ALT_SHORT.get(month, [])]


def renderings(d: dt.date) -> list[str]:
    serial = (d - dt.date(1899, 12, 30)).days
    return [
        d.isoformat(), f"{d.isoformat()} 00:00:00", f"{d.isoformat()}T08:15:00",
        f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d.year}", f"{d:%d-%m-%Y}", f"{d:%d.%m.%Y}", f"{d.day}-{d.month}-{d:%y}",
        f"{d:%d/%m/%Y} 09:30", f"{d.year}/{d.month}/{d.day}",
        f"{d.day} {ID_MONTHS[d.month - 1]} {d.year}", f"{ID_DAYS[d.weekday()]}, {d.day} {ID_MONTHS[d.month - 1]} {d.year}",
        f"{d.day} {ID_SHORT[d.month - 1]} {d.year}", f"{d:%d}-{ID_SHORT[d.month - 1]}-{d:%y}",
        f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}", f"  {d.day}  {ID_MONTHS[d.month - 1].upper()}  {d.year} ",
        str(serial), f"{serial}.0", f"{serial}.375",
    ]


@given(dates)
def test_every_common_date_rendering_reads_back(d):
    for text in renderings(d):
        assert parse.parse_date(text) == d, text


@given(st.integers(2000, 2099), st.integers(1, 12), st.integers(29, 35))
def test_days_that_do_not_exist_are_refused(year, month, day):
    try:
        dt.date(year, month, day)
    except ValueError:
        for text in (f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}",
                     f"{day} {ID_MONTHS[month - 1]} {year}"):
            with pytest.raises(parse.ParseError) as err:
                parse.parse_date(text)
            assert err.value.code == "bad_date"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)))
def test_dates_before_2000_are_too_old(d):
    with pytest.raises(parse.ParseError) as err:
        parse.parse_date(f"{d:%d/%m/%Y}")
    assert err.value.code == "date_too_old"


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_parse_error(text):
    for parser in (parse.parse_date, parse.parse_month, parse.parse_count, parse.parse_number, parse.parse_id,
                   parse.parse_gender, parse.parse_loan_status, parse.parse_category, parse.parse_period,
                   parse.parse_month_header, parse.parse_gender_counts):
        try:
            parser(text)
        except parse.ParseError:
            pass


@given(st.integers(2000, 2099), st.integers(1, 12), st.data())
def test_months_in_every_spelling(year, month, data):
    name = data.draw(st.sampled_from(month_names(month)))
    name = data.draw(st.sampled_from([name, name.upper(), name.lower()]))
    expected = dt.date(year, month, 1)
    for text in (f"{name} {year}", f"{name}-{year % 100:02d}", f"{name}'{year % 100:02d}", f"{year}-{month:02d}",
                 f"{month:02d}/{year}", f"{year}-{month:02d}-01 00:00:00"):
        assert parse.parse_month(text) == expected, text
    assert parse.parse_month(name, default_year=year) == expected
    assert parse.parse_month_header(name) == (month, None)
    assert parse.parse_month_header(f"{name} {year}") == (month, year)
    with pytest.raises(parse.ParseError) as err:
        parse.parse_month(name)
    assert err.value.code == "month_without_year"


@given(st.integers(0, 400))
def test_bare_numbers_are_never_month_headers(n):
    assert parse.parse_month_header(str(n)) is None


@given(st.integers(parse.MAX_COUNT + 1, 10**30))
def test_counts_beyond_the_ceiling_are_refused(n):
    texts = [str(n), f"{n:,}".replace(",", ".")] + ([f"{n:.3e}"] if float(f"{n:.3e}") > parse.MAX_COUNT else [])
    for text in texts:
        with pytest.raises(parse.ParseError) as err:
            parse.parse_count(text)
        assert err.value.code == "count_too_large", text
    if n < 2**53:  # exact as a float
        assert parse.parse_count(str(n), ceiling=10**31) == n


@given(st.integers(0, parse.MAX_COUNT))
def test_counts_in_indonesian_and_machine_notation(n):
    dotted = f"{n:,}".replace(",", ".")
    for text in (str(n), dotted, f"{dotted},0", f" {n} ", f"{n}.0" if n < 1000 else str(n)):
        assert parse.parse_count(text) == n, text
    if n >= 1000:
        with pytest.raises(parse.ParseError) as err:  # '1,234': a decimal comma or a thousands separator?
            parse.parse_count(f"{n:,}")
        assert err.value.code == "ambiguous_number"
    if n > 0:
        with pytest.raises(parse.ParseError) as err:
            parse.parse_count(f"-{n}")
        assert err.value.code == "negative_count"


@given(st.integers(0, 10**7), st.integers(1, 99))
def test_decimal_commas_and_dot_thousands(whole, cents):
    value = whole + cents / 100
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert parse.parse_number(text) == pytest.approx(value)
    with pytest.raises(parse.ParseError) as err:
        parse.parse_count(text)
    assert err.value.code == "not_whole"


@given(st.integers(1, 10**12), st.integers(0, 4))
def test_member_ids_with_and_without_leading_zeros_are_one_member(n, zeros):
    assert parse.parse_id("0" * zeros + str(n)) == parse.parse_id(str(n)) == parse.parse_id(f"{n}.0")


@given(st.integers(1, 9), st.integers(0, 99), st.integers(10, 20))
def test_ids_destroyed_by_excel_are_refused(lead, digits, exponent):
    for text in (f"{lead},{digits:02d}E+{exponent}", f"{lead}.{digits:02d}E+{exponent}"):
        with pytest.raises(parse.ParseError) as err:
            parse.parse_id(text)
        assert err.value.code == "id_destroyed"
    # 16+ digits ending in a float's zeros: whether that is a rounded number depends on how the cell was stored,
    # so parse_id keeps it and says how many zeros follow the 15th digit (the validator decides per cell)
    text = f"{lead}{digits:02d}" + "0" * exponent + "0"
    assume(len(text) >= 16)
    assert parse.parse_id(text) == text
    assert parse.looks_rounded(text) == len(text) - 15


@given(st.integers(0, 500), st.integers(0, 500))
def test_inlislite_group_head_counts(men, women):
    assert parse.parse_gender_counts(f"{men} Laki-laki<br>{women} Perempuan") == (men, women)
    assert parse.parse_gender_counts(f"<br>{women} Perempuan") == (0, women)


# ------------------------------------------------------------------ facility names
REGISTER = load_register()
TYPE_WORDS = {"Lapas": ["Lapas", "LP", "Lembaga Pemasyarakatan", "LAPAS"],
              "Rutan": ["Rutan", "Rumah Tahanan Negara", "Rumah Tahanan", "RUTAN"],
              "LPKA": ["LPKA", "Lembaga Pembinaan Khusus Anak"]}
CLASS_WORDS = {"I": ["Kelas I", "Kls. I", "Klas 1", "kelas 1"],
               "IIA": ["Kelas IIA", "Kls. II A", "Klas 2A", "Kelas II-A", "kelas 2a", "Kls IIA"],
               "IIB": ["Kelas IIB", "Kls. II B", "Klas 2B", "Kelas II-B", "kelas 2b", "Kls IIB"],
               "III": ["Kelas III", "Kls. III", "Klas 3"], "IIIA": ["Kelas IIIA", "Kls. III A"]}
SPECIALITY_WORDS = {"narkotika": ["Narkotika", "Khusus Narkotika", "Narkoba"], "perempuan": ["Perempuan", "Wanita"],
                    "anak": [""], "umum": [""]}


@given(st.sampled_from(REGISTER.inmate_facilities), st.data())
@settings(max_examples=200)
def test_every_common_spelling_of_a_unit_resolves_to_it(facility, data):
    type_word = data.draw(st.sampled_from(TYPE_WORDS[facility.type]))
    klass = data.draw(st.sampled_from([facility.klass, *facility.historical_classes, None]))
    class_word = data.draw(st.sampled_from(CLASS_WORDS[klass])) if klass else ""
    special = data.draw(st.sampled_from(SPECIALITY_WORDS[facility.speciality]))
    place = data.draw(st.sampled_from(facility.places))
    order = data.draw(st.sampled_from(["type special class place", "type class special place"]))
    words = {"type": type_word, "special": special, "class": class_word, "place": place}
    name = " ".join(words[w] for w in order.split() if words[w])
    name = data.draw(st.sampled_from([name, name.upper(), name.lower(), f"  {name}  ", name.replace(" ", "  ")]))
    assert REGISTER.resolve(name) == facility.code, name


@given(st.sampled_from(REGISTER.inmate_facilities), st.sampled_from(["I", "IIA", "IIB", "III"]))
def test_a_wrong_class_resolves_only_when_place_and_kind_name_one_unit(facility, klass):
    """Classes change (issue 14): a wrong class is read as the unit its place and kind name, unless
    another unit of that kind shares the place, or has that class at a place that reads alike
    (first six letters: Banjarmasin, Banjarbaru); then it is refused with candidates."""
    assume(klass not in (facility.klass, *facility.historical_classes))
    name = f"{facility.type} Kelas {klass} {facility.places[0]}"
    assume(normalise(name) not in {normalise(a.alias) for a in REGISTER.aliases})  # misprints known to the register
    place = normalise(facility.places[0])
    kind = [f for f in REGISTER.facilities if f.code != facility.code
            and (f.type == facility.type or facility.type in f.historical_types)]
    sharing = [f for f in kind if place in {normalise(p) for p in f.places}]
    alike = [f for f in kind if klass in (f.klass, *f.historical_classes)
             and any(normalise(p)[:6] == place[:6] for p in f.places)]
    try:
        code = REGISTER.resolve(name)
    except FacilityNotFound as exc:
        assert sharing or alike, name
        assert facility.code in [c for c, _ in exc.candidates], name
    else:
        other = REGISTER.by_code[code]
        if code != facility.code:  # another unit at that place truly has that class ('Lapas Kelas I Martapura')
            assert other in sharing and klass in (other.klass, *other.historical_classes), name
        else:
            assert not sharing and not alike, name


@given(st.sampled_from(["Lapas", "Rutan", "Lembaga Pemasyarakatan"]), st.sampled_from(["", "Kelas IIB", "Kls. II A"]))
def test_a_type_without_a_place_is_never_guessed(type_word, class_word):
    with pytest.raises(FacilityNotFound) as err:
        REGISTER.resolve(f"{type_word} {class_word}".strip())
    assert len(err.value.candidates) >= 2
