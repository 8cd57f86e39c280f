import json

import pytest

from summarizer.errors import InputError
from summarizer.evaluation import half_of, load_dataset, split_half
from tests.summarizer.evaluation.conftest import SAMPLE


def test_sample_loads_with_references():
    examples = load_dataset(SAMPLE)
    assert len(examples) == 20
    assert all(e.references and e.article for e in examples)
    assert "\n" in examples[0].references[0]  # one highlight per line
    assert [e.id for e in load_dataset(SAMPLE, limit=5)] == [e.id for e in examples[:5]]


def test_multi_reference_rows(tmp_path):
    path = tmp_path / "multi.jsonl"
    path.write_text(json.dumps({"id": "a", "article": "Text.", "references": ["One.", "Two."]}))
    assert load_dataset(path)[0].references == ("One.", "Two.")


@pytest.mark.parametrize(
    "line",
    ["not json", json.dumps([1]), json.dumps({"article": "x"}), json.dumps({"reference": "x"})],
)
def test_bad_rows_name_the_line(tmp_path, line):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"article": "A.", "reference": "B."}) + "\n" + line + "\n")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        load_dataset(path)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "dup.jsonl"
    row = json.dumps({"id": "x", "article": "A.", "reference": "B."})
    path.write_text(f"{row}\n{row}\n")
    with pytest.raises(InputError, match="duplicate id 'x'"):
        load_dataset(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such dataset"):
        load_dataset(tmp_path / "nope.jsonl")


def test_halves_are_fixed_disjoint_and_cover_the_data():
    examples = load_dataset(SAMPLE)
    tune, held = split_half(examples, "tune"), split_half(examples, "heldout")
    assert {e.id for e in tune}.isdisjoint({e.id for e in held})
    assert len(tune) + len(held) == len(examples) and tune and held
    # by id, not by position: reversing the file keeps every article in its half
    assert {e.id for e in split_half(examples[::-1], "tune")} == {e.id for e in tune}
    assert half_of(tune[0].id) == "tune"


def test_reference_lines_keeps_the_first_highlights():
    full = load_dataset(SAMPLE, limit=3)
    first = load_dataset(SAMPLE, limit=3, reference_lines=1)
    for a, b in zip(full, first, strict=True):
        assert b.references[0] == a.references[0].splitlines()[0]
        assert "\n" not in b.references[0]
