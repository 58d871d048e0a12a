"""antibodies.csv: therapeutic monoclonal antibodies used in cancer, checked against their own names.

The INN of an antibody named before 2017 carries its source: -o- mouse, -xi- chimeric, -zu- humanized,
-u- human, just before -mab (Parren et al. 2017, mAbs 9:898). These tests read that syllable off each name
and hold it against the origin the FDA label states, so a typo in either column fails here.
"""

import re

import pandas as pd
import pytest

from course import catalogue, data

NAME = "antibodies"
SUBSTEM_SOURCE = {"o": "murine", "xi": "chimeric", "zu": "humanized", "u": "human"}
# Longest ending first, so that "-zumab" is never read as "-umab" nor "-ximab" as anything else.
_ENDINGS = (("ximab", "xi"), ("zumab", "zu"), ("omab", "o"), ("umab", "u"))
CHECKPOINT_TARGETS = {"PD-1", "PD-L1", "CTLA-4"}


@pytest.fixture(scope="module")
def mabs():
    return data.load(NAME).set_index("inn")


def _mab_word(inn: str) -> str:
    """The antibody word of an INN: 'trastuzumab' in 'trastuzumab emtansine'."""
    words = [w for w in inn.split() if w.endswith("mab")]
    assert len(words) == 1, f"{inn!r} should contain exactly one word ending in -mab"
    return words[0]


def _source_substem(inn: str) -> str:
    """The source syllable before -mab ('o', 'xi', 'zu', 'u'), or '' if the name has none."""
    word = _mab_word(inn)
    for ending, substem in _ENDINGS:
        if word.endswith(ending):
            return substem
    return ""


@pytest.mark.parametrize("inn,expected", [
    ("rituximab", "xi"), ("brentuximab vedotin", "xi"),
    ("trastuzumab", "zu"), ("trastuzumab emtansine", "zu"), ("bevacizumab", "zu"),
    ("nivolumab", "u"), ("daratumumab", "u"), ("enfortumab vedotin", "u"),
    ("ibritumomab tiuxetan", "o"), ("tositumomab", "o"),
    ("cemiplimab", ""), ("dostarlimab", ""),
])
def test_the_name_reader_finds_the_source_substem(inn, expected):
    # "-zumab" also ends in "-umab" and "-tumomab" contains "-umo-": the order of endings matters.
    assert _source_substem(inn) == expected


def test_loads_and_covers_the_antibodies_the_lesson_needs(mabs):
    assert len(mabs) >= 20
    needed = {
        "ibritumomab tiuxetan", "tositumomab", "rituximab", "cetuximab", "brentuximab vedotin",
        "trastuzumab", "bevacizumab", "pembrolizumab", "atezolizumab", "trastuzumab emtansine",
        "trastuzumab deruxtecan", "sacituzumab govitecan", "gemtuzumab ozogamicin", "inotuzumab ozogamicin",
        "nivolumab", "ipilimumab", "panitumumab", "durvalumab", "avelumab", "cemiplimab",
        "enfortumab vedotin", "daratumumab",
    }
    assert needed <= set(mabs.index), needed - set(mabs.index)
    text = " ".join(data.sources(NAME))
    for needle in ("Scott AM, Wolchok JD, Old LJ (2012)", "doi:10.1038/nrc3236",           # types, mechanisms
                   "Parren PWHI", "doi:10.1080/19420862.2017.1341029"):                      # naming change
        assert needle in text, needle


def test_every_row_names_a_year_and_a_doi_or_pmid(mabs):
    for src in mabs["source"]:
        assert data._CITATION.search(src), src
        assert data._IDENTIFIER.search(src), src


def test_inns_are_lower_case_with_one_antibody_word(mabs):
    for inn in mabs.index:
        assert inn == inn.lower() == inn.strip(), inn
        assert _mab_word(inn)


def test_naked_antibodies_have_one_word_names_and_drug_conjugates_two(mabs):
    # A drug conjugate's INN is the antibody plus a word for its linker-payload (e.g. "vedotin").
    for inn, row in mabs.iterrows():
        if row.format == "naked":
            assert len(inn.split()) == 1, inn
        elif row.format == "antibody-drug conjugate":
            assert len(inn.split()) == 2, inn


