#!/usr/bin/env python
"""Django's command-line utility for the BAS survey system."""

import os
import sys

# Commands that only read and write files (no database): they run without loading the apps
# (models, admin, URL confs, the API stack), so that they start in a blink.
FILE_COMMANDS = {
    "estimate": "analysis", "rake": "analysis",
    "draw_sample": "sampling", "make_frame": "sampling",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bas.settings")
    # a checkout without SECRET_KEY is a development one: DEBUG on (bas/dev_environment.py)
    from bas.dev_environment import use_development_defaults

    use_development_defaults()
    if len(sys.argv) > 1 and sys.argv[1] in FILE_COMMANDS:
        from importlib import import_module

        app = FILE_COMMANDS[sys.argv[1]]
        module = import_module(f"{app}.management.commands.{sys.argv[1]}")
        module.Command().run_from_argv(sys.argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
