"""The benchmark's instruments: benchmarks/generate.py makes a workspace as clean as the example, whatever its
size, and benchmarks/run.py measures each process on its own against a baseline shaped like mars."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import run  # noqa: E402

from mars_cli.derive import content  # noqa: E402
from mars_cli.framework.load import read_workspace  # noqa: E402

EXAMPLE = ROOT / "example-workspace"


def _check(mars, workspace: Path) -> dict:
    result = mars("-w", workspace, "check", "--format", "json")
    return json.loads(result.out)


def _codes(report: dict, severity: str) -> Counter:
    return Counter(f["code"] for f in report["findings"] if f["severity"] == severity)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "ws"
    assert generate.Generator().generate(out, 200) == 2 * 86  # two copies of the example's 86 records
    return out


def test_generate__every_kind_twice_with_the_example_s_findings_twice(generated, mars):
    example, copy = read_workspace(EXAMPLE), read_workspace(generated)
    assert Counter(r.kind for r in copy.records) == Counter({k: 2 * n for k, n in
                                                             Counter(r.kind for r in example.records).items()})
    report, original = _check(mars, generated), _check(mars, EXAMPLE)
    assert _codes(report, "error") == Counter()
    assert _codes(report, "warning") == Counter({k: 2 * n for k, n in _codes(original, "warning").items()})
    assert sum(len(r.fields.get("signoffs") or ()) for r in copy.records) > 100  # the sign-offs came too


def test_generate__every_reference_names_a_record_of_its_own_batch(generated):
    example_ids = {r.id for r in read_workspace(EXAMPLE).records}
    copy = read_workspace(generated)
    ids = {r.id for r in copy.records}
    assert len(ids) == len(copy.records) and not ids & example_ids
    for path in (generated / "records").rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        assert not [rid for rid in example_ids if rid in text or rid in path.name], path
    actions = [r for r in copy.records if r.kind == "action"]
    assert actions
    for action in actions:  # in its plan's folder, and the plan of its own batch
        plan = Path(action.path).parent.name
        assert plan in ids and plan[-4:] == action.id[-4:]
    for record in copy.records:  # every ID named in the fields, of whatever field, exists
        named = re.findall(r"\b[a-z0-9]+-\d{4}-\d{2}-\d{2}-[a-z0-9-]+\b", json.dumps(record.fields, default=str))
        assert set(named) <= ids, record.path


def test_generate__a_signoff_covering_a_reference_is_fingerprinted_again(tmp_path, mars):
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example)
    plan = next((example / "records").rglob("ap-2025-06-03-action-plan-children-living-with-pvv8.md"))
    text = plan.read_text(encoding="utf-8").replace(
        "## Purpose\n", "## Purpose\nFrom te-2025-05-15-thematic-assurance-event-neglect-7ch7.\n")
    plan.write_text(text, encoding="utf-8")
    record = next(r for r in read_workspace(example).records if r.path.endswith(plan.name))
    covers = read_workspace(example).processes.get("action-plan").approvals["plan"].covers
    plan.write_text(text.replace("hash: 772a6f5b1aadda39", f"hash: {content.fingerprint(record, covers)}"),
                    encoding="utf-8")
    assert _codes(_check(mars, example), "warning")["signoff-stale"] == 1  # the example's own stale one

    generator = generate.Generator(example)
    assert [generator.originals[n].path for n in generator.moving] == [record.path]
    generator.generate(tmp_path / "ws", 200)
    assert _codes(_check(mars, tmp_path / "ws"), "warning")["signoff-stale"] == 2


def test_generate__dangling_plants_exactly_that_many_unknown_references(tmp_path, mars):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--records", "100",
                             "--dangling", "7", str(tmp_path / "ws")], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("86 records in ")
    report = _check(mars, tmp_path / "ws")
    assert _codes(report, "error") == Counter({"unknown-record": 7})
    assert all("Did you mean" in f["hint"] for f in report["findings"] if f["code"] == "unknown-record")


def test_run__the_baseline_has_as_many_commands_as_mars(tmp_path):
    commands = run.mars_commands()
    (tmp_path / "bare_app.py").write_text(run.bare_app(commands), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        import bare_app
        import typer.main

        bare = typer.main.get_command(bare_app.app).commands
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("bare_app", None)
    assert len(bare) == len(commands) > 20
    assert {name: len(getattr(c, "commands", {})) for name, c in bare.items()} == commands


def test_run__peak_memory_is_each_process_s_own():
    big = run.measured([sys.executable, "-c", "x = bytearray(200_000_000); x[::4096] = b'1' * len(x[::4096])"])[1]
    small = run.measured([sys.executable, "-c", "pass"])[1]
    assert big > 200_000_000 > 100_000_000 > small  # not the high-water mark of every child so far


def test_run__a_failing_command_stops_the_benchmark_with_its_message():
    with pytest.raises(SystemExit, match="failed \\(3\\):\n.*went wrong"):
        run.measured([sys.executable, "-c", "import sys; sys.stderr.write('went wrong'); sys.exit(3)"])
