import os
import time

from assistant.tempfiles import remove_old


def test_old_export_folders_are_removed_and_new_ones_kept(tmp_path):
    old, new, other = tmp_path / "veivalg-abc", tmp_path / "veivalg-def", tmp_path / "annet-ghi"
    for folder in (old, new, other):
        folder.mkdir()
        (folder / "veivalg-svar.md").write_text("svar", encoding="utf-8")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    assert remove_old(tmp_path) == 1
    assert not old.exists() and new.exists() and other.exists()
