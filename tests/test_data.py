"""Every data file matches its schema, and every row names its source."""

import pandas as pd
import pytest

from course import data

GOOD_SOURCE = "Yarchoan M, Hopkins A, Jaffee EM (2017) N Engl J Med 377:2500-2501. doi:10.1056/NEJMc1713444"


@pytest.mark.parametrize("name", data.available())
def test_every_shipped_file_loads_and_is_sourced(name):
    frame = data.load(name)
    assert len(frame) >= 5
    assert (frame["source"].str.len() > 20).all()
    assert data.sources(name)


def test_every_csv_in_the_folder_has_a_schema():
    from importlib import resources
    files = {p.name[:-4] for p in resources.files("course.data").iterdir() if p.name.endswith(".csv")}
    assert files == set(data.available())


def _tmb(**changes):
    row = {"cancer_type": "Melanoma", "median_tmb_mut_per_mb": "20.5", "orr_percent": "35.7", "n_patients": "",
           "source": GOOD_SOURCE}
    row.update(changes)
    return pd.DataFrame([row, {**row, "cancer_type": "NSCLC"}], dtype=str)


def test_valid_frame_is_typed():
    frame = data.validate("tmb_response", _tmb())
    assert frame["orr_percent"].dtype == float and pd.isna(frame["n_patients"][0])


@pytest.mark.parametrize("changes,message", [
    ({"source": ""}, "empty 'source'"),
    ({"source": "Somebody, a journal"}, "DOI or PMID"),
    ({"orr_percent": "120"}, "above 100"),
    ({"orr_percent": "n/a"}, "non-numeric"),
    ({"median_tmb_mut_per_mb": "-1"}, "below"),
    ({"n_patients": "12.5"}, "whole numbers"),
    ({"cancer_type": ""}, "empty 'cancer_type'"),
])
def test_invalid_rows_are_refused_with_a_reason(changes, message):
    with pytest.raises(data.DataError, match=message):
        data.validate("tmb_response", _tmb(**changes))


def test_duplicates_and_wrong_columns_are_refused():
    frame = _tmb()
    frame.loc[1, "cancer_type"] = "Melanoma"
    with pytest.raises(data.DataError, match="duplicate"):
        data.validate("tmb_response", frame)
    with pytest.raises(data.DataError, match="columns"):
        data.validate("tmb_response", _tmb().drop(columns="source"))


def test_choice_columns_are_enforced():
    cells = data.load("immune_cells").head(2).copy()
    cells.loc[cells.index[0], "arm"] = "both"
    with pytest.raises(data.DataError, match="one of"):
        data.validate("immune_cells", cells.astype(str))


def test_unknown_data_set_names_the_available_ones():
    with pytest.raises(KeyError, match="available"):
        data.load("nope")


def test_load_returns_a_copy():
    frame = data.load("tmb_response")
    frame.loc[frame.index[0], "orr_percent"] = -1
    assert data.load("tmb_response")["orr_percent"].min() >= 0
