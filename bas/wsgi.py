import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bas.settings")
application = get_wsgi_application()

# Import the URLconf (and so every view) now rather than on a worker's first request: the
# analysis and export views pull in pandas and SciPy, about a second of CPU, which would
# otherwise stall the first requests each new worker serves. With gunicorn --preload this
# happens once, in the master, before the workers fork. It opens no database connection.
import_module(settings.ROOT_URLCONF)
