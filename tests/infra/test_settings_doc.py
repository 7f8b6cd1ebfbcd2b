"""docs/deploy.md's configuration reference is regenerated from Settings and must match."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from core.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def settings_doc() -> ModuleType:
    # infra/ is a folder of scripts, not a package: load the script by path.
    spec = importlib.util.spec_from_file_location("settings_doc", REPO / "infra" / "settings_doc.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_deploy_doc_holds_the_current_settings_table(settings_doc: ModuleType) -> None:
    document = (REPO / "docs" / "deploy.md").read_text()
    regenerated = settings_doc.splice_table(document, settings_doc.render_settings_table())
    assert document == regenerated, "docs/deploy.md is stale: run python infra/settings_doc.py --write"


def test_table_has_one_row_per_setting(settings_doc: ModuleType) -> None:
    rows = settings_doc.render_settings_table().splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == [f"FACESORT_{name.upper()}" for name in Settings.model_fields]
    by_name = {row.split("`")[1]: row for row in rows}
    assert "| `bool` | `true` |" in by_name["FACESORT_S3_SECURE"]
    assert '`"development" \\| "production"` | `development` |' in by_name["FACESORT_ENVIRONMENT"]
    assert "| `Path \\| None` | `(unset)` |" in by_name["FACESORT_QDRANT_PATH"]
    assert "Detector probability floor." in by_name["FACESORT_MIN_FACE_CONFIDENCE"]


def test_check_mode_fails_on_a_stale_doc(
    settings_doc: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "deploy.md"
    stale.write_text(f"intro\n{settings_doc.BEGIN_MARKER}\n| old |\n{settings_doc.END_MARKER}\noutro\n")
    monkeypatch.setattr(settings_doc, "DEPLOY_DOC", stale)
    assert settings_doc.main(["--check"]) == 1
    assert settings_doc.main(["--write"]) == 0
    assert settings_doc.main(["--check"]) == 0
    text = stale.read_text()
    assert text.startswith("intro\n")
    assert text.endswith("outro\n")
    assert "| old |" not in text
