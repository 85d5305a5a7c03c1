"""Likely personal identifiers in written evidence (DERBY-05, DERBY-16,
002_6df34af9a85cb432.txt: portfolios must be fully anonymised)."""

from __future__ import annotations

from portfolios.anonymisation import personal_identifiers, word_count


def _whats(text):
    return [(f.what, f.text) for f in personal_identifiers(text)]


def test_finds_titles_dates_of_birth_nhs_numbers_and_postcodes():
    text = ("Visited Mrs Jane Doe and Mr Smith at DN31 1HU. Child's DOB: 03/04/2015. "
            "NHS number 943 476 5919.")
    assert _whats(text) == [
        ("name with a title", "Mrs Jane Doe"), ("name with a title", "Mr Smith"),
        ("postcode", "DN31 1HU"), ("date of birth", "DOB: 03/04/2015"),
        ("NHS number", "943 476 5919"),
    ]


def test_ten_digit_numbers_without_a_valid_check_digit_are_not_nhs_numbers():
    assert _whats("Mosaic reference 1234567890") == []


def test_anonymised_text_has_no_findings():
    assert _whats("I supported Child A and their carer to attend the review meeting.") == []


def test_date_of_birth_written_in_words():
    assert _whats("born on 5 March 2014") == [("date of birth", "born on 5 March 2014")]


def test_word_count_ignores_punctuation_only_tokens():
    assert word_count("One - two, three ... four") == 4
    assert word_count("") == 0
