"""Learner Python prints the same in CPython and in the built page (tests/conformance/).

Every case of ``tests/conformance/cases/`` runs with ``python`` and in headless Chromium
(wasm backend), one build and one page per group; what they print must be equal, or the
case must be in the README's table of known differences (``known_differences.py``), and
then still differ, so the table stays true. The cases of ``refused.py`` must be refused by
the build at their line, with what to write instead. Nothing prints something else silently.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "conformance"))

import harness  # noqa: E402
from known_differences import DIFFERENCES  # noqa: E402
from refused import REFUSED  # noqa: E402

from conftest import write_sketch  # noqa: E402
from ml5py.tooling.build import BuildError, build  # noqa: E402


def test_there_are_at_least_200_cases():
    cases = sum(len(harness.case_names(group.read_text(encoding="utf-8"))) for group in harness.groups())
    assert cases + len(REFUSED) >= 200, cases


def test_known_differences_name_real_cases():
    names = {f"{group.stem}.{name}" for group in harness.groups()
             for name in harness.case_names(group.read_text(encoding="utf-8"))}
    assert set(DIFFERENCES) <= names, set(DIFFERENCES) - names
    readme = (harness.CASES.parents[2] / "README.md").read_text(encoding="utf-8")
    for reason in set(DIFFERENCES.values()):
        assert reason in readme, f"README's table of known differences lacks: {reason}"


@pytest.mark.parametrize("name, source, line, words", REFUSED, ids=[case[0] for case in REFUSED])
def test_refused_at_build_time_at_its_line(tmp_path, name, source, line, words):
    compile(source, "sketch.py", "exec")  # valid Python: only the browser refuses it
    sketch = write_sketch(tmp_path, source)
    with pytest.raises(BuildError) as refused:
        build(sketch, tmp_path / "site", note=None)
    message = str(refused.value)
    assert f'File "sketch.py", line {line}' in message and words in message, message


def test_every_case_prints_the_same_in_the_browser(tmp_path, driver, mirror):
    from ml5py.tooling.server import url_of

    unexpected, stale = [], []
    for group, outcome in harness.run_groups(tmp_path, driver, url_of):
        for name, (python, browser) in outcome.items():
            key = f"{group}.{name}"
            if harness.classify(key, python, browser, DIFFERENCES) == "unexpected":
                (stale if key in DIFFERENCES else unexpected).append(f"{key}: python {python} browser {browser}")
    assert not unexpected, "prints something else in the browser:\n" + "\n".join(unexpected)
    assert not stale, "listed as a known difference but prints the same (remove it):\n" + "\n".join(stale)
