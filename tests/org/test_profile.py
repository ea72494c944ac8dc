"""Org profiles: a broken one is refused with the file, the field and the fix, in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.org.messages import MessageError
from advisor.org.profile import load_profile


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("goal: [unclosed", "is not valid YAML", "不是有效的 YAML"),
        ("- a list\n- not settings\n", "must be a mapping of settings", "必须是一组设置项"),
        ("quota_per_rep_usd: lots\n", "`quota_per_rep_usd`", "字段 `quota_per_rep_usd` 的取值有误"),
    ],
)
def test_a_broken_profile_names_the_file_and_the_problem_in_both_languages(
    tmp_path: Path, text: str, english: str, chinese: str
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MessageError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value) and english in str(caught.value)
    assert chinese in caught.value.text("zh") and str(path) in caught.value.text("zh")


def test_a_missing_profile_says_to_check_the_path(tmp_path: Path) -> None:
    with pytest.raises(MessageError) as caught:
        load_profile(tmp_path / "nowhere.yaml")
    assert "Check the path" in str(caught.value) and "请检查路径" in caught.value.text("zh")
