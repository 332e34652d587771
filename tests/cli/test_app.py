"""The script's start-up: the cyclic collector off until a long command has imported what it needs."""

import gc
import subprocess
import sys

from anodeline.cli.app import settled


def test_settled_turns_the_collector_on_and_freezes_what_is_imported() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        settled()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        (gc.enable if was_enabled else gc.disable)()


def test_the_script_starts_with_the_collector_off() -> None:
    code = (
        "import gc, sys\n"
        "from anodeline.cli.app import app, settled\n"
        "seen = []\n"
        "app.registered_commands.clear()\n"
        "@app.command()\n"
        "def probe() -> None:\n"
        "    seen.append(gc.isenabled())\n"
        "    settled()\n"
        "    seen.append(gc.isenabled())\n"
        "@app.command()\n"
        "def other() -> None:\n"
        "    pass\n"
        "sys.argv = ['anodeline', 'probe']\n"
        "from anodeline.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(seen)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip().splitlines()[-1] == "[False, True]", done.stderr[-2000:]