def test_the_source_substem_column_matches_the_name(mabs):
    for inn, row in mabs.iterrows():
        assert row.source_substem == _source_substem(inn), (inn, row.source_substem)


def test_the_source_substem_agrees_with_the_labelled_origin(mabs):
    with_substem = mabs[mabs.source_substem != ""]
    assert len(with_substem) >= 18
    for inn, row in with_substem.iterrows():
        assert SUBSTEM_SOURCE[row.source_substem] == row.source_type, (inn, row.source_substem, row.source_type)


def test_names_without_a_source_substem_are_recent(mabs):
    # WHO stopped giving the source substem in 2017, so such a product cannot have been approved earlier.
    without = mabs[mabs.source_substem == ""]
    assert set(without.index) >= {"cemiplimab", "dostarlimab"}
    assert (without.first_fda_approval_year >= 2017).all()
    # ... and the name no longer tells the origin: one is human, one humanized.
    assert without.loc["cemiplimab", "source_type"] == "human"
    assert without.loc["dostarlimab", "source_type"] == "humanized"


def test_conjugates_carry_a_payload_and_naked_antibodies_do_not(mabs):
    conjugated = mabs.format != "naked"
    assert (mabs.payload[conjugated] != "").all(), list(mabs.index[conjugated & (mabs.payload == "")])
    assert (mabs.payload[~conjugated] == "").all(), list(mabs.index[~conjugated & (mabs.payload != "")])


@pytest.mark.parametrize("word,payload", [
    ("vedotin", "MMAE"), ("ozogamicin", "calicheamicin"), ("emtansine", "DM1"),
    ("deruxtecan", "DXd"), ("govitecan", "SN-38"),
])
def test_the_conjugate_word_of_the_name_goes_with_its_payload(mabs, word, payload):
    rows = mabs[[inn.endswith(" " + word) for inn in mabs.index]]
    assert len(rows) >= 1
    for inn, row in rows.iterrows():
        assert row.format == "antibody-drug conjugate", inn
        assert row.payload.startswith(payload), (inn, row.payload)


def test_every_format_and_origin_is_represented(mabs):
    assert set(mabs.format) == {"naked", "antibody-drug conjugate", "radioimmunoconjugate"}
    assert set(mabs.source_type) == {"murine", "chimeric", "humanized", "human"}
    # the two radioimmunoconjugates are the murine anti-CD20 antibodies
    radio = mabs[mabs.format == "radioimmunoconjugate"]
    assert set(radio.index) == {"ibritumomab tiuxetan", "tositumomab"}
    assert set(radio.source_type) == {"murine"} and set(radio.target) == {"CD20"}
    assert set(radio.payload) == {"yttrium-90", "iodine-131"}


def test_isotypes_are_written_one_way(mabs):
    pattern = re.compile(r"IgG[1-4]a?( kappa| lambda)?")
    for inn, isotype in mabs.isotype.items():
        assert isotype == "" or pattern.fullmatch(isotype), (inn, isotype)
    assert (mabs.isotype != "").sum() >= 20


def test_checkpoint_antibodies_belong_to_lesson_04_and_all_to_lesson_07(mabs):
    known = {lesson.number for lesson in catalogue.LESSONS}
    for inn, row in mabs.iterrows():
        lessons = row.course_lesson.split(";")
        assert set(lessons) <= known, (inn, lessons)
        assert "07" in lessons, inn
        assert ("04" in lessons) == (row.target in CHECKPOINT_TARGETS), (inn, row.target, lessons)


