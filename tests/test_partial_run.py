"""A Ctrl-C during `run_notebook` names a partly written output as incomplete (papermill saves after every cell)."""

import pytest

from helpers.build import commands, run_notebook


def test_an_output_written_by_this_run_is_named_incomplete(tmp_path):
    out = tmp_path / "run.ipynb"
    run_notebook._stop_if_partial(out, None)  # nothing written: the usual one line follows
    out.write_text("{}", encoding="utf-8")
    with pytest.raises(commands.PartialRun, match="run.ipynb holds the run so far, incomplete"):
        run_notebook._stop_if_partial(out, None)
    run_notebook._stop_if_partial(out, out.stat().st_mtime_ns)  # an old file this run never touched: as it was


def test_the_command_ends_a_partial_run_in_one_line_with_exit_130(capsys, tmp_path):
    def body() -> int:
        raise commands.PartialRun(f"{tmp_path / 'x.ipynb'} holds the run so far, incomplete")

    assert commands.run_command("python -m helpers.build.run_notebook", body) == 130
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "incomplete" in err and "either as it was or complete" not in err
