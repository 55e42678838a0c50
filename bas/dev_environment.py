"""The development defaults, chosen explicitly by the development entry points only:
`manage.py` (the demo, runserver, the command-line tools) and the test runner (loaded as a
pytest plugin, `-p bas.dev_environment`). In a checkout with no SECRET_KEY they turn DEBUG
on unless the environment already says. The settings never infer DEBUG themselves: the
WSGI app (gunicorn) without DEBUG=1 and without a SECRET_KEY refuses to start.
"""

import os


def use_development_defaults() -> None:
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DEBUG", "1")


use_development_defaults()
