"""The contracts' sample files must give exactly the expected roll-up and cascade JSON."""

import json

from django.core.management import call_command


def run_json(capsys, *args):
    capsys.readouterr()
    call_command(*args)
    return json.loads(capsys.readouterr().out)


def test_rollup_of_samples_matches_expected_json(sample_org, formats_dir, capsys):
    expected = json.loads((formats_dir / "sample-rollup.json").read_text())
    assert run_json(capsys, "rollup", "--cycle", "2026") == expected


def test_cascade_status_of_samples_matches_expected_json(sample_org, formats_dir, capsys):
    expected = json.loads((formats_dir / "sample-cascade.json").read_text())
    assert run_json(capsys, "cascade_status", "--cycle", "2026") == expected


def test_rollup_for_one_entity_lists_only_that_entity(sample_org, formats_dir, capsys):
    expected = json.loads((formats_dir / "sample-rollup.json").read_text())
    e01 = next(e for e in expected["entities"] if e["entity"] == "E01")
    document = run_json(capsys, "rollup", "--cycle", "2026", "--entity", "E01")
    assert document["entities"] == [e01]
    assert document["total"] == {"personnel": e01["personnel"], "participants": e01["participants"]}


def test_rollup_csv_has_unit_rows_entity_totals_and_grand_total(sample_org, formats_dir, capsys):
    expected = json.loads((formats_dir / "sample-rollup.json").read_text())
    capsys.readouterr()
    call_command("rollup", "--cycle", "2026", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "entity,unit,personnel,participants"
    assert lines[-1] == f"ALL,TOTAL,{expected['total']['personnel']},{expected['total']['participants']}"
    e00 = expected["entities"][0]
    assert f"E00,TOTAL,{e00['personnel']},{e00['participants']}" in lines
    assert len(lines) == 1 + sum(len(e["units"]) + 1 for e in expected["entities"]) + 1


def test_cascade_status_for_one_entity_keeps_global_depths(sample_org, formats_dir, capsys):
    expected = json.loads((formats_dir / "sample-cascade.json").read_text())
    document = run_json(capsys, "cascade_status", "--cycle", "2026", "--entity", "E00")
    by_index = {m["index_number"]: m for m in expected["managers"]}
    assert document["managers"], "E00 has managers in the sample"
    for manager in document["managers"]:
        assert manager == by_index[manager["index_number"]]
    assert "S000000" not in {m["index_number"] for m in document["managers"]}  # EOSG's head
