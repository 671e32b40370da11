"""names.py: name keys, name parts and short forms of bodies (pure functions)."""

from __future__ import annotations

import pytest

from storyline.names import (
    abbreviates,
    canonical_person,
    initials,
    name_parts,
    normalize_name,
    similar_names,
    variant_key,
)


@pytest.mark.parametrize("written,canonical", [
    ("Treasurer Ana Ruiz", "Ana Ruiz"),
    ("Judge Tomas K. Wendt", "Tomas K. Wendt"),
    ("Dr. Lena Ortiz, director of the Coastal Institute", "Lena Ortiz"),
    ("Minority Whip Dale Hart", "Dale Hart"),
    ("Supervisor Ivo Kask of Marsh County", "Ivo Kask"),
    ("Chief Minister Mira Saan in the Assembly", "Mira Saan"),
    ("Velnet's Oren Dask", "Oren Dask"),
    ("Patriarch Kirill", "Patriarch Kirill"),  # a title that is part of a one-word name stays
    ("Jean-Luc Fabre", "Jean-Luc Fabre"),
])
def test_canonical_person_splits_off_titles_roles_and_appositions(written, canonical):
    assert canonical_person(written) == canonical


def test_name_parts_keep_particles_with_the_surname():
    assert name_parts("Bill de Vrees") == ("Bill", "de Vrees")
    assert name_parts("Omar bin Talal al-Sadi") == ("Omar", "bin Talal al-Sadi")
    assert name_parts("Vrees") == (None, "Vrees")


@pytest.mark.parametrize("short,full,expected", [
    ("FTC", "Federal Trade Commission", True),
    ("the CPA", "Coastal Ports Authority", True),
    ("NOAA", "National Oceanic and Atmospheric Administration", True),
    ("the Fed", "Federal Reserve", True),
    ("the Met", "Metropolitan Police", True),
    ("Federal Reserve", "Ostmark Federal Reserve", True),
    ("FTC", "Federal Reserve", False),
    ("Fed", "Fed", False),
    ("Commission", "Federal Trade Commission", True),
])
def test_abbreviates(short, full, expected):
    assert abbreviates(short, full) is expected


def test_initials_skip_small_words():
    assert initials("Bank of the Northern Seas") == "BNS"


def test_spelling_variants_need_a_close_ratio_and_the_same_initial():
    assert similar_names("Mahithir", "Mahathir")
    assert not similar_names("Kask", "Kusk")  # too short to tell
    assert not similar_names("Marenko", "Farenko")


def test_keys_are_transliteration_blind():
    assert variant_key("Yury Varenko") == variant_key("Yuri Varenkoh".rstrip("h"))
    assert normalize_name("The J.D. Harbour-Board") == "jd harbour board"
