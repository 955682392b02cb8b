"""The app's Voila server: ``python -m smsp_analytics.app.launch NOTEBOOK [voila options]``.

Voila's own ``python -m voila``, started without the optional imports that cost seconds and
that the app never needs (:func:`smsp_analytics.app.kernel.skip_slow_imports`: Jupyter's
event schemas import jsonschema, which imports ``rfc3987_syntax``).
"""

from __future__ import annotations

from smsp_analytics.app.kernel import skip_slow_imports

__all__ = ["main"]


def main() -> None:
    """Run Voila with this process's command-line arguments."""
    skip_slow_imports()
    from voila.app import main as voila_main  # type: ignore[import-untyped]

    voila_main()


if __name__ == "__main__":
    main()
