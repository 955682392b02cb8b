"""The ``smsp`` entry point: help, suggestions, exit codes, laziness, readers that go away."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from smsp_analytics.cli.main import SUBCOMMANDS, cli, main, spelling


def _no_key_env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("SMSPARTNER_API_KEY", None)
    env.pop("SMSPARTNER_BASE_URL", None)
    return env


def test_help_lists_every_subcommand(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)


def test_smsp_alone_prints_the_help(capsys) -> None:
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Usage: smsp") and "Commands:" in out and "Example:" in out
    assert all(name in out for name in SUBCOMMANDS) and err == ""


def test_version(capsys) -> None:
    from smsp_analytics import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"smsp-analytics {__version__}"


@pytest.mark.parametrize(
    "typed,meant",
    [
        ("calculus", "calcul"),
        ("sweeep", "sweep"),
        ("catgories", "categories"),
        ("sandbx", "sandbox"),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(capsys, typed, meant) -> None:
    assert main([typed]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert typed in err and f"Did you mean '{meant}'" in err
    assert all(name in err for name in SUBCOMMANDS)  # and the allowed ones


def test_unknown_command_names_the_allowed_ones(capsys) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "frobnicate" in err and "calcul" in err and "sandbox" in err
    assert "Did you mean" not in err


@pytest.mark.parametrize(
    "argv,meant",
    [
        (["calcul", "--gendr", "f"], "--gender"),
        (["sweep", "--interset", "14"], "--interest"),
        (["rent", "--max-cots", "3"], "--max-cost"),
        (["report", "--scenarioz", "x.toml"], "--scenarios"),
        (["app", "--prot", "8866"], "--port"),
        (["sandbox", "--latncy", "80"], "--latency"),
    ],
)
def test_a_mistyped_option_gets_a_suggestion(capsys, argv, meant) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith(f"smsp {argv[0]}: error:") and argv[1] in err and meant in err


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_command_help_has_a_description_and_an_example(capsys, name) -> None:
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: smsp {name}")
    example = out.split("Example:", 1)[1].strip().splitlines()[0]
    assert example.startswith(f"smsp {name}")
    if name in ("sandbox", "report", "app"):  # the module's own options follow
        assert "--port" in out if name != "report" else "--out" in out
    # One help, not click's then a module's own parser's.
    assert out.count("Usage:") + out.count("usage:") == 1


def test_help_lists_the_gender_words_first(capsys) -> None:
    assert main(["calcul", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    words = [
        out.index(w)
        for w in ("women, men or all (men and women)", "f (women)", "m (mixed: men and women)")
    ]
    assert words == sorted(words)


def test_pass_through_usage_errors_keep_exit_2(capsys) -> None:
    assert main(["sandbox", "--port", "99999"]) == 2
    assert "--port" in capsys.readouterr().err


def test_messages_speak_in_flags() -> None:
    # From the command's own options (param name -> flag), never from the words.
    from smsp_analytics.errors import Arg, Call, SmsPartnerError

    rent = spelling(cli.commands["rent"])
    err = SmsPartnerError(
        [
            "refused: 12.00 EUR exceeds ",
            Arg("max_cost_eur", 10, shown="10.00"),
            "; pass ",
            Arg("again", python="again=True (smsp rent --again)"),
            "; Call ",
            Arg("confirm", python="rent(..., confirm=True)"),
            " to rent; ",
            Call("smsp journal", "client.journal_entries()"),
            " lists them",
        ]
    )
    assert str(err) == (
        "refused: 12.00 EUR exceeds max_cost_eur=10.00; pass again=True (smsp "
        "rent --again); Call rent(..., confirm=True) to rent; "
        "client.journal_entries() lists them"
    )
    assert err.text(rent) == (
        "refused: 12.00 EUR exceeds --max-cost 10.00; pass --again; "
        "Call --yes to rent; `smsp journal` lists them"
    )
    sweep = spelling(cli.commands["sweep"])
    assert SmsPartnerError(["use ", Arg("max_workers", 4)]).text(sweep) == "use --workers 4"
    # An argument the command has no option for keeps the library's words.
    assert SmsPartnerError(["pass ", Arg("again")]).text(sweep) == "pass again=True"


def test_help_and_the_sandbox_command_load_no_pandas(tmp_path) -> None:
    # `smsp sandbox` must not pay for the client side: the group, the shared options and the
    # pass-through commands import click only.
    code = (
        "import sys; from smsp_analytics.cli.main import cli, main; main(['--help']); "
        "cmd = cli.get_command(None, 'sandbox'); "
        "print(cmd.name, 'pandas' in sys.modules, 'plotly' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_no_key_env(tmp_path),
        timeout=60,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "sandbox False False"


def test_a_closed_pipe_stops_quietly(tmp_path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smsp_analytics.cli.main", "categories", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_no_key_env(tmp_path),
    )
    assert proc.stdout.readline().startswith(b"id,")
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_console_script_entry_point() -> None:
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "smsp"]
    assert ep.value == "smsp_analytics.cli.main:main" and ep.load() is main