def test_first_approvals(mabs):
    years = mabs.first_fda_approval_year
    # Rituximab (1997) was the first antibody approved for a cancer.
    assert years.idxmin() == "rituximab" and years.min() == 1997
    expected = {"trastuzumab": 1998, "gemtuzumab ozogamicin": 2000, "ibritumomab tiuxetan": 2002,
                "tositumomab": 2003, "cetuximab": 2004, "bevacizumab": 2004, "panitumumab": 2006,
                "ipilimumab": 2011, "brentuximab vedotin": 2011, "trastuzumab emtansine": 2013,
                "pembrolizumab": 2014, "nivolumab": 2014, "daratumumab": 2015, "atezolizumab": 2016,
                "durvalumab": 2017, "avelumab": 2017, "inotuzumab ozogamicin": 2017, "cemiplimab": 2018,
                "trastuzumab deruxtecan": 2019, "enfortumab vedotin": 2019, "sacituzumab govitecan": 2020,
                "dostarlimab": 2021}
    for inn, year in expected.items():
        assert years[inn] == year, (inn, years[inn])


def test_facts_that_are_easy_to_get_wrong(mabs):
    tosi = mabs.loc["tositumomab"]
    assert (tosi.source_type, tosi.isotype) == ("murine", "IgG2a lambda")
    assert "withdrawn" in tosi.notes.lower() and "2014" in tosi.notes
    gem = mabs.loc["gemtuzumab ozogamicin"]
    assert "2010" in gem.notes and "2017" in gem.notes  # withdrawn, then approved again
    assert mabs.loc["avelumab", "isotype"] == "IgG1 lambda"
    # a review table calls atezolizumab "human" and reviews call daratumumab "humanized"; labels and INNs do not
    assert mabs.loc["atezolizumab", "source_type"] == "humanized"
    assert mabs.loc["daratumumab", "source_type"] == "human"
    assert mabs.loc["panitumumab", "isotype"] == "IgG2 kappa"
    assert mabs.loc["bevacizumab", "target"] == "VEGF"


@pytest.mark.parametrize("column,bad,message", [
    ("source_type", "alien", "'source_type' must be one of"),
    ("source_type", "Humanized", "'source_type' must be one of"),
    ("format", "bispecific", "'format' must be one of"),
    ("source_substem", "zo", "'source_substem' must be one of"),
    ("first_fda_approval_year", "1975", "'first_fda_approval_year' below"),
    ("first_fda_approval_year", "2019.5", "whole numbers"),
    ("first_fda_approval_year", "late 1990s", "non-numeric 'first_fda_approval_year'"),
    ("mechanism", "", "empty 'mechanism'"),
    ("target", "", "empty 'target'"),
    ("source", "Scott AM et al., Nat Rev Cancer", "DOI or PMID"),
])
def test_a_broken_copy_is_refused(tmp_path, column, bad, message):
    broken = data.read_raw(NAME)
    broken.loc[0, column] = bad
    path = tmp_path / f"{NAME}.csv"
    broken.to_csv(path, index=False)
    reread = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pytest.raises(data.DataError, match=message):
        data.validate(NAME, reread)


def test_duplicate_names_and_missing_columns_are_refused():
    dup = data.read_raw(NAME)
    dup.loc[1, "inn"] = dup.loc[0, "inn"]
    with pytest.raises(data.DataError, match="duplicate inn"):
        data.validate(NAME, dup)
    with pytest.raises(data.DataError, match="columns"):
        data.validate(NAME, data.read_raw(NAME).drop(columns="source_type"))


def test_the_unbroken_raw_copy_passes():
    assert len(data.validate(NAME, data.read_raw(NAME))) == len(data.load(NAME))


@pytest.mark.parametrize("inn, column, bad, message", [
    ("rituximab", "payload", "MMAE", "needs a payload"),              # a naked antibody with a payload
    ("brentuximab vedotin", "payload", "", "needs a payload"),        # a conjugate without one
    ("rituximab", "source_type", "humanized", "means chimeric"),      # -xi- is chimeric
    ("trastuzumab", "source_substem", "u", "its name carries -zu-"),  # the name says -zu-
])
def test_the_loader_refuses_rows_whose_columns_contradict_each_other(inn, column, bad, message):
    broken = data.read_raw(NAME).set_index("inn")
    broken.loc[inn, column] = bad
    with pytest.raises(data.DataError, match=message):
        data.validate(NAME, broken.reset_index())
